/**
 * The measured programs of `npm run bench`, each in its own process: the fast server, golive's
 * runner, the bare-undici ceiling, autocannon (npm) and wrk (Debian). With `taskset` on a
 * machine of ≥ 2 cores the server runs on core 0 and every client on core 1, so a client
 * never competes with the server it measures for a core (other load on the machine still can:
 * the rows print the load average).
 */
import {spawn, spawnSync} from 'node:child_process';
import {createRequire} from 'node:module';
import {availableParallelism} from 'node:os';
import {fileURLToPath} from 'node:url';
import {NotMeasured} from './bench-stats.js';
import type {CeilingConfig, CeilingResult} from './undici-ceiling.js';
import type {RunnerConfig, RunnerResult} from './golive-runner.js';

const here = fileURLToPath(new URL('.', import.meta.url));

const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
/** Whether server and clients run on separate cores. */
export const pinned = hasTaskset && availableParallelism() >= 2;
export const pinning = pinned
	? "server on core 0, clients on core 1 (taskset; the open model pins golive's main thread only)"
	: hasTaskset
		? 'one core: not pinned'
		: 'taskset absent: not pinned';

/** `command args` on `core` when pinning is possible. */
function onCore(core: number, command: string, args: string[]): [string, string[]] {
	return pinned ? ['taskset', ['-c', String(core), command, ...args]] : [command, args];
}

export type ServerHandle = {url: string; stop(): Promise<void>};

/** Starts `fast-server.js MODE…` in its own process (core 0) and waits for its port. */
export function startServer(...mode: string[]): Promise<ServerHandle> {
	const [command, args] = onCore(0, process.execPath, [`${here}fast-server.js`, ...mode]);
	const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'inherit']});
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

/** Runs a client on core 1 (unpinned when `pinSelf`: it pins its own main thread); resolves with its stdout, rejects with its stderr's head. */
function runClient(command: string, args: string[], timeoutMs: number, pinSelf = false): Promise<string> {
	const [cmd, argv] = pinSelf ? [command, args] : onCore(1, command, args);
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, argv, {stdio: ['ignore', 'pipe', 'pipe']});
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

/**
 * golive's runner on core 1. With `mainThreadOnly`, only its main thread (the scheduler's) is pinned and
 * V8's and libuv's helper threads float: pinned to the same core they preempt the scheduler (at 3,000 req/s
 * lag p99 2.1–2.2 ms with the whole process pinned, 1.2–1.4 ms unpinned).
 */
export function golive(config: RunnerConfig, exposeGc = false, mainThreadOnly = false): Promise<RunnerResult> {
	const pinSelf = mainThreadOnly && pinned;
	const args = [...(exposeGc ? ['--expose-gc'] : []), `${here}golive-runner.js`, JSON.stringify(pinSelf ? {...config, mainThreadCore: 1} : config)];
	return runClient(process.execPath, args, config.durationMs + (config.warmupMs ?? 0) + 30_000, pinSelf).then((out) => JSON.parse(out) as RunnerResult);
}

export function undiciCeiling(config: CeilingConfig): Promise<CeilingResult> {
	return runClient(process.execPath, [`${here}undici-ceiling.js`, JSON.stringify(config)], config.durationMs + 30_000).then(
		(out) => JSON.parse(out) as CeilingResult,
	);
}

const autocannonBin = (() => {
	try {
		return createRequire(import.meta.url).resolve('autocannon/autocannon.js');
	} catch {
		return undefined;
	}
})();

export const hasAutocannon = autocannonBin !== undefined;

export type ToolResult = {rps: number; p50: number; p99: number; p999: number};

/** autocannon's JSON result; `workers` > 0 runs its worker-thread mode. */
export async function autocannon(url: string, connections: number, seconds: number, workers = 0): Promise<ToolResult> {
	if (!autocannonBin) throw new NotMeasured('autocannon is not installed (npm install: it is a devDependency)');
	const w = workers > 0 ? ['-w', String(workers)] : [];
	const out = await runClient(process.execPath, [autocannonBin, '-c', String(connections), '-d', String(seconds), ...w, '-j', url], seconds * 1000 + 30_000);
	const r = JSON.parse(out) as {duration: number; requests: {total: number}; latency: {p50: number; p99: number; p99_9: number}};
	return {rps: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, p999: r.latency.p99_9};
}

export const hasWrk = spawnSync('wrk', ['--version']).error === undefined;

function wrkMs(text: string): number {
	const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
	if (!m) return Number.NaN;
	const v = Number(m[1]);
	return m[2] === 'us' ? v / 1000 : m[2] === 'ms' ? v : m[2] === 's' ? v * 1000 : v * 60_000;
}

export async function wrk(url: string, connections: number, seconds: number): Promise<ToolResult> {
	if (!hasWrk) throw new NotMeasured('wrk is not installed (Debian: apt-get install wrk)');
	const out = await runClient('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], seconds * 1000 + 30_000);
	const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
	const p50 = wrkMs(/ 50%\s+(\S+)/.exec(out)?.[1] ?? '');
	const p99 = wrkMs(/ 99%\s+(\S+)/.exec(out)?.[1] ?? '');
	return {rps, p50, p99, p999: Number.NaN};
}
