/**
 * Whole-run results that cross a thread boundary and merge exactly: each probe thread sends
 * its totals (counters) with its latency and lag histograms encoded losslessly (HDR's
 * compressed base64); the main thread adds the histograms bucket by bucket and sums the
 * counters, so the merged percentiles are those of one histogram that saw every request,
 * not an average of percentiles.
 */
import * as hdr from 'hdr-histogram-js';
import type {ErrorKind, LatencySummary} from '../source/core/measurements.js';
import type {Histogram} from './histograms.js';
import {createHistogram, destroyHistogram, ensureWasm, histogramConfig, percentileMs, summarize} from './histograms.js';
import type {ProbeState, ProbeTotals} from './probe-state.js';

export type EncodedTotals = {probeId: string; latency: string; lag: string};

export function encodeTotals(state: ProbeState): EncodedTotals | undefined {
	const h = state.totalHistograms();
	return h ? {probeId: state.spec.id, latency: hdr.encodeIntoCompressedBase64(h.latency), lag: hdr.encodeIntoCompressedBase64(h.lag)} : undefined;
}

function addEncoded(into: Histogram, encoded: string): void {
	const decoded = hdr.decodeFromCompressedBase64(encoded, histogramConfig.bitBucketSize, ensureWasm());
	into.add(decoded);
	destroyHistogram(decoded);
}

function sumInto<K extends string>(into: Partial<Record<K, number>>, from: Partial<Record<K, number>>): void {
	for (const [k, v] of Object.entries(from) as Array<[K, number]>) into[k] = (into[k] ?? 0) + v;
}

/**
 * A decoded histogram's max is its top bucket's upper bound; the threads' own maxima are exact.
 * Percentiles are capped by the max as one recorder caps them (histograms.ts `percentileMs`).
 */
function exactMax(summary: LatencySummary, maxMs: number): LatencySummary {
	const cap = (v: number): number => (v > maxMs ? maxMs : v);
	return {p50: cap(summary.p50), p90: cap(summary.p90), p95: cap(summary.p95), p99: cap(summary.p99), p999: cap(summary.p999), max: maxMs, mean: summary.mean};
}

/** One thread's whole-run result. */
export type ThreadTotals = {totals: ProbeTotals[]; encoded: EncodedTotals[]};

/**
 * Merges the threads' results per probe: counters summed, histograms added, percentiles read
 * from the sum. `maxLagMs` decides the merged scheduler's validity as one engine would.
 */
export function mergeThreadTotals(parts: readonly ThreadTotals[], maxLagMs: number): ProbeTotals[] {
	const first = parts[0];
	if (!first) return [];
	return first.totals.map((base) => {
		const latency = createHistogram();
		const lag = createHistogram();
		try {
			const statusCounts: Record<string, number> = {};
			const errorCounts: Partial<Record<ErrorKind, number>> = {};
			const distribution = base.distribution.map((b) => ({...b, count: 0}));
			let [requests, errors, conflicts, dropped, queueDepth, elapsedMs] = [0, 0, 0, 0, 0, 0];
			let lastSampleAt: number | null = null;
			let maxMs = Number.NaN;
			for (const part of parts) {
				const t = part.totals.find((x) => x.probeId === base.probeId);
				const e = part.encoded.find((x) => x.probeId === base.probeId);
				if (!t || !e) throw new Error(`probe ${base.probeId}: a thread returned no totals`);
				addEncoded(latency, e.latency);
				addEncoded(lag, e.lag);
				requests += t.requests;
				errors += t.errors;
				conflicts += t.conflicts;
				dropped += t.scheduler.dropped;
				queueDepth += t.scheduler.queueDepth;
				elapsedMs = Math.max(elapsedMs, t.elapsedMs);
				if (Number.isFinite(t.latencyMs.max) && !(t.latencyMs.max <= maxMs)) maxMs = t.latencyMs.max;
				if (t.lastSampleAt !== null && (lastSampleAt === null || t.lastSampleAt > lastSampleAt)) lastSampleAt = t.lastSampleAt;
				sumInto(statusCounts, t.statusCounts);
				sumInto(errorCounts, t.errorCounts);
				t.distribution.forEach((b, i) => (distribution[i]!.count += b.count));
			}
			const lagP99Ms = percentileMs(lag, 99);
			return {
				...base,
				requests,
				errors,
				conflicts,
				errorRate: requests === 0 ? Number.NaN : errors / requests,
				latencyMs: exactMax(summarize(latency), maxMs),
				histogram: hdr.encodeIntoCompressedBase64(latency),
				statusCounts,
				errorCounts,
				lastSampleAt,
				elapsedMs,
				scheduler: {lagP99Ms, queueDepth, dropped, valid: dropped === 0 && !(lagP99Ms > maxLagMs)},
				distribution,
			};
		} finally {
			destroyHistogram(latency);
			destroyHistogram(lag);
		}
	});
}
