/**
 * Starts the demo's backend (`backend-worker.ts`) on a worker thread and hands back
 * its URLs and the demo plan loaded against them.
 */
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {Worker} from 'node:worker_threads';
import type {Plan} from '../core/plan-types.js';
import type {DemoBackendCommand, DemoBackendInit, DemoBackendMessage} from './backend-protocol.js';

export type DemoBackend = {
	serviceUrl: string;
	cloudwatchUrl: string;
	/** The demo plan against the two URLs, loaded (defaults filled, checked) like any golive.json. */
	plan: Plan;
	/** Stops both servers; resolves once the worker has exited. */
	close(): Promise<void>;
};

/** A worker that has not stopped its servers by then is terminated: closing must not hang the demo's exit. @default 5000 */
const closeTimeoutMs = 5000;

/** The compiled worker: beside this module in dist/, or dist/'s copy when this runs from TypeScript (vitest). */
function workerEntry(): URL {
	const beside = new URL('./backend-worker.js', import.meta.url);
	if (existsSync(fileURLToPath(beside))) return beside;
	const dist = new URL('../../dist/source/demo/backend-worker.js', import.meta.url);
	if (existsSync(fileURLToPath(dist))) return dist;
	throw new Error(`demo backend worker not found (${fileURLToPath(dist)}): run \`npm run build\` first`);
}

export function startDemoBackend(init: DemoBackendInit): Promise<DemoBackend> {
	const worker = new Worker(workerEntry(), {workerData: init});
	const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
	let closing: Promise<void> | null = null;
	const close = (): Promise<void> => {
		closing ??= (async () => {
			worker.postMessage({type: 'close'} satisfies DemoBackendCommand);
			const guard = setTimeout(() => void worker.terminate(), closeTimeoutMs);
			await exited;
			clearTimeout(guard);
		})();
		return closing;
	};
	return new Promise<DemoBackend>((resolve, reject) => {
		const fail = (message: string) => {
			void worker.terminate();
			reject(new Error(`the demo's simulated service did not start: ${message}`));
		};
		worker.once('message', (message: DemoBackendMessage) => {
			switch (message.type) {
				case 'ready':
					resolve({serviceUrl: message.serviceUrl, cloudwatchUrl: message.cloudwatchUrl, plan: message.plan, close});
					return;
				case 'failed':
					fail(message.message);
					return;
				default: {
					const _never: never = message;
					return _never;
				}
			}
		});
		worker.on('error', (error) => fail(error.message));
		void exited.then(() => fail('its worker exited'));
	});
}
