/**
 * The Mann-Whitney U test (Wilcoxon rank sum) over two histograms' buckets.
 *
 * Every sample in a bucket shares the bucket's value, so a bucket is a group of
 * ties and gets the group's mid-rank. U counts the (V1, V2) pairs in which V2 is
 * slower, a tie counting one half; under "no difference" its mean is n1·n2/2.
 *
 * - Large samples: the normal approximation with the tie-corrected variance
 *   n1·n2/12 · ((N+1) − Σ(t³−t)/(N(N−1))) and a continuity correction of ½
 *   toward the mean (as R's `wilcox.test(correct = TRUE)` and scipy's
 *   `mannwhitneyu(use_continuity=True)`).
 * - Small samples (N ≤ `exactMaxN`): the exact permutation distribution of the
 *   rank sum, ties included (the distribution conditional on the observed tie
 *   groups, by dynamic programming over the groups), two-sided p = 2 × the
 *   smaller tail, as R does for the exact test.
 */
import type {LatencyBuckets} from './buckets.js';
import {bucketTotal} from './buckets.js';
import {twoSidedP} from './normal.js';

export type RankTestResult = {
	/** U of V2 against V1: pairs with V2 > V1, ties ½. */
	u: number;
	n1: number;
	n2: number;
	/** U / (n1·n2): the chance a V2 response is slower than a V1 one (ties ½). 0.5 = no difference. */
	probabilityHigher: number;
	/** Standardized U with continuity correction (0 when |U − mean| ≤ ½). */
	z: number;
	/** Two-sided. */
	pValue: number;
	method: 'exact' | 'normal';
	/** Tie-corrected variance of U under no difference. */
	varianceU: number;
};

/** At or below this many samples in all, the p-value is exact. @default 50 */
const defaultExactMaxN = 50;

/** One group of equal values across both samples. */
type TieGroup = {inX: number; inY: number};

/** Walks both bucket lists in value order and yields the tie groups. */
function tieGroups(x: LatencyBuckets, y: LatencyBuckets): TieGroup[] {
	const groups: TieGroup[] = [];
	let i = 0;
	let j = 0;
	while (i < x.valuesMicros.length || j < y.valuesMicros.length) {
		const vx = i < x.valuesMicros.length ? x.valuesMicros[i]! : Number.POSITIVE_INFINITY;
		const vy = j < y.valuesMicros.length ? y.valuesMicros[j]! : Number.POSITIVE_INFINITY;
		const v = Math.min(vx, vy);
		groups.push({inX: vx === v ? x.counts[i++]! : 0, inY: vy === v ? y.counts[j++]! : 0});
	}
	return groups;
}

/** Tie-corrected variance of U: n1·n2/12 · ((N+1) − Σ(t³−t)/(N(N−1))). */
function rankSumVariance(n1: number, n2: number, groups: readonly TieGroup[]): number {
	const n = n1 + n2;
	if (n < 2) return 0;
	let ties = 0;
	for (const g of groups) {
		const t = g.inX + g.inY;
		ties += t * t * t - t;
	}
	return ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)));
}

/**
 * Exact two-sided p of the doubled rank sum of Y: every way of choosing n2 of
 * the N samples, tie groups kept (group g contributes k of its t members at
 * score s_g = twice its mid-rank, in C(t, k) ways).
 */
function exactPValue(groups: readonly TieGroup[], n2: number, observedDoubledSum: number): number {
	const scores: Array<{t: number; s: number}> = [];
	let below = 0;
	for (const g of groups) {
		const t = g.inX + g.inY;
		scores.push({t, s: 2 * below + t + 1});
		below += t;
	}
	const n = below;
	const maxSum = n * (n + 1);
	const width = maxSum + 1;
	let dp = new Float64Array((n2 + 1) * width);
	dp[0] = 1;
	let taken = 0;
	for (const {t, s} of scores) {
		const next = new Float64Array(dp.length);
		const choose = [1];
		for (let k = 1; k <= t; k++) choose.push((choose[k - 1]! * (t - k + 1)) / k);
		const maxK = Math.min(n2, taken + t);
		for (let k = 0; k <= Math.min(n2, taken); k++) {
			const row = k * width;
			for (let sum = 0; sum < width; sum++) {
				const ways = dp[row + sum]!;
				if (ways === 0) continue;
				for (let add = 0; add <= t && k + add <= maxK; add++) {
					const to = (k + add) * width + sum + add * s;
					if (sum + add * s < width) next[to]! += ways * choose[add]!;
				}
			}
		}
		dp = next;
		taken += t;
	}
	const row = n2 * width;
	let total = 0;
	let atOrBelow = 0;
	let atOrAbove = 0;
	for (let sum = 0; sum < width; sum++) {
		const ways = dp[row + sum]!;
		if (ways === 0) continue;
		total += ways;
		if (sum <= observedDoubledSum) atOrBelow += ways;
		if (sum >= observedDoubledSum) atOrAbove += ways;
	}
	return Math.min(1, (2 * Math.min(atOrBelow, atOrAbove)) / total);
}

/** Mann-Whitney U of V2 (`y`) against V1 (`x`). NaN p-value when either side is empty. */
export function mannWhitney(x: LatencyBuckets, y: LatencyBuckets, options: {exactMaxN?: number} = {}): RankTestResult {
	const n1 = bucketTotal(x);
	const n2 = bucketTotal(y);
	const groups = tieGroups(x, y);
	let below = 0;
	let doubledRankSumY = 0;
	for (const g of groups) {
		const t = g.inX + g.inY;
		doubledRankSumY += g.inY * (2 * below + t + 1);
		below += t;
	}
	const u = doubledRankSumY / 2 - (n2 * (n2 + 1)) / 2;
	const varianceU = rankSumVariance(n1, n2, groups);
	const mean = (n1 * n2) / 2;
	const offset = u - mean;
	const z = varianceU > 0 && Math.abs(offset) > 0.5 ? (offset - Math.sign(offset) * 0.5) / Math.sqrt(varianceU) : 0;
	const base = {u, n1, n2, probabilityHigher: n1 * n2 > 0 ? u / (n1 * n2) : Number.NaN, z, varianceU};
	if (n1 === 0 || n2 === 0) return {...base, pValue: Number.NaN, method: 'normal'};
	if (n1 + n2 <= (options.exactMaxN ?? defaultExactMaxN)) return {...base, pValue: exactPValue(groups, n2, doubledRankSumY), method: 'exact'};
	// Every value tied: no evidence either way.
	return {...base, pValue: varianceU > 0 ? twoSidedP(z) : 1, method: 'normal'};
}
