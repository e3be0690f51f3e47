/**
 * `npm run bench`: golive's probe engine against autocannon (npm) and wrk (Debian) on a
 * fast local server started here, each tool in its own process, interleaved rounds,
 * medians and ratios, then a summary table. Keeps the whole run under ~5 minutes.
 *
 * Environment: BENCH_ROUNDS (default 3), BENCH_QUICK=1 (shorter phases, for a smoke run).
 */
import {runTuiBench} from './tui-bench.js';
import {runFleetBench} from './fleet-bench.js';
import {spawn, spawnSync} from 'node:child_process';
import {createRequire} from 'node:module';
import {loadavg} from 'node:os';
import {fileURLToPath} from 'node:url';
import type {RunnerConfig, RunnerResult} from './golive-runner.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const quick = process.env['BENCH_QUICK'] === '1';
const rounds = Number(process.env['BENCH_ROUNDS'] ?? (quick ? 1 : 3));
const scale = quick ? 0.4 : 1;
const log = (line: string): void => void process.stderr.write(`${line}\n`);

type ServerHandle = {url: string; stop(): Promise<void>};

/** Starts `fast-server.js MODE…` in its own process and waits for its port. */
function startServer(...mode: string[]): Promise<ServerHandle> {
	const child = spawn(process.execPath, [`${here}fast-server.js`, ...mode], {stdio: ['ignore', 'pipe', 'inherit']});
	return new Promise((resolve, reject) => {
		let buffer = '';
		child.stdout.on('data', (chunk: Buffer) => {
			buffer += chunk.toString();
			const line = buffer.split('\n')[0];
			if (buffer.includes('\n') && line) {
				const {port} = JSON.parse(line) as {port: number};
				resolve({
					url: `http://127.0.0.1:${port}/`,
					stop: () =>
						new Promise((done) => {
							child.once('exit', () => done());
							child.kill('SIGTERM');
						}),
				});
			}
		});
		child.once('error', reject);
		child.once('exit', (code) => reject(new Error(`fast-server exited with ${code}`)));
	});
}

function runProcess(command: string, args: string[], timeoutMs: number): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'pipe']});
		let out = '';
		let err = '';
		child.stdout.on('data', (c: Buffer) => (out += c.toString()));
		child.stderr.on('data', (c: Buffer) => (err += c.toString()));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.once('error', reject);
		child.once('exit', (code) => {
			clearTimeout(timer);
			if (code === 0) resolve(out);
			else reject(new Error(`${command} exited ${code}: ${err.slice(0, 300)}`));
		});
	});
}

function golive(config: RunnerConfig, exposeGc = false): Promise<RunnerResult> {
	const args = [...(exposeGc ? ['--expose-gc'] : []), `${here}golive-runner.js`, JSON.stringify(config)];
	return runProcess(process.execPath, args, config.durationMs + 30_000).then((out) => JSON.parse(out) as RunnerResult);
}

const autocannonBin = (() => {
	try {
		return createRequire(import.meta.url).resolve('autocannon/autocannon.js');
	} catch {
		return undefined;
	}
})();

async function autocannon(url: string, connections: number, seconds: number, warmupS = 0): Promise<{rps: number; p50: number; p99: number; p999: number}> {
	const warmup = warmupS > 0 ? ['--warmup', '[', '-c', String(connections), '-d', String(warmupS), ']'] : [];
	const out = await runProcess(process.execPath, [autocannonBin!, '-c', String(connections), '-d', String(seconds), ...warmup, '-j', url], (seconds + warmupS) * 1000 + 30_000);
	const r = JSON.parse(out) as {duration: number; requests: {total: number}; latency: {p50: number; p99: number; p99_9: number}};
	return {rps: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, p999: r.latency.p99_9};
}

const hasWrk = spawnSync('wrk', ['--version']).error === undefined;

function wrkMs(text: string): number {
	const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
	if (!m) return Number.NaN;
	const v = Number(m[1]);
	return m[2] === 'us' ? v / 1000 : m[2] === 'ms' ? v : m[2] === 's' ? v * 1000 : v * 60_000;
}

async function wrk(url: string, connections: number, seconds: number): Promise<{rps: number; p50: number; p99: number}> {
	const out = await runProcess('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], seconds * 1000 + 30_000);
	const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
	const p50 = wrkMs(/ 50%\s+(\S+)/.exec(out)?.[1] ?? '');
	const p99 = wrkMs(/ 99%\s+(\S+)/.exec(out)?.[1] ?? '');
	return {rps, p50, p99};
}

function median(values: number[]): number {
	const v = values.filter(Number.isFinite).sort((a, b) => a - b);
	if (v.length === 0) return Number.NaN;
	const mid = Math.floor(v.length / 2);
	return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

const f = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');

type Row = {measure: string; value: string; target: string; ok: boolean | null};
const summary: Row[] = [];

async function closedLoopThroughput(): Promise<void> {
	log('\n== closed-loop throughput (10 connections, fast raw-net server, interleaved rounds) ==');
	const server = await startServer('fast');
	const seconds = Math.max(2, Math.round(4 * scale));
	const g: number[] = [];
	const a: number[] = [];
	const w: number[] = [];
	try {
		for (let round = 1; round <= rounds; round++) {
			// No warm-up for either Node tool: autocannon's --warmup changes what its -j JSON reports, so both count from their start.
			const gr = await golive({url: server.url, connections: 10, durationMs: seconds * 1000});
			g.push(gr.rps);
			if (autocannonBin) a.push((await autocannon(server.url, 10, seconds)).rps);
			if (hasWrk) w.push((await wrk(server.url, 10, seconds)).rps);
			log(`round ${round}: golive ${f(gr.rps, 0)} req/s   autocannon ${f(a.at(-1) ?? Number.NaN, 0)}   wrk ${f(w.at(-1) ?? Number.NaN, 0)}`);
		}
	} finally {
		await server.stop();
	}
	const gm = median(g);
	const am = median(a);
	const wm = median(w);
	log(`median: golive ${f(gm, 0)}  autocannon ${f(am, 0)}  wrk ${hasWrk ? f(wm, 0) : '(wrk not installed: skipped)'}`);
	summary.push({measure: 'closed loop golive / autocannon', value: `${f(gm / am, 2)}× (${f(gm, 0)} vs ${f(am, 0)} req/s)`, target: '≥ 0.8×', ok: gm / am >= 0.8});
	summary.push({measure: 'closed loop golive / wrk', value: hasWrk ? `${f(gm / wm, 2)}× (${f(gm, 0)} vs ${f(wm, 0)} req/s)` : 'wrk absent', target: 'report', ok: null});
}

async function openModelCeiling(): Promise<void> {
	log('\n== highest open-model rate with scheduler lag p99 ≤ 2 ms ==');
	const server = await startServer('fast');
	let best = 0;
	let bestLag = Number.NaN;
	try {
		for (const rate of [2000, 3000, 5000, 7500, 10_000, 15_000, 20_000, 25_000, 30_000, 40_000]) {
			const r = await golive({url: server.url, rate, durationMs: Math.round(3000 * scale) + 1000, warmupMs: 1000});
			const held = r.scheduler.lagP99Ms <= 2 && r.rps >= rate * 0.95 && r.scheduler.dropped === 0;
			log(`rate ${rate}: ${f(r.rps, 0)} req/s, lag p99 ${f(r.scheduler.lagP99Ms, 2)} ms, dropped ${r.scheduler.dropped}, p99 ${f(r.latencyMs.p99, 2)} ms → ${held ? 'held' : 'not held'}`);
			if (!held) break;
			best = rate;
			bestLag = r.scheduler.lagP99Ms;
		}
	} finally {
		await server.stop();
	}
	summary.push({measure: 'open model, highest rate held (lag p99 ≤ 2 ms)', value: `${best} req/s (lag p99 ${f(bestLag, 2)} ms)`, target: '≥ 20000 req/s', ok: best >= 20_000});
}

async function fixedDelayAccuracy(): Promise<void> {
	log('\n== accuracy: fixed 50 ms server delay, p50 golive vs wrk ==');
	const server = await startServer('delay', '50');
	const seconds = Math.max(2, Math.round(4 * scale));
	const g: number[] = [];
	const w: number[] = [];
	try {
		for (let round = 1; round <= Math.min(rounds, 2); round++) {
			const gr = await golive({url: server.url, rate: 200, durationMs: seconds * 1000, warmupMs: 1000});
			g.push(gr.latencyMs.p50);
			if (hasWrk) w.push((await wrk(server.url, 10, seconds)).p50);
			log(`round ${round}: golive p50 ${f(gr.latencyMs.p50, 3)} ms   wrk p50 ${f(w.at(-1) ?? Number.NaN, 3)} ms`);
		}
	} finally {
		await server.stop();
	}
	const delta = Math.abs(median(g) - median(w));
	summary.push({
		measure: '50 ms delay: |Δp50| golive vs wrk',
		value: hasWrk ? `${f(delta, 3)} ms (golive ${f(median(g), 3)}, wrk ${f(median(w), 3)})` : `wrk absent; golive p50 ${f(median(g), 3)} ms`,
		target: '≤ 1 ms',
		ok: hasWrk ? delta <= 1 : null,
	});
}

async function stallAccuracy(): Promise<void> {
	log('\n== accuracy: one 1 s stall at 1000 req/s (open model) vs a closed-loop tool ==');
	const rate = 1000;
	const durationMs = Math.round(10_000 * scale);
	const stallMs = 1000;
	// Requests intended during the stall wait S…0: of R·D samples, the top 1 % are the R·D/100 longest stalled ones.
	const analyticP99 = stallMs - (0.01 * durationMs * rate) / rate;
	const analyticP999 = stallMs - (0.001 * durationMs * rate) / rate;
	const server = await startServer('stall', String(Math.round(durationMs * 0.3)), String(stallMs));
	let g: RunnerResult;
	try {
		// Enough connections that every stalled request is on the wire: the pool queue's drain after the stall is client time, not the server's.
		g = await golive({url: server.url, rate, durationMs, poolConnections: 1500});
	} finally {
		await server.stop();
	}
	// Closed-loop tools beside it, each on a fresh server (the stall happens once per server).
	const beside: Array<{tool: string; p99: number}> = [];
	const closedRun = async (tool: string, run: (url: string) => Promise<number>): Promise<void> => {
		const closedServer = await startServer('stall', String(Math.round(durationMs * 0.3)), String(stallMs));
		try {
			beside.push({tool, p99: await run(closedServer.url)});
		} finally {
			await closedServer.stop();
		}
	};
	const seconds = Math.round(durationMs / 1000);
	if (autocannonBin) await closedRun('autocannon -c10', async (url) => (await autocannon(url, 10, seconds)).p99);
	// wrk back-fills samples from its mean rate (its own coordinated-omission estimate), so it sees more of the stall.
	if (hasWrk) await closedRun('wrk -c10', async (url) => (await wrk(url, 10, seconds)).p99);
	const e99 = (g.latencyMs.p99 - analyticP99) / analyticP99;
	const e999 = (g.latencyMs.p999 - analyticP999) / analyticP999;
	log(`golive p99 ${f(g.latencyMs.p99, 1)} ms (analytic ${analyticP99}), p99.9 ${f(g.latencyMs.p999, 1)} ms (analytic ${analyticP999}); ${beside.map((b) => `${b.tool} p99 ${f(b.p99, 1)} ms`).join(', ')}`);
	summary.push({measure: 'stall: p99 vs analytic', value: `${f(g.latencyMs.p99, 1)} ms vs ${analyticP99} (${f(e99 * 100, 1)} %)`, target: '±10 %', ok: Math.abs(e99) <= 0.1});
	summary.push({measure: 'stall: p99.9 vs analytic', value: `${f(g.latencyMs.p999, 1)} ms vs ${analyticP999} (${f(e999 * 100, 1)} %)`, target: '±10 %', ok: Math.abs(e999) <= 0.1});
	for (const b of beside) {
		const note = b.tool.startsWith('autocannon') ? ' (whole-ms, no CO correction)' : ' (wrk back-fills from its mean rate)';
		summary.push({measure: `stall: closed loop ${b.tool} p99`, value: `${f(b.p99, 1)} ms${note}`, target: 'report', ok: null});
	}
}

async function cpuPerRequest(): Promise<void> {
	log('\n== CPU per request, headless, 1000 req/s ==');
	const server = await startServer('fast');
	try {
		const r = await golive({url: server.url, rate: 1000, durationMs: Math.round(8000 * scale), warmupMs: 1000});
		log(`${r.requests} requests, ${f(r.cpuUsPerRequest, 1)} µs CPU/request, lag p99 ${f(r.scheduler.lagP99Ms, 2)} ms`);
		summary.push({measure: 'CPU per request at 1000 req/s', value: `${f(r.cpuUsPerRequest, 1)} µs (${f(r.cpuUsPerRequest / 10, 2)} % of a core)`, target: 'report', ok: null});
	} finally {
		await server.stop();
	}
}

async function soak(): Promise<void> {
	log('\n== RSS over a soak with the ring wrapping (windows 2 s / 6 s, 60 slots, 2000 req/s) ==');
	const server = await startServer('fast');
	const durationMs = Math.round(40_000 * scale);
	const firstWrap = 7000;
	try {
		const r = await golive({url: server.url, rate: 2000, durationMs, windowsMs: {'1m': 2000, '5m': 6000}, slots: 60, rssAtMs: [firstWrap, durationMs - 500]}, true);
		const first = r.rss[0]?.bytes ?? Number.NaN;
		const last = r.rss.at(-1)?.bytes ?? Number.NaN;
		log(`RSS after first wrap ${f(first / 1048576, 1)} MiB, at end ${f(last / 1048576, 1)} MiB, histograms ${f(r.memoryBytes / 1024, 0)} KiB/probe`);
		summary.push({measure: 'soak RSS end / first wrap', value: `${f(last / first, 3)}× (${f(first / 1048576, 1)} → ${f(last / 1048576, 1)} MiB)`, target: '≤ 1.05×', ok: last / first <= 1.05});
		summary.push({measure: 'histogram memory per probe', value: `${f(r.memoryBytes / 1024, 0)} KiB`, target: 'bounded', ok: null});
	} finally {
		await server.stop();
	}
}

/** The console's rows (issue 7): CPU and Δp99 of the screen vs headless at 500 req/s, first frame vs bare Ink. */
async function consoleCost(): Promise<void> {
	const r = await runTuiBench(quick ? {rounds: 3} : {});
	const o = r.overhead;
	summary.push({measure: 'console CPU over headless at 500 req/s', value: `+${f(o.overheadCpuPoints, 1)} points (${f(o.medianHeadlessCpuPoints, 1)} → ${f(o.medianTuiCpuPoints, 1)})`, target: '≤ 10 points', ok: r.targetsMet.cpu});
	summary.push({measure: 'console Δ board p99', value: o.deltaP99Ms === null ? 'n/a' : `${f(o.deltaP99Ms, 2)} ms`, target: '|Δ| ≤ 2 ms', ok: r.targetsMet.p99});
	summary.push({measure: 'first frame golive / bare Ink', value: `${f(r.firstFrame.ratio, 2)}× (${f(r.firstFrame.medianGoliveMs, 0)} vs ${f(r.firstFrame.medianInkMs, 0)} ms)`, target: '≤ 1.3×', ok: r.targetsMet.firstFrame});
}

/** The fleet's rows (issue 17): fleet p95 vs the exact p95 of all agents' samples, agent CPU per request. */
async function fleetRows(): Promise<void> {
	summary.push(...(await runFleetBench()));
}

async function main(): Promise<void> {
	const started = performance.now();
	const loadStart = loadavg().map((l) => l.toFixed(2)).join(' ');
	log(`golive bench: node ${process.version}, ${rounds} round(s)${quick ? ', quick' : ''}; autocannon ${autocannonBin ? 'found' : 'absent'}; wrk ${hasWrk ? 'found' : 'absent (skipped)'}`);
	for (const phase of [closedLoopThroughput, openModelCeiling, fixedDelayAccuracy, stallAccuracy, cpuPerRequest, soak, consoleCost, fleetRows]) {
		try {
			await phase();
		} catch (error) {
			summary.push({measure: phase.name, value: `failed: ${error instanceof Error ? error.message : String(error)}`, target: '', ok: false});
		}
	}
	const width = Math.max(...summary.map((r) => r.measure.length));
	const vwidth = Math.max(...summary.map((r) => r.value.length));
	// Other processes on the machine skew every number: say how busy it was.
	const lines = ['', `Summary (${f((performance.now() - started) / 1000, 0)} s; load average at start ${loadStart}, at end ${loadavg().map((l) => l.toFixed(2)).join(' ')})`, ''];
	for (const r of summary) lines.push(`${r.measure.padEnd(width)}  ${r.value.padEnd(vwidth)}  ${r.target.padEnd(14)} ${r.ok === null ? '' : r.ok ? 'PASS' : 'MISS'}`);
	process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
