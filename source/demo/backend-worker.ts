/**
 * The demo's backend in a worker thread: the simulated StatusBoardV2 service, the
 * CloudWatch-compatible endpoint, the feed between them, and the demo plan loaded
 * against their URLs. On its own thread the simulated service never shares an event
 * loop with the probes that time it or the console that draws, and its start-up
 * (servers, the plan's schema validation) runs beside the console's.
 */
import {parentPort, workerData} from 'node:worker_threads';
import {demoPlan} from '../plan/demo-plan.js';
import type {DemoBackendCommand, DemoBackendInit, DemoBackendMessage} from './backend-protocol.js';
import {connectDemoMetrics} from './cloudwatch-feed.js';
import {startCloudWatchServer} from './cloudwatch-server.js';
import {startDemoService} from './service.js';

const port = parentPort;
if (port === null) throw new Error('backend-worker.js runs as a worker thread (source/demo/backend.ts starts it)');
const init = workerData as DemoBackendInit;
const say = (message: DemoBackendMessage) => port.postMessage(message);

try {
	const service = await startDemoService({scenario: init.scenario, faultRate: init.faultRate});
	const cloudwatch = await startCloudWatchServer();
	const disconnect = connectDemoMetrics(service, cloudwatch);
	port.once('message', (command: DemoBackendCommand) => {
		switch (command.type) {
			case 'close':
				disconnect();
				void Promise.allSettled([service.close(), cloudwatch.close()]).then(() => port.close());
				return;
			default: {
				const _never: never = command.type;
				return _never;
			}
		}
	});
	say({
		type: 'ready',
		serviceUrl: service.url,
		cloudwatchUrl: cloudwatch.url,
		plan: demoPlan({serviceUrl: service.url, cloudwatchUrl: cloudwatch.url, judge: init.judge}),
	});
} catch (error) {
	say({type: 'failed', message: error instanceof Error ? error.message : String(error)});
	port.close();
}
