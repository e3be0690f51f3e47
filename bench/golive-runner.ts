/**
 * One golive measurement in its own process (as autocannon and wrk run in theirs), so the
 * bench compares like with like: `node dist/bench/golive-runner.js '<json RunnerConfig>'`
 * prints one JSON `RunnerResult` line.
 */
import {spawnSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {Session} from 'node:inspector/promises';
import {pathToFileURL} from 'node:url';
import type {LatencySummary, SchedulerHealth} from '../source/core/measurements.js';
import type {WindowName} from '../source/core/plan-types.js';
import type {ProbeEngineOptions} from '../probes/probe-engine.js';
import {createProbeEngine} from '../probes/probe-engine.js';
import type {ProbeTotals} from '../probes/probe-state.js';
import {startThreadedEngine} from '../probes/threaded-engine.js';

export type RunnerConfig = {
	url: string;
	/** Open model at `rate`, or closed loop with `connections`. */
	rate?: number;
	connections?: number;
	/** Worker threads (`golive probe --threads`); 1 runs the engine on the main thread. @default 1 */
	threads?: number;
	/** Pool size in open mode (engine default when absent). */
	poolConnections?: number;
	durationMs: number;
	windowsMs?: Record<WindowName, number>;
	slots?: number;
	/** Everything (requests, latency, lag, CPU) is counted after this warm-up (JIT, connections), ms. @default 0 */
	warmupMs?: number;
	/** Take RSS (after a GC when exposed) at these ms since start. */
	rssAtMs?: number[];
	/** The probe reads which version answered from this response header (per-variant windows). @default none */
	variantHeader?: string;
	/** Write a V8 CPU profile of the measured part only (after the warm-up, so start-up does not swamp the hot path) to this file. */
	cpuProfileFile?: string;
	/** Pin this process's main thread (not its helper threads) to this core with `taskset -p`. @default not pinned here */
	mainThreadCore?: number;
};

export type RunnerResult = {
	requests: number;
	rps: number;
	errors: number;
	latencyMs: LatencySummary;
	scheduler: SchedulerHealth;
	/** CPU (user + system) per completed request while running, µs. */
	cpuUsPerRequest: number;
	/** User CPU alone per request, µs: the part that is golive's and undici's JavaScript (system time is the kernel's socket work). */
	cpuUserUsPerRequest: number;
	rss: Array<{atMs: number; bytes: number}>;
	memoryBytes: number;
	/** Responses per variant the probe saw (with `variantHeader`; one thread only). */
	variantsSeen: Record<string, number>;
};

/** What the runner drives, whether one engine on this thread or N in worker threads. */
type Measured = {
	start(): void;
	resetTotals(): void;
	stop(): Promise<void>;
	totals(): ProbeTotals[];
	memoryBytes(): number;
	variantsSeen(): Record<string, number>;
};

async function measured(options: ProbeEngineOptions, threads: number): Promise<Measured> {
	if (threads > 1) return Object.assign(await startThreadedEngine(options, threads), {variantsSeen: () => ({})});
	const engine = createProbeEngine(options);
	let memoryBytes = Number.NaN;
	let variantsSeen: Record<string, number> = {};
	return {
		start: () => engine.start(),
		resetTotals: () => engine.resetTotals(),
		async stop() {
			const snapshot = engine.snapshot()[0];
			memoryBytes = snapshot?.memoryBytes ?? Number.NaN;
			variantsSeen = Object.fromEntries(Object.entries(snapshot?.variants ?? {}).map(([name, seen]) => [name, seen.count]));
			await engine.stop();
		},
		totals: () => engine.totals(),
		memoryBytes: () => memoryBytes,
		variantsSeen: () => variantsSeen,
	};
}

export async function runGolive(config: RunnerConfig): Promise<RunnerResult> {
	// The main thread's id is the process id: `taskset -p` without `-a` moves that thread alone.
	if (config.mainThreadCore !== undefined) spawnSync('taskset', ['-p', '-c', String(config.mainThreadCore), String(process.pid)], {stdio: 'ignore'});
	const url = new URL(config.url);
	const engine = await measured(
		{
			baseUrl: url.origin,
			probes: [
				{
					id: 'bench',
					label: 'bench',
					method: 'GET',
					path: url.pathname,
					ratePerSec: config.rate ?? 1,
					timeoutMs: 10_000,
					maxResponseBytes: 1_048_576,
					kind: 'read',
					...(config.variantHeader ? {variantHeader: config.variantHeader} : {}),
				},
			],
			mode: config.connections ? {kind: 'closed', connections: config.connections} : {kind: 'open'},
			keepTotals: true,
			connections: config.poolConnections,
			windowsMs: config.windowsMs,
			slots: config.slots,
		},
		config.threads ?? 1,
	);
	const gc = (globalThis as {gc?: () => void}).gc;
	const rss: RunnerResult['rss'] = [];
	const timers = (config.rssAtMs ?? []).map((atMs) =>
		setTimeout(() => {
			gc?.();
			gc?.();
			rss.push({atMs, bytes: process.memoryUsage().rss});
		}, atMs),
	);
	let cpu0 = process.cpuUsage();
	engine.start();
	if (config.warmupMs) {
		await new Promise((resolve) => setTimeout(resolve, config.warmupMs));
		engine.resetTotals();
		cpu0 = process.cpuUsage();
	}
	const profiler = config.cpuProfileFile ? new Session() : undefined;
	if (profiler) {
		profiler.connect();
		await profiler.post('Profiler.enable');
		await profiler.post('Profiler.start');
	}
	await new Promise((resolve) => setTimeout(resolve, config.durationMs));
	// The measured window ends here: writing the profile and stopping (drain, encoding the totals) are not per-request work.
	const cpu = process.cpuUsage(cpu0);
	if (profiler && config.cpuProfileFile) {
		const {profile} = await profiler.post('Profiler.stop');
		writeFileSync(config.cpuProfileFile, JSON.stringify(profile));
		profiler.disconnect();
	}
	await engine.stop();
	for (const t of timers) clearTimeout(t);
	const t = engine.totals()[0]!;
	return {
		requests: t.requests,
		rps: (t.requests / t.elapsedMs) * 1000,
		errors: t.errors,
		latencyMs: t.latencyMs,
		scheduler: t.scheduler,
		cpuUsPerRequest: t.requests > 0 ? (cpu.user + cpu.system) / t.requests : Number.NaN,
		cpuUserUsPerRequest: t.requests > 0 ? cpu.user / t.requests : Number.NaN,
		rss,
		memoryBytes: engine.memoryBytes(),
		variantsSeen: engine.variantsSeen(),
	};
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const result = await runGolive(JSON.parse(process.argv[2] ?? '{}') as RunnerConfig);
	process.stdout.write(`${JSON.stringify(result)}\n`);
}
