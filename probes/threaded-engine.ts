/**
 * `golive probe --threads N`: the probe engine run in N worker threads for hosts whose one
 * event loop cannot keep up. Closed loop: the connections are split over the threads; open
 * model: each probe's rate is split, each thread sending its share on its own schedule
 * (latency is still timed from each request's intended send). At stop the threads' whole-run
 * histograms are merged exactly (histogram-transfer.ts).
 */
import {Worker} from 'node:worker_threads';
import type {ProbeTotals} from './probe-state.js';
import type {EncodedTotals, ThreadTotals} from './histogram-transfer.js';
import {mergeThreadTotals} from './histogram-transfer.js';
import type {ProbeEngineOptions} from './probe-engine.js';
import type {WorkerEngineOptions} from './probe-worker-protocol.js';
import {resolveWorkerEntry} from './probe-worker.js';

export type ThreadInit = {options: WorkerEngineOptions};
export type ThreadCommand = {type: 'start'} | {type: 'reset'} | {type: 'stop'};
export type ThreadMessage =
	| {type: 'ready'}
	| {type: 'stopped'; totals: ProbeTotals[]; encoded: EncodedTotals[]; lastError: string | null; memoryBytes: number}
	| {type: 'error'; message: string};

/** More threads than this buys nothing on any host golive targets, and each costs ~10 MB. */
export const maxThreads = 64;

/** Thread `index`'s share of `total` (the first `total % threads` threads take one more). */
export function shareOf(total: number, threads: number, index: number): number {
	return Math.floor(total / threads) + (index < total % threads ? 1 : 0);
}

/** Each thread's engine options: connections (closed) or every probe's rate (open) split N ways. */
export function splitOptions(options: WorkerEngineOptions, threads: number): WorkerEngineOptions[] {
	if (!Number.isInteger(threads) || threads < 1 || threads > maxThreads) throw new RangeError(`threads must be an integer from 1 to ${maxThreads}`);
	const mode = options.mode ?? {kind: 'open'};
	if (mode.kind === 'closed' && mode.connections < threads)
		throw new RangeError(`${threads} threads need at least ${threads} connections (got ${mode.connections})`);
	return Array.from({length: threads}, (_, i) => ({
		...options,
		mode: mode.kind === 'closed' ? {kind: 'closed', connections: shareOf(mode.connections, threads, i)} : mode,
		probes: mode.kind === 'closed' ? options.probes : options.probes.map((p) => ({...p, ratePerSec: p.ratePerSec / threads})),
		connections: options.connections === undefined ? undefined : Math.max(1, Math.ceil(options.connections / threads)),
	}));
}

export type ThreadedEngine = {
	start(): void;
	resetTotals(): void;
	/** Stops every thread and merges their results; rejects when a thread fails. */
	stop(): Promise<void>;
	/** Merged whole-run results (after `stop()`). */
	totals(): ProbeTotals[];
	/** The first thread's last error message, if any. */
	lastError(): string | null;
	/** Histogram memory over all threads, bytes. */
	memoryBytes(): number;
};

type ThreadHandle = {worker: Worker; stopped: Promise<Extract<ThreadMessage, {type: 'stopped'}>>};

/** Starts N threads and resolves once every one has built its engine (a bad option or missing env var rejects, naming it). */
export async function startThreadedEngine(options: Omit<ProbeEngineOptions, 'now'>, threads: number): Promise<ThreadedEngine> {
	const entry = resolveWorkerEntry('probes/probe-thread-entry.js');
	const handles: ThreadHandle[] = [];
	const ready: Array<Promise<void>> = [];
	for (const share of splitOptions(options, threads)) {
		const worker = new Worker(entry, {workerData: {options: share} satisfies ThreadInit});
		let onReady!: () => void;
		let onFail!: (error: Error) => void;
		ready.push(new Promise<void>((resolve, reject) => ([onReady, onFail] = [resolve, reject])));
		const stopped = new Promise<Extract<ThreadMessage, {type: 'stopped'}>>((resolve, reject) => {
			worker.on('message', (m: ThreadMessage) => {
				if (m.type === 'ready') onReady();
				else if (m.type === 'stopped') resolve(m);
				else {
					onFail(new Error(m.message));
					reject(new Error(m.message));
				}
			});
			worker.once('error', (e) => (onFail(e), reject(e)));
			worker.once('exit', (code) => reject(new Error(`probe thread exited (${code}) before its results`)));
		});
		stopped.catch(() => undefined);
		handles.push({worker, stopped});
	}
	const post = (command: ThreadCommand): void => handles.forEach((h) => h.worker.postMessage(command));
	try {
		await Promise.all(ready);
	} catch (error) {
		await Promise.all(handles.map((h) => h.worker.terminate()));
		throw error;
	}
	let merged: ProbeTotals[] = [];
	let lastError: string | null = null;
	let memoryBytes = 0;
	return {
		start: () => post({type: 'start'}),
		resetTotals: () => post({type: 'reset'}),
		async stop() {
			post({type: 'stop'});
			// A thread that does not finish in 10 s is terminated: stop must not hang the caller.
			const guard = setTimeout(() => handles.forEach((h) => void h.worker.terminate()), 10_000);
			try {
				const results = await Promise.all(handles.map((h) => h.stopped));
				const parts: ThreadTotals[] = results.map((r) => ({totals: r.totals, encoded: r.encoded}));
				merged = mergeThreadTotals(parts, options.maxLagMs ?? 10);
				lastError = results.find((r) => r.lastError)?.lastError ?? null;
				memoryBytes = results.reduce((sum, r) => sum + r.memoryBytes, 0);
			} finally {
				clearTimeout(guard);
			}
		},
		totals: () => merged,
		lastError: () => lastError,
		memoryBytes: () => memoryBytes,
	};
}
