/**
 * `golive demo --scenario fleet`: three probe agents in three simulated locations, each
 * reaching the demo service through its own loopback "network" that adds a fixed delay;
 * one location is degraded (slower, and an outage of 2 s in every 10 s, so its synthetic
 * checks fail twice in a row and its uptime falls to about 80 %). The agents publish to
 * the demo's CloudWatch-compatible endpoint; the console reads the merged fleet.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import type {FleetAgent} from '../../probes/fleet-agent.js';
import type {Plan} from '../core/plan-types.js';

export const fleetScenarioDescription = 'healthy service; three probe agents (eu-west, us-east, ap-south: degraded) merged by CloudWatch';

/**
 * The demo plan with a fleet: agents publish every second, the console needs all three, and
 * a fleet rule (board p95 over every agent < 800 ms) joins the SLOs.
 */
export function withFleet(plan: Plan): Plan {
	return {
		...plan,
		fleet: {namespace: 'golive/demo-fleet', publishIntervalMs: 1000, minAgents: fleetDemoLocations.length},
		slos: [
			...plan.slos,
			// The reading's window is the 8 s "1m" window rounded up to a 10 s period, read once a second: up to ~12 s old.
			{
				id: 'fleet_board_p95',
				label: 'Board p95, all locations',
				source: {kind: 'fleet', probe: 'board', stat: 'p95'},
				window: '1m',
				op: '<',
				threshold: 800,
				unit: 'ms',
				minSamples: 20,
				maxAgeMs: 25_000,
				onNoData: 'hold',
			},
		],
	};
}

type DemoLocation = {name: string; delayMs: number; outage: boolean};

const fleetDemoLocations: readonly DemoLocation[] = [
	{name: 'eu-west', delayMs: 5, outage: false},
	{name: 'us-east', delayMs: 40, outage: false},
	{name: 'ap-south', delayMs: 150, outage: true},
];

/** Outage: the first 2 s of every 10 s (wall clock), every request answered 502. */
function inOutage(now: number): boolean {
	return now % 10_000 < 2000;
}

/** A loopback hop to `target` that waits `delayMs` before forwarding (and fails during outages). */
async function startNetwork(target: string, location: DemoLocation): Promise<{url: string; close(): Promise<void>}> {
	const upstream = new URL(target);
	const server = http.createServer((req, res) => {
		setTimeout(() => {
			if (location.outage && inOutage(Date.now())) {
				res.writeHead(502, {'content-type': 'text/plain'}).end('bad gateway (simulated outage)\n');
				return;
			}
			const forward = http.request({host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers}, (reply) => {
				res.writeHead(reply.statusCode ?? 502, reply.headers);
				reply.pipe(res);
			});
			forward.on('error', () => res.headersSent || res.writeHead(502).end());
			req.pipe(forward);
		}, location.delayMs);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/** Starts the three agents (read probes only, at a quarter of the plan's rate); `stop` ends them and their networks. */
export async function startFleetDemo(plan: Plan, env: NodeJS.ProcessEnv): Promise<{stop(): Promise<void>}> {
	const fleet = plan.fleet;
	if (!fleet) throw new Error('the fleet demo needs a plan with a fleet section');
	// Loaded here, not with `golive demo`: the probe engine (undici, HDR) and the AWS SDK would cost every demo's first frame.
	const [{createFleetAgent}, {createFleetPublisher}] = await Promise.all([import('../../probes/fleet-agent.js'), import('../../probes/fleet-publisher.js')]);
	const baseUrl = plan.environments[plan.environment]!.baseUrl;
	const probes = plan.probes.filter((p) => p.kind !== 'occ-move').map((p) => ({...p, ratePerSec: Math.max(1, p.ratePerSec / 4)}));
	const networks: Array<{close(): Promise<void>}> = [];
	const agents: FleetAgent[] = [];
	const firstPublications: Array<Promise<void>> = [];
	for (const location of fleetDemoLocations) {
		const network = await startNetwork(baseUrl, location);
		networks.push(network);
		const publisher = createFleetPublisher({
			namespace: fleet.namespace,
			region: plan.cloudwatch?.region,
			endpoint: plan.cloudwatch?.endpoint,
			env,
			now: Date.now,
		});
		let published: () => void = () => undefined;
		firstPublications.push(new Promise<void>((resolve) => (published = resolve)));
		const agent = createFleetAgent({
			service: plan.service,
			location: location.name,
			baseUrl: network.url,
			probes,
			intervalMs: fleet.publishIntervalMs,
			publisher,
			env,
			onPublication: () => published(),
		});
		agents.push(agent);
		agent.start();
	}
	// The SDK's first call is heavy (loading, credential chain): let it pass before the console's own start-up checks run.
	await Promise.race([Promise.all(firstPublications), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
	return {
		stop: async () => {
			await Promise.allSettled(agents.map((a) => a.stop()));
			await Promise.allSettled(networks.map((n) => n.close()));
		},
	};
}
