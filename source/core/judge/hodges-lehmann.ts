/**
 * The Hodges-Lehmann shift between two histograms and its distribution-free
 * confidence interval (Lehmann 1963, as in R's `wilcox.test(conf.int = TRUE)`
 * with the normal approximation): the median of all n1·n2 pairwise differences
 * V2 − V1, and the interval between the k-th smallest and k-th largest
 * difference, k = ⌊n1·n2/2 − z·σ_U⌋ with the tie-corrected σ_U.
 *
 * With buckets there are n1·n2 weighted differences but only B1·B2 distinct
 * ones; the k-th smallest is found without listing them: the number of pairs
 * with a difference ≤ d is one merge-like pass over both bucket lists, and a
 * bisection on d finds the smallest d reaching k (~60 passes of B1 + B2 steps).
 *
 * `scale: 'log'` works on ln(latency): the shift is then a ratio (V2 is
 * e^shift times V1), which is what "35 % slower" means for a right-skewed
 * latency distribution. The rank test itself is the same on either scale.
 */
import type {LatencyBuckets} from './buckets.js';
import {bucketTotal} from './buckets.js';
import {normalQuantile} from './normal.js';

export type ShiftEstimate = {
	/** Median pairwise difference V2 − V1 (µs on the linear scale, a log-ratio on the log scale). */
	estimate: number;
	lower: number;
	upper: number;
	/** Confidence level of [lower, upper], e.g. 0.95. */
	confidence: number;
};

export type ShiftScale = 'linear' | 'log';

function transformed(b: LatencyBuckets, scale: ShiftScale): number[] {
	return scale === 'log' ? b.valuesMicros.map((v) => Math.log(Math.max(v, 1))) : b.valuesMicros;
}

/** Pairs (x, y) with y − x ≤ d, weighted by counts: one pass, x pointer only moves forward. */
function pairsAtMost(xs: number[], xc: number[], ys: number[], yc: number[], d: number): number {
	// For each y (ascending), count x ≥ y − d: the threshold rises with y, so skip x's below it.
	let total = 0;
	let i = 0;
	let belowCount = 0;
	let nx = 0;
	for (const c of xc) nx += c;
	for (let j = 0; j < ys.length; j++) {
		const threshold = ys[j]! - d;
		while (i < xs.length && xs[i]! < threshold) belowCount += xc[i++]!;
		total += yc[j]! * (nx - belowCount);
	}
	return total;
}

/** The k-th smallest (1-based) weighted difference y − x. */
function orderStatistic(xs: number[], xc: number[], ys: number[], yc: number[], k: number): number {
	let lo = ys[0]! - xs.at(-1)!;
	let hi = ys.at(-1)! - xs[0]!;
	if (pairsAtMost(xs, xc, ys, yc, lo) >= k) return lo;
	// Invariant: count(lo) < k ≤ count(hi). 60 halvings reach double precision for any span.
	for (let step = 0; step < 60 && hi - lo > Math.abs(hi) * 1e-12 + 1e-12; step++) {
		const mid = lo + (hi - lo) / 2;
		if (pairsAtMost(xs, xc, ys, yc, mid) >= k) hi = mid;
		else lo = mid;
	}
	return hi;
}

/** Shift of V2 (`y`) against V1 (`x`) with a `confidence` interval; NaN when either is empty. */
export function hodgesLehmann(x: LatencyBuckets, y: LatencyBuckets, options: {confidence: number; varianceU: number; scale: ShiftScale}): ShiftEstimate {
	const n1 = bucketTotal(x);
	const n2 = bucketTotal(y);
	const confidence = options.confidence;
	if (n1 === 0 || n2 === 0) return {estimate: Number.NaN, lower: Number.NaN, upper: Number.NaN, confidence};
	const xs = transformed(x, options.scale);
	const ys = transformed(y, options.scale);
	const pairs = n1 * n2;
	const at = (k: number): number => orderStatistic(xs, x.counts, ys, y.counts, k);
	const estimate = pairs % 2 === 1 ? at((pairs + 1) / 2) : (at(pairs / 2) + at(pairs / 2 + 1)) / 2;
	const z = normalQuantile(1 - (1 - confidence) / 2);
	const k = Math.max(1, Math.floor(pairs / 2 - z * Math.sqrt(Math.max(0, options.varianceU))));
	return {estimate, lower: at(k), upper: at(pairs - k + 1), confidence};
}
