/**
 * One of `golive probe --threads N`'s worker threads: builds its share of the engine from
 * `workerData`, says `ready`, starts on `start` (so every thread starts together, after all
 * have booted), and on `stop` returns its totals with the histograms encoded for an exact merge.
 */
import {parentPort, workerData} from 'node:worker_threads';
import {createProbeEngine} from './probe-engine.js';
import type {ThreadCommand, ThreadInit, ThreadMessage} from './threaded-engine.js';

const port = parentPort;
if (!port) throw new Error('probe-thread-entry must run in a worker_thread');
const post = (message: ThreadMessage): void => port.postMessage(message);

try {
	const engine = createProbeEngine({...(workerData as ThreadInit).options, keepTotals: true});
	port.on('message', (command: ThreadCommand) => {
		switch (command.type) {
			case 'start':
				engine.start();
				return;
			case 'reset':
				engine.resetTotals();
				return;
			case 'stop':
				void engine.stop().then(() => {
					const snapshot = engine.snapshot();
					post({
						type: 'stopped',
						totals: engine.totals(),
						encoded: engine.encodedTotals(),
						lastError: snapshot.find((s) => s.lastError)?.lastError ?? null,
						memoryBytes: snapshot.reduce((sum, s) => sum + s.memoryBytes, 0),
					});
					port.close();
				});
				return;
			default: {
				const _never: never = command;
				return _never;
			}
		}
	});
	post({type: 'ready'});
} catch (error) {
	post({type: 'error', message: error instanceof Error ? error.message : String(error)});
	port.close();
}
