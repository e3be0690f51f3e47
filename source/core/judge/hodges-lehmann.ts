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
 * bisection on d finds the smallest d reaching k (~20 passes of B1 + B2 steps).
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

type Sides = {xs: number[]; xc: number[]; ys: number[]; yc: number[]; nx: number};

/** Pairs (x, y) with y − x ≤ d, weighted by counts: one pass, the x pointer only moves forward. */
function pairsAtMost(s: Sides, d: number): number {
	// For each y (ascending), count x ≥ y − d: the threshold rises with y, so skip the x's below it.
	let total = 0;
	let i = 0;
	let below = 0;
	for (let j = 0; j < s.ys.length; j++) {
		const threshold = s.ys[j]! - d;
		while (i < s.xs.length && s.xs[i]! < threshold) below += s.xc[i++]!;
		total += s.yc[j]! * (s.nx - below);
	}
	return total;
}

/**
 * The k-th smallest (1-based) weighted difference y − x, to within `tolerance`:
 * bisection keeps count(lo) < k ≤ count(hi). On the linear scale the values are
 * whole µs, so a tolerance below 1 µs gives the exact difference; on the log
 * scale 1e-5 is a 0.001 % ratio, far below what is shown.
 */
function orderStatistic(s: Sides, k: number, tolerance: number): number {
	let lo = s.ys[0]! - s.xs.at(-1)!;
	let hi = s.ys.at(-1)! - s.xs[0]!;
	if (pairsAtMost(s, lo) >= k) return lo;
	while (hi - lo > tolerance) {
		const mid = lo + (hi - lo) / 2;
		if (pairsAtMost(s, mid) >= k) hi = mid;
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
	const sides: Sides = {xs: transformed(x, options.scale), xc: x.counts, ys: transformed(y, options.scale), yc: y.counts, nx: n1};
	const pairs = n1 * n2;
	// Whole µs (as HDR buckets are): bisect to below 1 µs, then the one integer in (lo, hi] is the exact difference.
	const integral = options.scale === 'linear' && sides.xs.every(Number.isInteger) && sides.ys.every(Number.isInteger);
	const tolerance = integral ? 0.5 : options.scale === 'log' ? 1e-5 : 1e-9 * Math.max(1, Math.abs(sides.ys.at(-1)! - sides.xs[0]!));
	const at = (k: number): number => (integral ? Math.floor(orderStatistic(sides, k, tolerance) + 1e-9) : orderStatistic(sides, k, tolerance));
	const estimate = pairs % 2 === 1 ? at((pairs + 1) / 2) : (at(pairs / 2) + at(pairs / 2 + 1)) / 2;
	const z = normalQuantile(1 - (1 - confidence) / 2);
	const k = Math.max(1, Math.floor(pairs / 2 - z * Math.sqrt(Math.max(0, options.varianceU))));
	return {estimate, lower: at(k), upper: at(pairs - k + 1), confidence};
}
