/**
 * One probe agent in its own process for the fleet bench:
 * `node dist/bench/fleet-agent-runner.js '<json AgentRunnerConfig>'` prints one JSON line with
 * its CPU per request and every raw sample (completion time, latency), so the bench can
 * compare the fleet's percentile with the exact one over all agents' samples.
 */
import {pathToFileURL} from 'node:url';
import {createFleetAgent} from '../probes/fleet-agent.js';
import {createFleetPublisher} from '../probes/fleet-publisher.js';

export type AgentRunnerConfig = {url: string; rate: number; durationMs: number; location: string; cloudwatchUrl: string; namespace: string; intervalMs: number};
export type AgentRunnerResult = {requests: number; cpuUsPerRequest: number; published: number; failed: number; samples: Array<[number, number]>};

async function runAgent(config: AgentRunnerConfig): Promise<AgentRunnerResult> {
	const url = new URL(config.url);
	const env = {AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true'};
	const publisher = createFleetPublisher({namespace: config.namespace, endpoint: config.cloudwatchUrl, env, now: Date.now});
	const samples: Array<[number, number]> = [];
	let published = 0;
	let failed = 0;
	const agent = createFleetAgent({
		service: 'bench',
		location: config.location,
		baseUrl: url.origin,
		probes: [
			{id: 'bench', label: 'bench', method: 'GET', path: url.pathname, ratePerSec: config.rate, timeoutMs: 10_000, maxResponseBytes: 1_048_576, kind: 'read'},
		],
		intervalMs: config.intervalMs,
		publisher,
		env,
		onPublication: (p) => {
			published += p.outcome.accepted;
			failed += p.outcome.failed;
		},
		onSample: (s) => samples.push([s.at, s.latencyMicros / 1000]),
	});
	const cpu0 = process.cpuUsage();
	agent.start();
	await new Promise((resolve) => setTimeout(resolve, config.durationMs));
	await agent.stop();
	const cpu = process.cpuUsage(cpu0);
	publisher.close();
	return {requests: samples.length, cpuUsPerRequest: samples.length > 0 ? (cpu.user + cpu.system) / samples.length : Number.NaN, published, failed, samples};
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const result = await runAgent(JSON.parse(process.argv[2] ?? '{}') as AgentRunnerConfig);
	process.stdout.write(`${JSON.stringify(result)}\n`);
}
