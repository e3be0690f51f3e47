/**
 * A probe agent: the plan's probes, headless, folded per publish interval and published to
 * CloudWatch (see fleet-metrics.ts for what goes where). It only probes: it never reads or
 * writes the feature flag.
 *
 * Intervals are aligned to the clock (multiples of the interval since the epoch) and every
 * datum is stamped with its interval's start, so every agent's data for one interval falls
 * in the same CloudWatch period. The heartbeat is published only for intervals the agent
 * saw to their end: a stopped agent drops out of the next interval's count.
 */
import type {ProbeSpec} from '../source/core/plan-types.js';
import {sanitize} from '../source/core/sanitize.js';
import {allValue, agentDimensions, fleetMetricNames, probeDimensions} from './fleet-metrics.js';
import type {FleetDatum, FleetPublisher, PublishOutcome} from './fleet-publisher.js';
import {LatencySketch} from './latency-sketch.js';
import type {RecordedSample} from './probe-engine.js';
import {createProbeEngine} from './probe-engine.js';

const timeoutKinds = new Set(['connect_timeout', 'headers_timeout', 'total_timeout']);

/** What one (probe, variant) saw in one interval. */
type IntervalCell = {probe: string; variant: string; sketch: LatencySketch; requests: number; errors: number; timeouts: number};

/** One published (or failed) interval, as `--json` streams it. */
export type AgentPublication = {
	intervalStartMs: number;
	intervalEndMs: number;
	location: string;
	/** False for the last, partial interval at stop: no heartbeat for it. */
	complete: boolean;
	cells: Array<{
		probe: string;
		variant: string;
		requests: number;
		errors: number;
		timeouts: number;
		pairs: number;
		foldErrorPct: number | null;
		p95Ms: number | null;
	}>;
	data: number;
	outcome: PublishOutcome;
	callsLastHour: number;
};

export type FleetAgentOptions = {
	service: string;
	location: string;
	baseUrl: string;
	probes: ProbeSpec[];
	intervalMs: number;
	publisher: FleetPublisher;
	onPublication: (p: AgentPublication) => void;
	env?: Record<string, string | undefined>;
	/** @default Date.now */
	now?: () => number;
	/** Extra hook on every sample (the bench and tests keep raw samples). @default none */
	onSample?: (sample: RecordedSample) => void;
};

export type FleetAgent = {
	start(): void;
	/** Stops probing, publishes the partial last interval (without heartbeat), and waits for pending publishes. */
	stop(): Promise<void>;
};

/** Nearest-rank p95 of a folded distribution (what CloudWatch will compute from it). */
function foldedP95(values: number[], counts: number[]): number | null {
	const total = counts.reduce((a, b) => a + b, 0);
	if (total === 0) return null;
	let cumulative = 0;
	for (let k = 0; k < values.length; k++) {
		cumulative += counts[k]!;
		if (cumulative >= 0.95 * total * (1 - 1e-12)) return values[k]!;
	}
	return values.at(-1) ?? null;
}

/** The data for one interval, cells × {location, all}. */
export function intervalData(
	service: string,
	location: string,
	startMs: number,
	cells: IntervalCell[],
	complete: boolean,
): {data: FleetDatum[]; view: AgentPublication['cells']} {
	const data: FleetDatum[] = [];
	const view: AgentPublication['cells'] = [];
	for (const cell of cells) {
		const folded = cell.sketch.fold();
		view.push({
			probe: cell.probe,
			variant: cell.variant,
			requests: cell.requests,
			errors: cell.errors,
			timeouts: cell.timeouts,
			pairs: folded?.values.length ?? 0,
			foldErrorPct: folded ? Number(folded.foldErrorPct.toFixed(3)) : null,
			p95Ms: folded ? foldedP95(folded.values, folded.counts) : null,
		});
		for (const where of [location, allValue]) {
			const dimensions = probeDimensions(service, cell.probe, cell.variant, where);
			if (folded)
				data.push({metricName: fleetMetricNames.latency, dimensions, timestampMs: startMs, unit: 'Milliseconds', values: folded.values, counts: folded.counts});
			data.push({metricName: fleetMetricNames.requests, dimensions, timestampMs: startMs, unit: 'Count', value: cell.requests});
			data.push({metricName: fleetMetricNames.errors, dimensions, timestampMs: startMs, unit: 'Count', value: cell.errors});
			data.push({metricName: fleetMetricNames.timeouts, dimensions, timestampMs: startMs, unit: 'Count', value: cell.timeouts});
		}
	}
	if (complete) {
		for (const where of [location, allValue])
			data.push({metricName: fleetMetricNames.agents, dimensions: agentDimensions(service, where), timestampMs: startMs, unit: 'Count', value: 1});
	}
	return {data, view};
}

export function createFleetAgent(options: FleetAgentOptions): FleetAgent {
	const now = options.now ?? Date.now;
	const intervalMs = options.intervalMs;
	let cells = new Map<string, IntervalCell>();
	let intervalStart = Math.floor(now() / intervalMs) * intervalMs;
	let timer: NodeJS.Timeout | undefined;
	let chain: Promise<void> = Promise.resolve();
	let stopped = false;

	const cellFor = (probe: string, variant: string): IntervalCell => {
		const key = `${probe}\u0000${variant}`;
		let cell = cells.get(key);
		if (!cell) {
			cell = {probe, variant, sketch: new LatencySketch(), requests: 0, errors: 0, timeouts: 0};
			cells.set(key, cell);
		}
		return cell;
	};
	// Every probe is published every interval, even with no request: zero counts are data.
	const seedCells = (): void => {
		for (const p of options.probes) cellFor(p.id, allValue);
	};
	seedCells();

	const onSample = (s: RecordedSample): void => {
		options.onSample?.(s);
		const variants = s.variant === undefined ? [allValue] : [allValue, sanitize(s.variant, 64) || 'unknown'];
		for (const variant of variants) {
			const cell = cellFor(s.probeId, variant);
			cell.sketch.record(s.latencyMicros / 1000);
			cell.requests++;
			if (s.error) cell.errors++;
			if (s.error && timeoutKinds.has(s.error)) cell.timeouts++;
		}
	};

	const engine = createProbeEngine({baseUrl: options.baseUrl, probes: options.probes, env: options.env, now, onSample});

	/** Closes the current interval and queues its publication (publishes run one at a time). */
	const rotate = (complete: boolean): void => {
		const closed = [...cells.values()];
		const startMs = intervalStart;
		const endMs = startMs + intervalMs;
		cells = new Map();
		// A timer can fire a hair before the boundary by the wall clock: never reopen the interval just closed.
		intervalStart = Math.max(Math.floor(now() / intervalMs) * intervalMs, endMs);
		if (!stopped) seedCells();
		const {data, view} = intervalData(options.service, options.location, startMs, closed, complete);
		chain = chain.then(async () => {
			const outcome = await options.publisher.publish(data);
			options.onPublication({
				intervalStartMs: startMs,
				intervalEndMs: endMs,
				location: options.location,
				complete,
				cells: view,
				data: data.length,
				outcome,
				callsLastHour: options.publisher.callsLastHour(),
			});
		});
	};

	const schedule = (): void => {
		const next = intervalStart + intervalMs;
		timer = setTimeout(
			() => {
				if (stopped) return;
				// Samples recorded after the boundary but before this timer fired stay in the closing interval: at most a few ms.
				rotate(true);
				schedule();
			},
			Math.max(0, next - now()),
		);
	};

	return {
		start() {
			engine.start();
			schedule();
		},
		async stop() {
			if (stopped) return;
			stopped = true;
			if (timer) clearTimeout(timer);
			await engine.stop();
			rotate(false);
			await chain;
		},
	};
}
