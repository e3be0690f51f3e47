/**
 * One publish interval's latencies as a CloudWatch distribution: at most 150 value/count
 * pairs per datum (PutMetricData's `Values`/`Counts` limit).
 *
 * Recording: log buckets of ratio γ = 1.01 (bucket i holds (γ^(i-1), γ^i] ms), with each
 * bucket's count and sum, so memory is bounded by the range (≈ 1,900 buckets from 1 µs to
 * 120 s), whatever the rate.
 *
 * Folding: while more than 150 buckets are non-empty, neighbouring buckets are grouped k at
 * a time (the smallest k that fits), and each group is published as its count-weighted
 * mean with its total count. So Sum, SampleCount and Average stay exact, and every sample
 * is published within a factor γ^k of its true value: the folding error bound on any
 * percentile is γ^k − 1 (1 % when nothing had to be merged; 13.8 % at the worst case k = 13
 * that a 1 µs…120 s spread forces; a launch's latencies usually span far less). The bound
 * is published beside each datum (`foldErrorPct`) so a reading can state it.
 */

/** Ratio between neighbouring buckets. */
const sketchGamma = 1.01;
/** PutMetricData's limit on `Values` per datum. */
export const maxDistributionPairs = 150;
const logGamma = Math.log(sketchGamma);
/** Values at or below this (ms) share the lowest bucket: 1 µs. */
const floorMs = 0.001;

export type FoldedDistribution = {
	values: number[];
	counts: number[];
	/** Relative error bound the folding adds to any percentile, %. */
	foldErrorPct: number;
	count: number;
	sum: number;
	min: number;
	max: number;
};

export class LatencySketch {
	private readonly buckets = new Map<number, {count: number; sum: number}>();
	count = 0;
	sum = 0;
	min = Number.POSITIVE_INFINITY;
	max = Number.NEGATIVE_INFINITY;

	record(ms: number): void {
		if (!Number.isFinite(ms)) return;
		const v = ms < floorMs ? floorMs : ms;
		const index = Math.ceil(Math.log(v) / logGamma);
		const bucket = this.buckets.get(index);
		if (bucket) {
			bucket.count++;
			bucket.sum += v;
		} else this.buckets.set(index, {count: 1, sum: v});
		this.count++;
		this.sum += v;
		if (v < this.min) this.min = v;
		if (v > this.max) this.max = v;
	}

	/** The distribution in at most `maxPairs` pairs, ascending; null when nothing was recorded. */
	fold(maxPairs = maxDistributionPairs): FoldedDistribution | null {
		if (this.count === 0) return null;
		const indices = [...this.buckets.keys()].sort((a, b) => a - b);
		let k = 1;
		let groups = groupBy(indices, k);
		while (groups.length > maxPairs) groups = groupBy(indices, ++k);
		const values: number[] = [];
		const counts: number[] = [];
		for (const group of groups) {
			let count = 0;
			let sum = 0;
			for (const i of group) {
				const b = this.buckets.get(i)!;
				count += b.count;
				sum += b.sum;
			}
			values.push(sum / count);
			counts.push(count);
		}
		return {values, counts, foldErrorPct: (sketchGamma ** k - 1) * 100, count: this.count, sum: this.sum, min: this.min, max: this.max};
	}
}

/** Groups sorted bucket indices so each group spans fewer than `k` consecutive indices. */
function groupBy(indices: number[], k: number): number[][] {
	const groups: number[][] = [];
	let current: number[] = [];
	let start = Number.NaN;
	for (const i of indices) {
		if (current.length > 0 && i - start < k) current.push(i);
		else {
			if (current.length > 0) groups.push(current);
			current = [i];
			start = i;
		}
	}
	if (current.length > 0) groups.push(current);
	return groups;
}
