/**
 * The latency judge: V2's histogram against V1's.
 *
 * - Location: Mann-Whitney U (a shift of the whole distribution), with the
 *   Hodges-Lehmann shift in ms and as a ratio (log scale), each with its 95 %
 *   interval.
 * - Tail: the share of each variant's samples above the pooled p99, compared
 *   as two proportions. Under "no difference" both are ~1 %; a V2 whose variance
 *   grew (same median, longer tail) has more, which a location test alone misses.
 *   Its effect is the p99 ratio.
 *
 * HIGH needs p < alpha and an effect clearing both plan minimums (relative and
 * absolute), so a large sample cannot flag a trivial difference.
 */
import type {LatencyBuckets} from './buckets.js';
import {bucketPercentile, bucketTotal, countAbove, mergeBuckets} from './buckets.js';
import type {Comparison, CompareSettings, Interval} from './comparison.js';
import {intervalConfidence, noComparison, relativePct, verdictOf} from './comparison.js';
import {hodgesLehmann} from './hodges-lehmann.js';
import {mannWhitney} from './mann-whitney.js';
import {compareProportions} from './proportions.js';

/** One variant as the latency judge reads it. */
export type LatencySide = {
	buckets: LatencyBuckets;
	/** The rule's statistic for this variant (e.g. its p95), ms; shown beside the verdict. */
	valueMs: number;
};

const toPct = (logRatio: number): number => (Math.exp(logRatio) - 1) * 100;

export function compareLatency(v1: LatencySide, v2: LatencySide, settings: CompareSettings): Comparison {
	const n1 = bucketTotal(v1.buckets);
	const n2 = bucketTotal(v2.buckets);
	const shown = {v1: v1.valueMs, v2: v2.valueMs, v1Samples: n1, v2Samples: n2, deltaPct: relativePct(v1.valueMs, v2.valueMs)};
	if (!(n1 >= settings.minSamples && n2 >= settings.minSamples)) {
		return noComparison('latency', `too few samples (V1 ${n1}, V2 ${n2}; ${settings.minSamples} each needed)`, shown);
	}

	const rank = mannWhitney(v1.buckets, v2.buckets);
	const options = {confidence: intervalConfidence, varianceU: rank.varianceU};
	const linear = hodgesLehmann(v1.buckets, v2.buckets, {...options, scale: 'linear'});
	const log = hodgesLehmann(v1.buckets, v2.buckets, {...options, scale: 'log'});
	const effectAbs: Interval = {estimate: linear.estimate / 1000, lower: linear.lower / 1000, upper: linear.upper / 1000};
	const effectPct: Interval = {estimate: toPct(log.estimate), lower: toPct(log.lower), upper: toPct(log.upper)};
	const location = verdictOf(rank.pValue, effectPct.estimate, effectAbs.estimate, settings);

	const threshold = bucketPercentile(mergeBuckets(v1.buckets, v2.buckets), 99);
	const tailTest = compareProportions(countAbove(v1.buckets, threshold), n1, countAbove(v2.buckets, threshold), n2);
	const v1P99 = bucketPercentile(v1.buckets, 99) / 1000;
	const v2P99 = bucketPercentile(v2.buckets, 99) / 1000;
	const tailHigh = tailTest.difference > 0 && verdictOf(tailTest.pValue, relativePct(v1P99, v2P99), v2P99 - v1P99, settings) === 'HIGH';
	const tail = {v1P99Ms: v1P99, v2P99Ms: v2P99, ratio: v2P99 / v1P99, pValue: tailTest.pValue, high: tailHigh};

	const method = rank.method === 'exact' ? 'mann-whitney-exact' : 'mann-whitney-normal';
	const base = {...shown, method, effectPct, effectAbs, tail} as const;
	if (location === 'HIGH' || (tailHigh && location !== 'LOW')) {
		const byTail = location !== 'HIGH';
		return {
			...base,
			metric: 'latency',
			verdict: 'HIGH',
			pValue: byTail ? tailTest.pValue : rank.pValue,
			note: byTail ? `V2 tail: p99 ${v2P99.toFixed(0)} ms vs ${v1P99.toFixed(0)} ms` : 'V2 slower (whole distribution shifted)',
		};
	}

	const note = location === 'LOW' ? 'V2 faster' : rank.pValue < settings.alpha ? 'difference below the minimum effect' : 'no significant difference';
	return {...base, metric: 'latency', verdict: location, pValue: rank.pValue, note};
}
