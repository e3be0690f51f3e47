/**
 * Runs the probe engine in a worker_thread so that rendering (or anything else on the main
 * thread) never delays a send or a timestamp. The main thread gets snapshots every
 * `snapshotIntervalMs`; `stop()` resolves with the worker's final snapshot in `latest()`.
 */
import {existsSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {Worker} from 'node:worker_threads';
import type {ProbeSnapshot} from '../source/core/measurements.js';
import type {ProbeEngineOptions, ProbeTotals} from './probe-engine.js';
import type {WorkerInit, WorkerMessage} from './probe-worker-protocol.js';

export type ProbeWorkerOptions = ProbeEngineOptions & {
	snapshotIntervalMs: number;
	onSnapshot(snapshots: ProbeSnapshot[]): void;
	/** The engine could not start in the worker (bad option, missing env var). */
	onError?(message: string): void;
	/**
	 * The compiled worker entry. A Worker needs JavaScript, so from TypeScript sources (vitest)
	 * this resolves to `dist/probes/probe-worker-entry.js`. @default next to this module, else dist/
	 */
	workerEntry?: string | URL;
};

export type ProbeWorker = {
	stop(): Promise<void>;
	latest(): ProbeSnapshot[];
	/** Whole-run results after `stop()` (with `keepTotals`). */
	totals(): ProbeTotals[];
};

/**
 * Where a compiled worker entry is; `entry` is its path under the project root as compiled
 * (`probes/probe-worker-entry.js`). Bundled, every entry sits beside this module (dist/bin/); compiled by
 * tsc, it is under dist/; from TypeScript sources (vitest), dist/'s copy is used.
 */
export function resolveWorkerEntry(entry = 'probes/probe-worker-entry.js'): URL {
	const candidates = [`./${path.posix.basename(entry)}`, `../${entry}`, `../dist/${entry}`].map((relative) => new URL(relative, import.meta.url));
	const found = candidates.find((candidate) => existsSync(fileURLToPath(candidate)));
	if (found) return found;
	throw new Error(`worker entry ${entry} not found beside ${fileURLToPath(new URL('.', import.meta.url))} or under dist/: run \`npm run build\` first`);
}

export function startProbeWorker(options: ProbeWorkerOptions): ProbeWorker {
	const {snapshotIntervalMs, onSnapshot, onError, workerEntry, now: _now, ...engineOptions} = options;
	const init: WorkerInit = {options: engineOptions, snapshotIntervalMs};
	const worker = new Worker(workerEntry ?? resolveWorkerEntry(), {workerData: init});
	let latest: ProbeSnapshot[] = [];
	let totals: ProbeTotals[] = [];
	let exited = false;
	let stopping: Promise<void> | undefined;
	const exit = new Promise<void>((resolve) => {
		worker.once('exit', () => {
			exited = true;
			resolve();
		});
	});
	worker.on('message', (message: WorkerMessage) => {
		switch (message.type) {
			case 'snapshot':
				latest = message.snapshots;
				onSnapshot(latest);
				return;
			case 'stopped':
				latest = message.snapshots;
				totals = message.totals;
				onSnapshot(latest);
				return;
			case 'error':
				onError?.(message.message);
				return;
			default: {
				const _never: never = message;
				return _never;
			}
		}
	});
	worker.on('error', (error) => onError?.(error.message));
	return {
		stop() {
			if (stopping) return stopping;
			if (exited) return Promise.resolve();
			worker.postMessage({type: 'stop'});
			// A worker that does not finish within 5 s is terminated: stop must not hang the caller.
			const guard = setTimeout(() => void worker.terminate(), 5000);
			stopping = exit.then(() => clearTimeout(guard));
			return stopping;
		},
		latest: () => latest,
		totals: () => totals,
	};
}
