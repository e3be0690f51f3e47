/**
 * The fleet's bench rows: three agents (each its own process) against servers with fixed
 * delays of 20, 50 and 100 ms at equal rates, publishing to the CloudWatch-compatible
 * endpoint; the fleet p95 read back with the real SDK against the exact p95 of every raw
 * sample in the same window; and the agent's CPU per request beside a plain probe at the
 * same rate. Standalone: `node dist/bench/fleet-bench.js`.
 */
import {spawn} from 'node:child_process';
import type {Server} from 'node:net';
import type {AddressInfo} from 'node:net';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {createFleetReader} from '../probes/fleet-reader.js';
import {startCloudWatchServer} from '../source/demo/cloudwatch-server.js';
import {startFastServer} from './fast-server.js';
import {NotMeasured} from './bench-stats.js';
import type {AgentRunnerConfig, AgentRunnerResult} from './fleet-agent-runner.js';
import type {RunnerResult} from './golive-runner.js';

export type FleetBenchRow = {measure: string; value: string; target: string; ok: boolean | null};

const here = fileURLToPath(new URL('.', import.meta.url));

function child<T>(script: string, config: unknown, timeoutMs: number): Promise<T> {
	return new Promise((resolve, reject) => {
		const proc = spawn(process.execPath, [`${here}${script}`, JSON.stringify(config)], {stdio: ['ignore', 'pipe', 'inherit']});
		let out = '';
		proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
		const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
		proc.once('error', reject);
		proc.once('exit', (code) => {
			clearTimeout(timer);
			if (code === 0) resolve(JSON.parse(out) as T);
			else reject(new Error(`${script} exited ${code}`));
		});
	});
}

function nearestRank(sorted: number[], p: number): number {
	return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] ?? Number.NaN;
}

const f = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');

export async function runFleetBench(options: {rate?: number; durationMs?: number} = {}): Promise<FleetBenchRow[]> {
	const rate = options.rate ?? 200;
	const durationMs = options.durationMs ?? 15_000;
	const windowMs = 5000;
	const intervalMs = 1000;
	const cw = await startCloudWatchServer();
	const servers: Server[] = [];
	try {
		for (const ms of [20, 50, 100]) servers.push(await startFastServer({kind: 'delay', ms}));
		const urls = servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/`);
		const started = Date.now();
		const agents = await Promise.all(
			urls.map((url, k) =>
				child<AgentRunnerResult>(
					'fleet-agent-runner.js',
					{url, rate, durationMs, location: `loc-${k}`, cloudwatchUrl: cw.url, namespace: 'golive/bench', intervalMs} satisfies AgentRunnerConfig,
					durationMs + 30_000,
				),
			),
		);
		// The first 5 s period wholly inside the run after 3 s (process start-up, warm-up).
		const windowStart = Math.ceil((started + 3000) / windowMs) * windowMs;
		const reader = createFleetReader({
			service: 'bench',
			namespace: 'golive/bench',
			probeIds: ['bench'],
			intervalMs,
			minAgents: 3,
			windowMs,
			watchStartMs: started,
			endpoint: cw.url,
			env: {AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1'},
			// Read as if just after that window closed.
			now: () => windowStart + windowMs + 1000,
		});
		const reading = await reader.read();
		reader.close();
		const raw = agents
			.flatMap((a) => a.samples)
			.filter(([at]) => at >= windowStart && at < windowStart + windowMs)
			.map(([, ms]) => ms)
			.sort((a, b) => a - b);
		const exact = nearestRank(raw, 95);
		const fleetP95 = reading.probes[0]?.p95 ?? Number.NaN;
		// Nothing to compare is a row that did not measure, not a miss.
		if (raw.length === 0 || !Number.isFinite(fleetP95))
			throw new NotMeasured(
				`fleet p95: ${raw.length} raw samples and ${reading.agents} of 3 agents in the 5 s window read (agents slow to start on a loaded machine?)`,
			);
		const error = ((fleetP95 - exact) / exact) * 100;
		const agentCpu = agents.reduce((a, r) => a + r.cpuUsPerRequest, 0) / agents.length;
		// A plain probe at the same rate against the 50 ms server, in its own process as the agents are.
		const plain = await child<RunnerResult>('golive-runner.js', {url: urls[1], rate, durationMs: durationMs - 4000, warmupMs: 1000}, durationMs + 30_000);
		return [
			{
				measure: 'fleet p95 vs exact p95 of all raw samples (3 agents, 20/50/100 ms)',
				value: `${f(fleetP95, 2)} vs ${f(exact, 2)} ms (${f(error, 2)} %, ${raw.length} samples, ${reading.agents} agents)`,
				target: '|e| ≤ 2 %',
				ok: Math.abs(error) <= 2,
			},
			{
				measure: `agent CPU per request at ${rate} req/s vs plain probe`,
				value: `${f(agentCpu, 1)} µs vs ${f(plain.cpuUsPerRequest, 1)} µs (${f(agentCpu / plain.cpuUsPerRequest, 2)}×)`,
				target: 'report',
				ok: null,
			},
		];
	} finally {
		for (const s of servers) s.close();
		await cw.close();
	}
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const rows = await runFleetBench();
	for (const r of rows) process.stdout.write(`${r.measure}  ${r.value}  ${r.target} ${r.ok === null ? '' : r.ok ? 'PASS' : 'MISS'}\n`);
	process.exit(0);
}
