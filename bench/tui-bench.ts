/**
 * What the console costs over headless (issue 7's "Done when"): the real CLI at 500 req/s of
 * probes against the simulated service, once with `--json` and once in a real terminal (tmux),
 * interleaved; and time to first frame of `golive demo` vs a bare Ink hello-world. golive runs
 * as it ships (the bundle in dist/bin/); the hello-world runs as an Ink app is usually written
 * (unbundled), and once more bundled like golive, so golive's own cost shows beside the bundle's gain.
 * `node dist/bench/tui-bench.js` runs it alone; `npm run bench` calls `runTuiBench()`.
 */
import {spawn} from 'node:child_process';
import type {ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import type {Plan} from '../source/core/plan-types.js';
import {demoPlan} from '../source/plan/demo-plan.js';
import {startDemoService} from '../source/demo/service.js';
import {startCloudWatchServer} from '../source/demo/cloudwatch-server.js';
import {connectDemoMetrics} from '../source/demo/cloudwatch-feed.js';
import {checkRuleValue} from '../source/journal/check-values.js';
import type {CheckRecord} from '../source/journal/records.js';
import {build} from 'esbuild';
import {bundleOptions} from '../tools/bundle-options.js';
import {median} from './bench-stats.js';
import {Tmux, alive, cpuSeconds, reap} from './tui-processes.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const distDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cliPath = path.join(distDir, 'bin', 'golive.js');
const inkHelloPath = path.join(distDir, 'bench', 'ink-hello.js');

export type TuiBenchOptions = {
	/** Interleaved rounds per measurement (each round runs both sides). @default 5 */
	rounds?: number;
	/** Probe rate summed over all probes, req/s. @default 500 */
	totalRatePerSec?: number;
	/** Time from the canary's first check (gates A/B passed) to the CPU window's start (JIT, connections), ms. @default 3000 */
	warmupMs?: number;
	/** The measured window, ms; the plan's `1m` window is set to it, so the last check's p99 covers it. @default 12000 */
	windowMs?: number;
};

export type OverheadSample = {cpuPoints: number; boardP99Ms: number | null; load: number};

export type TuiBenchResult = {
	overhead: {
		totalRatePerSec: number;
		windowMs: number;
		headless: OverheadSample[];
		tui: OverheadSample[];
		medianHeadlessCpuPoints: number;
		medianTuiCpuPoints: number;
		/** median TUI − median headless, points of one core. Target ≤ 5. */
		overheadCpuPoints: number;
		medianHeadlessP99Ms: number | null;
		medianTuiP99Ms: number | null;
		/** Target |Δ| ≤ 1 ms. */
		deltaP99Ms: number | null;
	};
	firstFrame: {
		golive: number[];
		ink: number[];
		/** The same hello-world bundled like golive. */
		inkBundled: number[];
		medianGoliveMs: number;
		medianInkMs: number;
		medianInkBundledMs: number;
		/** golive / bare Ink. Target ≤ 1.1. */
		ratio: number;
		/** golive / bare Ink within each round. */
		ratios: number[];
		/** golive / the bundled hello-world within each round: golive's own cost, bundling aside. */
		ownRatios: number[];
		/** 1-minute load average after each round. */
		loads: number[];
	};
	targetsMet: {cpu: boolean; p99: boolean; firstFrame: boolean};
};

export const tuiTargets = {cpuPoints: 5, deltaP99Ms: 1, firstFrameRatio: 1.1} as const;

function medianOrNull(values: Array<number | null>): number | null {
	const known = values.filter((v): v is number => v !== null);
	return known.length === 0 ? null : median(known);
}

/**
 * The demo plan at `totalRatePerSec`, held at 10 % for the whole run: a 10-minute stage, rules and
 * triggers loosened so nothing rolls back on the bench's own load (this measures cost, not
 * verdicts), and the `board_p95` rule reading p99 over `windowMs` so every journal `check` record
 * carries the client-side board p99 in both modes (the TUI run has no NDJSON stream).
 */
function benchPlan(base: Plan, totalRatePerSec: number, windowMs: number, journalDir: string): Plan {
	const sum = base.probes.reduce((acc, p) => acc + p.ratePerSec, 0);
	const probes = base.probes.map((p) => ({...p, ratePerSec: (p.ratePerSec * totalRatePerSec) / sum}));
	const slos = base.slos.map((rule) => {
		if (rule.id === 'board_p95') {
			const source = rule.source.kind === 'probe' ? {...rule.source, stat: 'p99' as const} : rule.source;
			return {...rule, label: 'Board load p99 (bench)', source, threshold: 60_000};
		}
		return {...rule, threshold: rule.unit === 'ratio' ? 1 : 1e9};
	});
	return {
		...base,
		probes,
		slos,
		canary: {...base.canary, stageDurationMs: 600_000, abort: {...base.canary.abort, errorRate: 1, latencyMs: 60_000}},
		triggers: {sloBreachForMs: 600_000, errorBurst: {threshold: 1, intervals: 1000}, alarm: false},
		windowsMs: {'1m': windowMs, '5m': windowMs * 3},
		journalDir,
	};
}

/** The newest journal check with a board p99 at or before `endAt`, and what the journal holds (for the reason when there is none). */
function lastCheck(journalDir: string, endAt: number): {check: {at: number; value: number} | null; seen: string[]} {
	const seen: string[] = [];
	let check: {at: number; value: number} | null = null;
	const files = existsSync(journalDir) ? readdirSync(journalDir).filter((f) => f.endsWith('.jsonl')) : [];
	for (const file of files) {
		for (const line of readFileSync(path.join(journalDir, file), 'utf8').split('\n')) {
			if (!line.startsWith('{')) continue;
			let rec: unknown;
			try {
				rec = JSON.parse(line);
			} catch {
				continue;
			}
			const r = rec as {type?: unknown; at?: unknown; gate?: unknown; status?: unknown; detail?: unknown};
			// A gate's items say why it holds (under heavy load: the probes' scheduler lag makes a_performance no_data).
			seen.push(typeof r.gate === 'string' ? `gate ${r.gate} ${String(r.status)} (${String(r.detail)})` : String(r.type));
			// Check records carry every rule by its id (older journals: the run sheet's named fields); the one reader knows both.
			const value = r.type === 'check' ? checkRuleValue(rec as CheckRecord, 'board_p95') : null;
			if (typeof r.at !== 'number' || value === null) continue;
			if (r.at <= endAt && (check === null || r.at > check.at)) check = {at: r.at, value};
		}
	}
	return {check, seen};
}

/**
 * The client board p99 of the last journal check inside the window (its `1m` window is the measured one).
 * Throws, naming what the journal holds, when it has no such check: a launch that never reached
 * the canary (gate A waiting for sign-offs was how this row printed n/a) measures nothing.
 */
function journalP99(journalDir: string, endAt: number, mode: Mode): number {
	const {check, seen} = lastCheck(journalDir, endAt);
	if (check === null)
		throw new Error(`the ${mode} run's journal has no check with a board p99 before the window's end (it holds: ${seen.slice(-6).join(', ') || 'nothing'})`);
	return check.value;
}

/**
 * Waits until the launch is in its canary (the journal's first check), then `warmupMs` more:
 * on a loaded machine gates A and B take longer than any fixed warm-up, and a window opened
 * before the canary would time the gates, not the canary.
 */
async function awaitCanary(journalDir: string, pid: number, mode: Mode, warmupMs: number, timeoutMs = 90_000): Promise<void> {
	const started = performance.now();
	while (lastCheck(journalDir, Number.POSITIVE_INFINITY).check === null) {
		if (!alive(pid)) throw new Error(`the ${mode} run exited before its canary started`);
		if (performance.now() - started > timeoutMs) {
			throw new Error(
				`the ${mode} run's canary did not start within ${timeoutMs / 1000} s (journal: ${lastCheck(journalDir, Number.POSITIVE_INFINITY).seen.slice(-6).join(', ') || 'nothing'})`,
			);
		}
		await sleep(200);
	}
	await sleep(warmupMs);
}

type Mode = 'headless' | 'tui';

/**
 * Every run gets a service of its own, with the same seed: the flag starts at 0 % as for a fresh
 * launch, and the board's n-th request draws the same latency in both modes (the service draws
 * each route's latencies from a stream of its own), so the console-minus-headless p99 compares
 * the same server latencies instead of two samples of them.
 */
async function withService<T>(run: (base: Plan) => Promise<T>): Promise<T> {
	const service = await startDemoService({latencyScale: 0.05, seed: 7});
	const cw = await startCloudWatchServer();
	const disconnect = connectDemoMetrics(service, cw);
	try {
		return await run(demoPlan({serviceUrl: service.url, cloudwatchUrl: cw.url}));
	} finally {
		disconnect();
		await Promise.all([service.close(), cw.close()]);
	}
}

/** Static credentials for the loopback CloudWatch endpoint (as `golive demo` sets them), so the SDK never looks further (IMDS). */
const awsEnv = {AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true'} as const;
/** Gate A's UAT item needs two approvals before the canary starts (and with it the journal's checks). */
const signOffs = ['--sign-off', 'qa_lead=Bench QA', '--sign-off', 'product_owner=Bench PO'];
const awsEnvPrefix = `env ${Object.entries(awsEnv)
	.map(([k, v]) => `${k}=${v}`)
	.join(' ')}`;

async function measureRun(
	mode: Mode,
	planFile: string,
	journalDir: string,
	tmux: Tmux,
	options: Required<TuiBenchOptions>,
	round: number,
): Promise<OverheadSample> {
	let child: ChildProcess | null = null;
	let pid: number;
	const session = `run-${mode}-${round}`;
	if (mode === 'headless') {
		child = spawn(process.execPath, [cliPath, 'run', '--plan', planFile, '--json', '--auto', ...signOffs], {
			stdio: ['ignore', 'ignore', 'ignore'],
			env: {...process.env, ...awsEnv},
		});
		pid = child.pid ?? Number.NaN;
	} else {
		pid = await tmux.start(
			session,
			`${awsEnvPrefix} ${shellQuote(process.execPath)} ${shellQuote(cliPath)} run --plan ${shellQuote(planFile)} --auto ${signOffs.map(shellQuote).join(' ')}`,
		);
	}
	if (!Number.isInteger(pid)) throw new Error(`could not start the ${mode} run`);
	try {
		await awaitCanary(journalDir, pid, mode, options.warmupMs);
		if (!alive(pid)) throw new Error(`the ${mode} run exited during warm-up`);
		const cpu0 = cpuSeconds(pid);
		const t0 = performance.now();
		await sleep(options.windowMs);
		const cpu1 = cpuSeconds(pid);
		const wall = (performance.now() - t0) / 1000;
		const endAt = Date.now();
		// A console stuck on an error screen would measure nothing worth having.
		if (mode === 'tui' && !(await tmux.screen(session)).includes('StatusBoardV2')) throw new Error('the console is not on screen at the end of the window');
		return {cpuPoints: (100 * (cpu1 - cpu0)) / wall, boardP99Ms: journalP99(journalDir, endAt, mode), load: os.loadavg()[0] ?? Number.NaN};
	} finally {
		if (mode === 'headless') {
			child?.kill('SIGTERM');
			await reap(pid);
		} else {
			await tmux.stop(session, pid);
		}
	}
}

function shellQuote(value: string): string {
	return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Spawn → the first frame's text on the pane, polled every ~10 ms, ms. */
async function firstFrameMs(tmux: Tmux, session: string, command: string, marker: string, timeoutMs = 15_000): Promise<number> {
	const start = performance.now();
	const pid = await tmux.start(session, command);
	try {
		while (performance.now() - start < timeoutMs) {
			const tick = performance.now();
			if ((await tmux.screen(session)).includes(marker)) return performance.now() - start;
			const spent = performance.now() - tick;
			if (spent < 10) await sleep(10 - spent);
		}
		throw new Error(`no first frame (${JSON.stringify(marker)}) within ${timeoutMs} ms: ${command}`);
	} finally {
		await tmux.stop(session, pid);
	}
}

const fmt = (n: number | null, digits = 1) => (n === null || !Number.isFinite(n) ? '—' : n.toFixed(digits));

function printTable(r: TuiBenchResult, rounds: number): void {
	const o = r.overhead;
	const f = r.firstFrame;
	const ok = (met: boolean) => (met ? 'OK' : 'MISSED');
	const rows: string[][] = [
		['measure', 'headless / bare Ink', 'console', 'Δ or ratio', 'target', ''],
		[
			`CPU, points of a core (${o.totalRatePerSec} req/s)`,
			fmt(o.medianHeadlessCpuPoints),
			fmt(o.medianTuiCpuPoints),
			`+${fmt(o.overheadCpuPoints)} pts`,
			`≤ ${tuiTargets.cpuPoints} pts`,
			ok(r.targetsMet.cpu),
		],
		[
			'board p99 (client, journal), ms',
			fmt(o.medianHeadlessP99Ms, 2),
			fmt(o.medianTuiP99Ms, 2),
			`${o.deltaP99Ms !== null && o.deltaP99Ms > 0 ? '+' : ''}${fmt(o.deltaP99Ms, 2)} ms`,
			`|Δ| ≤ ${tuiTargets.deltaP99Ms} ms`,
			ok(r.targetsMet.p99),
		],
		[
			'time to first frame, ms',
			fmt(f.medianInkMs, 0),
			fmt(f.medianGoliveMs, 0),
			`${fmt(f.ratio, 2)}×`,
			`≤ ${tuiTargets.firstFrameRatio}×`,
			ok(r.targetsMet.firstFrame),
		],
		[
			'first frame vs the hello-world bundled alike, ms',
			fmt(f.medianInkBundledMs, 0),
			fmt(f.medianGoliveMs, 0),
			`${fmt(median(f.ownRatios), 2)}×`,
			'report',
			'',
		],
	];
	const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
	const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
	console.log(`\nTUI bench: medians of ${rounds} interleaved rounds; overhead window ${o.windowMs / 1000} s at ${o.totalRatePerSec} req/s, 160×48 tmux pane`);
	console.log(line(rows[0]!));
	for (const row of rows.slice(1)) console.log(line(row));
	console.log(`  per round CPU headless/console: ${o.headless.map((s) => fmt(s.cpuPoints)).join(' ')} / ${o.tui.map((s) => fmt(s.cpuPoints)).join(' ')}`);
	console.log(
		`  per round p99 headless/console: ${o.headless.map((s) => fmt(s.boardP99Ms, 2)).join(' ')} / ${o.tui.map((s) => fmt(s.boardP99Ms, 2)).join(' ')}`,
	);
	console.log(
		`  per round first frame ink/ink bundled/golive: ${f.ink.map((v) => fmt(v, 0)).join(' ')} / ${f.inkBundled.map((v) => fmt(v, 0)).join(' ')} / ${f.golive.map((v) => fmt(v, 0)).join(' ')}`,
	);
}

export async function runTuiBench(options: TuiBenchOptions = {}): Promise<TuiBenchResult> {
	const opts: Required<TuiBenchOptions> = {
		rounds: options.rounds ?? 5,
		totalRatePerSec: options.totalRatePerSec ?? 500,
		warmupMs: options.warmupMs ?? 3000,
		windowMs: options.windowMs ?? 12_000,
	};
	for (const file of [cliPath, inkHelloPath]) if (!existsSync(file)) throw new Error(`${file} is missing: build first (npm run build)`);
	const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'golive-tui-bench-'));
	const tmux = new Tmux();
	try {
		// One idle session keeps the tmux server up, so no measurement pays for starting it.
		await tmux.cmd('new-session', '-d', '-s', 'keeper', '-x', '160', '-y', '48', 'sleep 600');
		const samples: Record<Mode, OverheadSample[]> = {headless: [], tui: []};
		for (let round = 0; round < opts.rounds; round++) {
			// Alternate which side goes first, so drift (service state, page cache) hits both alike.
			const order: Mode[] = round % 2 === 0 ? ['headless', 'tui'] : ['tui', 'headless'];
			for (const mode of order) {
				const journalDir = path.join(tmpDir, `journal-${mode}-${round}`);
				const planFile = path.join(tmpDir, `plan-${mode}-${round}.json`);
				const sample = await withService((base) => {
					writeFileSync(planFile, JSON.stringify(benchPlan(base, opts.totalRatePerSec, opts.windowMs, journalDir), null, '\t'));
					return measureRun(mode, planFile, journalDir, tmux, opts, round);
				});
				samples[mode].push(sample);
			}
		}
		// No service runs from here on: first frames do not compete with probe traffic.
		const node = shellQuote(process.execPath);
		const inkBundledPath = path.join(tmpDir, 'ink-hello-bundle', 'ink-hello.js');
		await build(bundleOptions({'ink-hello': inkHelloPath}, path.dirname(inkBundledPath)));
		const runs = {
			golive: {command: `${node} ${shellQuote(cliPath)} demo --manual`, marker: 'StatusBoardV2'},
			ink: {command: `${node} ${shellQuote(inkHelloPath)}`, marker: 'hello from ink'},
			inkBundled: {command: `${node} ${shellQuote(inkBundledPath)}`, marker: 'hello from ink'},
		} as const;
		const sides = ['ink', 'inkBundled', 'golive'] as const;
		const frames: Record<(typeof sides)[number], number[]> = {golive: [], ink: [], inkBundled: []};
		const frameLoads: number[] = [];
		for (let round = 0; round < opts.rounds; round++) {
			// Each side takes each place in the order in turn.
			const order = sides.map((_, i) => sides[(i + round) % sides.length]!);
			for (const which of order) frames[which].push(await firstFrameMs(tmux, `ff-${which}-${round}`, runs[which].command, runs[which].marker));
			frameLoads.push(os.loadavg()[0] ?? Number.NaN);
		}
		const medianHeadlessCpuPoints = median(samples.headless.map((s) => s.cpuPoints));
		const medianTuiCpuPoints = median(samples.tui.map((s) => s.cpuPoints));
		const medianHeadlessP99Ms = medianOrNull(samples.headless.map((s) => s.boardP99Ms));
		const medianTuiP99Ms = medianOrNull(samples.tui.map((s) => s.boardP99Ms));
		const deltaP99Ms = medianHeadlessP99Ms !== null && medianTuiP99Ms !== null ? medianTuiP99Ms - medianHeadlessP99Ms : null;
		const medianGoliveMs = median(frames.golive);
		const medianInkMs = median(frames.ink);
		const medianInkBundledMs = median(frames.inkBundled);
		const result: TuiBenchResult = {
			overhead: {
				totalRatePerSec: opts.totalRatePerSec,
				windowMs: opts.windowMs,
				headless: samples.headless,
				tui: samples.tui,
				medianHeadlessCpuPoints,
				medianTuiCpuPoints,
				overheadCpuPoints: medianTuiCpuPoints - medianHeadlessCpuPoints,
				medianHeadlessP99Ms,
				medianTuiP99Ms,
				deltaP99Ms,
			},
			firstFrame: {
				golive: frames.golive,
				ink: frames.ink,
				inkBundled: frames.inkBundled,
				medianGoliveMs,
				medianInkMs,
				medianInkBundledMs,
				ratio: medianGoliveMs / medianInkMs,
				ratios: frames.golive.map((g, i) => g / frames.ink[i]!),
				ownRatios: frames.golive.map((g, i) => g / frames.inkBundled[i]!),
				loads: frameLoads,
			},
			targetsMet: {
				cpu: medianTuiCpuPoints - medianHeadlessCpuPoints <= tuiTargets.cpuPoints,
				p99: deltaP99Ms !== null && Math.abs(deltaP99Ms) <= tuiTargets.deltaP99Ms,
				firstFrame: medianGoliveMs / medianInkMs <= tuiTargets.firstFrameRatio,
			},
		};
		printTable(result, opts.rounds);
		return result;
	} finally {
		await tmux.close();
		rmSync(tmpDir, {recursive: true, force: true});
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const rounds = Number(process.env['TUI_BENCH_ROUNDS'] ?? '') || undefined;
	runTuiBench(rounds === undefined ? {} : {rounds}).then(
		() => process.exit(0),
		(error: unknown) => {
			console.error(error);
			process.exit(1);
		},
	);
}
