/**
 * Starts the demo's backend (`backend-worker.ts`) on a worker thread and hands back
 * its URLs and the demo plan loaded against them.
 */
import {Worker} from 'node:worker_threads';
import {resolveWorkerEntry} from '../../probes/probe-worker.js';
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

export function startDemoBackend(init: DemoBackendInit): Promise<DemoBackend> {
	const worker = new Worker(resolveWorkerEntry('source/demo/backend-worker.js'), {workerData: init});
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
