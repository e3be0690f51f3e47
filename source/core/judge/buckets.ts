/**
 * A latency histogram as the judge reads it: the recorded values of an HDR
 * histogram with their counts. The probes produce it (`probes/histograms.ts`);
 * the judge never sees individual requests, so every statistic here works on
 * (value, count) pairs: ties inside a bucket are real ties for the rank test.
 */

/** Recorded values in µs (strictly ascending) and their counts (each > 0). */
export type LatencyBuckets = {
	valuesMicros: number[];
	counts: number[];
};

export const emptyBuckets: LatencyBuckets = {valuesMicros: [], counts: []};

export function bucketTotal(b: LatencyBuckets): number {
	let n = 0;
	for (const c of b.counts) n += c;
	return n;
}

/** Buckets of raw values (µs), each value its own bucket: for tests and for exact small samples. */
export function bucketsOf(valuesMicros: readonly number[]): LatencyBuckets {
	const sorted = [...valuesMicros].sort((a, b) => a - b);
	const out: LatencyBuckets = {valuesMicros: [], counts: []};
	for (const v of sorted) {
		const last = out.valuesMicros.length - 1;
		if (last >= 0 && out.valuesMicros[last] === v) out.counts[last]!++;
		else {
			out.valuesMicros.push(v);
			out.counts.push(1);
		}
	}
	return out;
}

/**
 * The value at percentile `p` (0–100) the way HdrHistogram reports it: the
 * smallest recorded value with at least p % of the counts at or below it. NaN when empty.
 */
export function bucketPercentile(b: LatencyBuckets, p: number): number {
	const n = bucketTotal(b);
	if (n === 0) return Number.NaN;
	const wanted = Math.max(1, Math.ceil((Math.min(100, Math.max(0, p)) / 100) * n));
	let seen = 0;
	for (let i = 0; i < b.counts.length; i++) {
		seen += b.counts[i]!;
		if (seen >= wanted) return b.valuesMicros[i]!;
	}
	return b.valuesMicros.at(-1)!;
}

/** Counts strictly above `thresholdMicros`. */
export function countAbove(b: LatencyBuckets, thresholdMicros: number): number {
	let n = 0;
	for (let i = b.valuesMicros.length - 1; i >= 0 && b.valuesMicros[i]! > thresholdMicros; i--) n += b.counts[i]!;
	return n;
}

/** Both histograms merged (counts of equal values added), for pooled percentiles. */
export function mergeBuckets(x: LatencyBuckets, y: LatencyBuckets): LatencyBuckets {
	const out: LatencyBuckets = {valuesMicros: [], counts: []};
	let i = 0;
	let j = 0;
	while (i < x.valuesMicros.length || j < y.valuesMicros.length) {
		const vx = i < x.valuesMicros.length ? x.valuesMicros[i]! : Number.POSITIVE_INFINITY;
		const vy = j < y.valuesMicros.length ? y.valuesMicros[j]! : Number.POSITIVE_INFINITY;
		const v = Math.min(vx, vy);
		let c = 0;
		if (vx === v) c += x.counts[i++]!;
		if (vy === v) c += y.counts[j++]!;
		out.valuesMicros.push(v);
		out.counts.push(c);
	}
	return out;
}
