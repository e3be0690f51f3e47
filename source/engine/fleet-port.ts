/**
 * The fleet for the running console: the probe agents' reading, polled once per publish
 * interval with the real SDK client (loaded in the background so the first frame does not
 * wait). Without a `fleet` section the port is absent and fleet rules read NO_DATA.
 */
import type {FleetSnapshot} from '../core/fleet-types.js';
import type {Plan} from '../core/plan-types.js';

export type FleetPort = {
	/** Newest reading; null before the first one. */
	latest(): FleetSnapshot | null;
	stop(): Promise<void>;
};

export type FleetPortOptions = {plan: Plan; now: () => number; env: NodeJS.ProcessEnv};

/** The percentile window: the longest window a fleet rule reads (the plan's `1m` when none does). */
function fleetWindowMs(plan: Plan): number {
	const windows = plan.windowsMs ?? {'1m': 60_000, '5m': 300_000};
	const used = plan.slos.filter((r) => r.source.kind === 'fleet').map((r) => windows[r.window]);
	return Math.max(windows['1m'], ...used);
}

export function fleetPort(options: FleetPortOptions): FleetPort | undefined {
	const {plan} = options;
	const fleet = plan.fleet;
	if (!fleet) return undefined;
	let latest: FleetSnapshot | null = null;
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	const watchStartMs = options.now();
	const started = import('../../probes/fleet-reader.js').then(({createFleetReader}) => {
		const reader = createFleetReader({
			service: plan.service,
			namespace: fleet.namespace,
			probeIds: plan.probes.map((p) => p.id),
			intervalMs: fleet.publishIntervalMs,
			minAgents: fleet.minAgents,
			windowMs: fleetWindowMs(plan),
			watchStartMs,
			...(plan.cloudwatch?.region !== undefined ? {region: plan.cloudwatch.region} : {}),
			...(plan.cloudwatch?.endpoint !== undefined ? {endpoint: plan.cloudwatch.endpoint} : {}),
			env: options.env,
			now: options.now,
		});
		// One read at a time, then wait a publish interval: a slow CloudWatch never piles reads up.
		const loop = async (): Promise<void> => {
			if (stopped) return;
			latest = await reader.read();
			if (!stopped) timer = setTimeout(() => void loop(), fleet.publishIntervalMs);
		};
		void loop();
		return reader;
	});
	return {
		latest: () => latest,
		stop: async () => {
			stopped = true;
			if (timer) clearTimeout(timer);
			(await started).close();
		},
	};
}
