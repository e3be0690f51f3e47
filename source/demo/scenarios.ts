/**
 * What each demo scenario does to the requests V2 serves. V1 always behaves
 * like the healthy baseline: the canary compares a new variant against it.
 */
import {healthyLatency, overloadedBoardLatency} from './latency-model.js';
import type {LatencyDistribution, ServedRoute} from './latency-model.js';

export const demoScenarios = ['healthy', 'regression', 'occ-storm', 'alarm', 'subtle'] as const;
export type DemoScenario = (typeof demoScenarios)[number];

export function isDemoScenario(value: unknown): value is DemoScenario {
	return typeof value === 'string' && (demoScenarios as readonly string[]).includes(value);
}

export const scenarioDescriptions = {
	healthy: 'V1 and V2 alike; every SLO green at every stage',
	regression: 'V2 hits a capacity cliff at >= 25 % of traffic: board 1.2-3 s and ~10 % 5xx',
	'occ-storm': 'V2 bumps appointment versions behind the client: most V2 moves get 409',
	alarm: 'service healthy; the CloudWatch feed raises an alarm from 30 %',
	subtle: 'V2 ~35 % slower on the board and ~0.5 % more errors; every aggregate SLO stays green, only V2 vs V1 shows it',
} as const satisfies Record<DemoScenario, string>;

export type Variant = 'v1' | 'v2';

/** Share of V2 traffic from which the regression's V2 falls over (fine at 10 %, broken at 30 %). */
export const regressionCliffPercent = 25;

/** Background 5xx share of data routes, the StatusBoardV2 run sheet's "≈ 0.1 %". */
const baselineFaultRate = 0.001;
/** V2's 5xx share past the regression cliff. */
const overloadedFaultRate = 0.1;
/**
 * Another dispatcher editing the same card just before a move: "moves rarely conflict".
 * Kept low because the demo compresses windows: 10 moves/s into a 20 s window that
 * allows ~2 conflicts must not breach by chance.
 */
const baselineForeignEditRate = 0.0005;
/** occ-storm: V2's sync bug rewrites the record under most moves it serves. */
const stormForeignEditRate = 0.6;

export type RouteBehaviour = {
	latency: LatencyDistribution;
	/** Probability of answering 500 instead. */
	faultRate: number;
	/** Probability that a move finds its record's version bumped behind the client's back. */
	foreignEditRate: number;
};

/** Data routes can fail; health and the flag API (the control plane) never inject faults. */
function injectsFaults(route: ServedRoute): boolean {
	switch (route) {
		case 'board':
		case 'drawer':
		case 'stats':
		case 'move':
			return true;
		case 'health':
		case 'flags':
			return false;
		default: {
			const _never: never = route;
			return _never;
		}
	}
}

/**
 * subtle: V2's board is this much slower at every percentile (the same shape, scaled),
 * far below any SLO at 10 % or 30 % (the aggregate p95 moves ~5 %, from ~345 ms).
 */
const subtleBoardSlowdown = 1.35;
/** subtle: V2's extra 5xx share on data routes (the 5 m error rate at 30 % moves by ~0.15 points of a 1 % SLO). */
const subtleExtraFaultRate = 0.005;

/** Background noise every variant has, tunable per service. */
export type Baseline = {faultRate: number; foreignEditRate: number};
export const defaultBaseline: Baseline = {faultRate: baselineFaultRate, foreignEditRate: baselineForeignEditRate};

export function routeBehaviour(
	route: ServedRoute,
	variant: Variant,
	scenario: DemoScenario,
	rolloutPercent: number,
	noise: Baseline = defaultBaseline,
): RouteBehaviour {
	const baseline: RouteBehaviour = {
		latency: healthyLatency[route],
		faultRate: injectsFaults(route) ? noise.faultRate : 0,
		foreignEditRate: route === 'move' ? noise.foreignEditRate : 0,
	};
	if (variant === 'v1') return baseline;
	switch (scenario) {
		case 'healthy':
		case 'alarm':
			return baseline;
		case 'regression': {
			if (rolloutPercent < regressionCliffPercent || !injectsFaults(route)) return baseline;
			return {
				...baseline,
				latency: route === 'board' ? overloadedBoardLatency : baseline.latency,
				faultRate: overloadedFaultRate,
			};
		}
		case 'occ-storm':
			return route === 'move' ? {...baseline, foreignEditRate: stormForeignEditRate} : baseline;
		case 'subtle': {
			if (!injectsFaults(route)) return baseline;
			const l = baseline.latency;
			const latency =
				route === 'board' ? {...l, medianMs: l.medianMs * subtleBoardSlowdown, minMs: l.minMs * subtleBoardSlowdown, maxMs: l.maxMs * subtleBoardSlowdown} : l;
			return {...baseline, latency, faultRate: baseline.faultRate + subtleExtraFaultRate};
		}
		default: {
			const _never: never = scenario;
			return _never;
		}
	}
}
