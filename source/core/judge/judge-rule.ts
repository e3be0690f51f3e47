/**
 * One rule's V2-vs-V1 comparison at one check, from the per-variant windows the
 * probe measured. Called by rule evaluation when the rule has `compare`.
 */
import type {ProbeWindow, VariantWindow} from '../measurements.js';
import type {ProbeStat} from '../plan-types.js';
import {emptyBuckets} from './buckets.js';
import {compareLatency} from './compare-latency.js';
import {compareRates} from './compare-rates.js';
import type {Comparison, CompareSettings, ComparedMetric} from './comparison.js';
import {noComparison} from './comparison.js';

type StatReader = (window: Pick<ProbeWindow, 'latencyMs' | 'errorRate' | 'conflicts' | 'requests'>, stat: ProbeStat) => number;

/**
 * The comparison for `metric` over `window`'s variants. `unusable` is why the
 * aggregate reading is not usable (stale, scheduler behind…): the judge then has
 * no data either.
 */
export function judgeWindow(
	metric: ComparedMetric,
	stat: ProbeStat,
	window: ProbeWindow | undefined,
	settings: CompareSettings,
	readStat: StatReader,
	unusable?: string,
): Comparison {
	if (unusable !== undefined) return noComparison(metric, unusable);
	const v1 = window?.variants?.v1;
	const v2 = window?.variants?.v2;
	if (!v1 || !v2) {
		const missing = !window?.variants ? 'no responses named their version yet' : `no ${v1 ? 'V2' : 'V1'} responses in the window`;
		return noComparison(metric, missing, {v1Samples: v1?.requests ?? 0, v2Samples: v2?.requests ?? 0});
	}
	switch (metric) {
		case 'latency':
			return compareLatency(side(v1, stat, readStat), side(v2, stat, readStat), settings);
		case 'errorRate':
			return compareRates(metric, {events: v1.errors, requests: v1.requests}, {events: v2.errors, requests: v2.requests}, settings);
		case 'conflicts':
			return compareRates(metric, {events: v1.conflicts, requests: v1.requests}, {events: v2.conflicts, requests: v2.requests}, settings);
		default: {
			const _never: never = metric;
			return _never;
		}
	}
}

function side(v: VariantWindow, stat: ProbeStat, readStat: StatReader) {
	return {buckets: v.buckets ?? emptyBuckets, valueMs: readStat(v, stat)};
}
