/**
 * Statistics over what was published to one metric in one period, as CloudWatch documents
 * them (Statistics definitions; PutMetricData; GetMetricStatistics):
 *
 * - Every datum is an entry `{count, sum, min, max}`: a `Value` is `{1, v, v, v}`, each
 *   `Values[i]`/`Counts[i]` pair is `{c, v·c, v, v}` (the value occurred c times), and a
 *   `StatisticValues` set is taken as published.
 * - SampleCount = Σ count, Sum = Σ sum, Average = Sum / SampleCount, Minimum/Maximum over
 *   the entries.
 * - Percentiles need raw values: a statistic set counts only if its SampleCount is 1 or
 *   its Min equals its Max; otherwise, and whenever any value is negative, the percentile
 *   is not available for that period (no datapoint).
 * - `p95` is the value below which 95 % of the period's data lies. Computed here as the
 *   nearest rank over the count-weighted values: the smallest published value whose
 *   cumulative count reaches 95 % of SampleCount. (CloudWatch does not document its
 *   interpolation; nearest rank never invents a value nobody published.)
 */
import {validation} from './cloudwatch-wire-errors.js';

/** One datum's contribution to a period. */
export type StatEntry = {count: number; sum: number; min: number; max: number};

/** The percentile asked for, or null when `stat` is not `pNN[.NN]`. */
function parsePercentile(stat: string): number | null {
	const match = /^p(\d{1,2}(?:\.\d+)?|100(?:\.0+)?)$/.exec(stat);
	if (!match) return null;
	const p = Number(match[1]);
	return p > 0 && p <= 100 ? p : null;
}

export function isKnownStat(stat: string): boolean {
	return ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'].includes(stat) || parsePercentile(stat) !== null;
}

/** Weighted nearest-rank percentile; NaN when CloudWatch would not have one. */
function percentileOf(p: number, entries: StatEntry[]): number {
	let total = 0;
	const points: Array<[number, number]> = [];
	for (const e of entries) {
		if (e.count > 1 && e.min !== e.max) return Number.NaN;
		if (e.min < 0) return Number.NaN;
		points.push([e.min, e.count]);
		total += e.count;
	}
	if (!(total > 0)) return Number.NaN;
	points.sort((a, b) => a[0] - b[0]);
	// A relative epsilon so 95 % of 20 is reached at the 19th sample despite float sums.
	const rank = (p / 100) * total * (1 - 1e-12);
	let cumulative = 0;
	for (const [value, count] of points) {
		cumulative += count;
		if (cumulative >= rank) return value;
	}
	return points.at(-1)![0];
}

/** One statistic over one period's entries (NaN when there is none to give). */
export function statisticOf(stat: string, entries: StatEntry[]): number {
	if (entries.length === 0) return Number.NaN;
	switch (stat) {
		case 'SampleCount':
			return entries.reduce((a, e) => a + e.count, 0);
		case 'Sum':
			return entries.reduce((a, e) => a + e.sum, 0);
		case 'Average':
			return entries.reduce((a, e) => a + e.sum, 0) / entries.reduce((a, e) => a + e.count, 0);
		case 'Minimum':
			return entries.reduce((a, e) => Math.min(a, e.min), Number.POSITIVE_INFINITY);
		case 'Maximum':
			return entries.reduce((a, e) => Math.max(a, e.max), Number.NEGATIVE_INFINITY);
		default: {
			const p = parsePercentile(stat);
			if (p === null) throw validation(`The parameter MetricDataQueries.member.1.MetricStat.Stat must be a valid statistic: ${stat}`, 'InvalidParameterValue');
			return percentileOf(p, entries);
		}
	}
}

/** One statistic over plain values (each published once). */
export function computeStat(stat: string, values: number[]): number {
	return statisticOf(
		stat,
		values.map((v) => ({count: 1, sum: v, min: v, max: v})),
	);
}
