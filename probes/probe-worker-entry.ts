/**
 * Runs inside the probe worker_thread: builds the engine from `workerData`, posts a
 * snapshot every `snapshotIntervalMs`, stops on `{type: 'stop'}` and posts the final one.
 */
import {parentPort, workerData} from 'node:worker_threads';
import {createProbeEngine} from './probe-engine.js';
import type {WorkerInit, WorkerMessage, WorkerCommand} from './probe-worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('probe-worker-entry must run in a worker_thread');

const init = workerData as WorkerInit;
const post = (message: WorkerMessage): void => port.postMessage(message);

try {
	// The owner terminates a worker that takes 5 s to stop: in-flight requests get 1 s, then count as timeouts.
	const engine = createProbeEngine({drainMs: 1000, ...init.options});
	engine.start();
	const timer = setInterval(() => post({type: 'snapshot', snapshots: engine.snapshot()}), init.snapshotIntervalMs);
	port.on('message', (command: WorkerCommand) => {
		if (command.type !== 'stop') return;
		clearInterval(timer);
		void engine.stop().then(() => {
			post({type: 'stopped', snapshots: engine.snapshot(), totals: engine.totals()});
			port.close();
		});
	});
} catch (error) {
	post({type: 'error', message: error instanceof Error ? error.message : String(error)});
	port.close();
}
