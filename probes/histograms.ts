/**
 * Every HDR histogram golive keeps is configured here, and only here.
 *
 * Values are recorded in integer microseconds (no whole-millisecond rounding, unlike
 * autocannon) and reported in milliseconds with fractions. Measured on this machine (2 M
 * records, 1 µs…120 s range): WASM records in ~41–55 ns vs ~145–165 ns for the JS Int32
 * build and computes percentiles 5–15× faster, so the WASM build is used. WASM memory is
 * not garbage-collected: every histogram is created once per ring slot, reset and reused,
 * and destroyed when its owner is dropped.
 *
 * 2 significant digits: ≤ 1 % relative error (1 µs steps below 256 µs, 8 µs at 1 ms, 256 µs
 * at 50 ms) at ~11 KB a histogram. 3 digits would be ~70 KB each, ~9 MB per probe with two
 * 60-slot rings, for precision no gate threshold needs.
 */
import * as hdr from 'hdr-histogram-js';
import type {LatencyBuckets} from '../source/core/judge/buckets.js';
import type {ErrorKind, LatencySummary, ProbeWindow, VariantWindow} from '../source/core/measurements.js';
import type {WindowName} from '../source/core/plan-types.js';
import type {Counters} from './window-counters.js';
import {addCounters, countInto, emptyCounters, subtractCounters} from './window-counters.js';

export type Histogram = hdr.Histogram;

/** The one HDR configuration. */
export const histogramConfig = {
	/** 1 µs. */
	lowestDiscernibleValue: 1,
	/** 120 s in µs: above any sane per-request deadline; larger values are clamped. */
	highestTrackableValue: 120_000_000,
	/** ≤ 1 % relative error; see above for why not 3. */
	numberOfSignificantValueDigits: 2,
	bitBucketSize: 32,
} as const;

/**
 * Slots of a per-variant window ring (the aggregate uses the engine's 60). The judge
 * compares whole windows, so a coarser ring (a 1 m window then moves in 5 s steps)
 * costs it nothing and keeps a probe with V1 and V2 at 2 × 2 × 13 histograms (~300 KB)
 * more instead of 2 × 2 × 61 (~1.4 MB).
 */
export const variantSlots = 12;

let wasmReady = false;

/** Loads the WASM build once; false when this runtime has no WebAssembly. */
export function ensureWasm(): boolean {
	if (!wasmReady) {
		try {
			hdr.initWebAssemblySync();
			wasmReady = true;
		} catch {
			// No WebAssembly (unusual runtime): the JS build is slower but equivalent.
		}
	}
	return wasmReady;
}

/** A new latency histogram (µs). The caller owns it and must `destroyHistogram` it. */
export function createHistogram(): Histogram {
	return hdr.build({
		bitBucketSize: histogramConfig.bitBucketSize,
		autoResize: false,
		lowestDiscernibleValue: histogramConfig.lowestDiscernibleValue,
		highestTrackableValue: histogramConfig.highestTrackableValue,
		numberOfSignificantValueDigits: histogramConfig.numberOfSignificantValueDigits,
		useWebAssembly: ensureWasm(),
	});
}

let bytesPerHistogram: number | undefined;

/**
 * Bytes one histogram holds. The WASM build under-reports its own footprint (it says ~19 KB
 * where RSS grows ~80 KB at 3 digits), so the figure comes from the JS build of the same
 * configuration, whose counts array has the same length and element size.
 */
export function histogramBytes(): number {
	if (bytesPerHistogram === undefined) {
		bytesPerHistogram = hdr.build({
			bitBucketSize: histogramConfig.bitBucketSize,
			autoResize: false,
			lowestDiscernibleValue: histogramConfig.lowestDiscernibleValue,
			highestTrackableValue: histogramConfig.highestTrackableValue,
			numberOfSignificantValueDigits: histogramConfig.numberOfSignificantValueDigits,
			useWebAssembly: false,
		}).estimatedFootprintInBytes;
	}
	return bytesPerHistogram;
}

export function destroyHistogram(histogram: Histogram): void {
	histogram.destroy();
}

/** Records `micros`, clamped into the trackable range so an outlier can never throw. */
export function recordMicros(histogram: Histogram, micros: number): void {
	const v = Math.round(micros);
	histogram.recordValue(v < 1 ? 1 : v > histogramConfig.highestTrackableValue ? histogramConfig.highestTrackableValue : v);
}

/**
 * Percentile in ms, NaN when the histogram is empty. `maxMicros` is the largest sample when the
 * caller knows it better than the histogram does (after a subtract, the WASM build's max is its
 * top bucket's upper bound).
 */
export function percentileMs(histogram: Histogram, percentile: number, maxMicros = histogram.maxValue): number {
	// A bucket's highest equivalent value can lie above the largest sample recorded: a percentile never exceeds max.
	return histogram.totalCount === 0 ? Number.NaN : Math.min(histogram.getValueAtPercentile(percentile), maxMicros) / 1000;
}

/** The latency summary in ms; every field NaN when empty (never 0). `maxMicros`: see `percentileMs`. */
export function summarize(histogram: Histogram, maxMicros = histogram.maxValue): LatencySummary {
	if (histogram.totalCount === 0) {
		return {p50: Number.NaN, p90: Number.NaN, p95: Number.NaN, p99: Number.NaN, p999: Number.NaN, max: Number.NaN, mean: Number.NaN};
	}
	return {
		p50: percentileMs(histogram, 50, maxMicros),
		p90: percentileMs(histogram, 90, maxMicros),
		p95: percentileMs(histogram, 95, maxMicros),
		p99: percentileMs(histogram, 99, maxMicros),
		p999: percentileMs(histogram, 99.9, maxMicros),
		max: maxMicros / 1000,
		mean: histogram.mean / 1000,
	};
}

/**
 * The recorded values and counts, for the judge: each non-empty HDR bucket as its
 * median equivalent value (µs) and count. The WASM build cannot be iterated, so its
 * standard V2 encoding is decoded into the JS build first (~0.2 ms for a 1 m window).
 */
export function histogramBuckets(histogram: Histogram): LatencyBuckets {
	const out: LatencyBuckets = {valuesMicros: [], counts: []};
	if (histogram.totalCount === 0) return out;
	const js =
		histogram instanceof hdr.JsHistogram
			? histogram
			: (hdr.JsHistogram as unknown as {decode(data: Uint8Array): hdr.JsHistogram}).decode((histogram as hdr.WasmHistogram).encode());
	const limit = js.countsArrayIndex(js.maxValue) + 1;
	for (let i = 0; i < limit; i++) {
		const count = js.getCountAtIndex(i);
		if (count > 0) {
			out.valuesMicros.push(js.medianEquivalentValue(js.valueFromIndex(i)));
			out.counts.push(count);
		}
	}
	return out;
}

/** HdrHistogram's standard compressed base64 encoding (the `HISTF…` string other HdrHistogram tools read). */
export function encodeHistogram(histogram: Histogram): string {
	return hdr.encodeIntoCompressedBase64(histogram);
}

/** A histogram from its compressed base64 encoding, as the JS build (the caller owns nothing to destroy). */
export function decodeHistogram(base64: string): Histogram {
	return hdr.decodeFromCompressedBase64(base64, histogramConfig.bitBucketSize, false);
}

/** One sample as a probe records it. */
export type Sample = {
	/** Completion − intended start, µs. */
	latencyMicros: number;
	/** HTTP status, or 0 when no response. */
	status: number;
	error: ErrorKind | null;
	conflict: boolean;
	/** Epoch ms of completion. */
	at: number;
};

/** One window as the deciding side sees it; NaN (never 0) when it holds no request. */
function windowView(
	probeId: string,
	window: WindowName,
	c: Counters,
	histogram: Histogram,
	lastSampleAt: number | null,
	maxMicros = histogram.maxValue,
): ProbeWindow {
	return {
		probeId,
		window,
		requests: c.requests,
		errors: c.errors,
		conflicts: c.conflicts,
		errorRate: c.requests === 0 ? Number.NaN : c.errors / c.requests,
		latencyMs: summarize(histogram, maxMicros),
		statusCounts: Object.fromEntries([...c.statusCounts].map(([k, v]) => [String(k), v])),
		errorCounts: Object.fromEntries(c.errorCounts),
		lastSampleAt,
	};
}

/**
 * A rolling window: a ring of `slots` interval histograms plus one histogram of the closed
 * slots still in the window. A sample is recorded once, into the current slot; when that slot
 * closes it is added to the closed sum once, and when it falls out of the window it is
 * subtracted once and reset for reuse. A read adds the open slot to the closed sum, reads,
 * and subtracts it again: exact counts (µs buckets, nothing rounded). A subtract leaves the
 * sum's max at its top bucket's upper bound, so the window's max is taken from its slots,
 * whose own maxima are exact (they are only ever recorded into and reset). Reading a window
 * is then one histogram query, whatever the rate, and a request costs one HDR record per window.
 */
export class RollingWindow {
	readonly slotMs: number;
	private readonly ring: Array<{histogram: Histogram; counters: Counters}>;
	/** Sum of the closed slots still in the window (the current slot is not in it). */
	private readonly closed: Histogram;
	private closedCounters: Counters = emptyCounters();
	/** Index (in slot units since `origin`) of the current slot. */
	private current: number;
	/** The current slot's entry (`ring[current % slots]`), kept so a record does no index arithmetic. */
	private open: {histogram: Histogram; counters: Counters};
	/** Epoch ms at which the current slot ends: before it, a record needs no ring arithmetic at all. */
	private openUntil: number;
	private destroyed = false;

	constructor(
		readonly durationMs: number,
		readonly slots: number,
		private readonly origin: number,
	) {
		if (!(durationMs > 0) || !Number.isInteger(slots) || slots < 1) throw new RangeError('window duration must be > 0 and slots a positive integer');
		this.slotMs = durationMs / slots;
		this.ring = Array.from({length: slots}, () => ({histogram: createHistogram(), counters: emptyCounters()}));
		this.closed = createHistogram();
		this.current = 0;
		this.open = this.ring[0]!;
		this.openUntil = origin + this.slotMs;
	}

	/** Moves the ring to `now`: the open slot joins the closed sum, slots that fell out of the window leave it. */
	advance(now: number): void {
		if (now < this.openUntil) return;
		const target = Math.floor((now - this.origin) / this.slotMs);
		if (target <= this.current) return;
		if (this.open.counters.requests > 0) {
			this.closed.add(this.open.histogram);
			addCounters(this.closedCounters, this.open.counters);
		}
		// After a gap longer than the window every slot is stale: at most `slots` evictions (the one just closed included).
		const steps = Math.min(target - this.current, this.slots);
		for (let i = 1; i <= steps; i++) {
			const slot = this.ring[(this.current + i) % this.slots]!;
			if (slot.counters.requests > 0) {
				this.closed.subtract(slot.histogram);
				subtractCounters(this.closedCounters, slot.counters);
				slot.histogram.reset();
				slot.counters = emptyCounters();
			}
		}
		this.current = target;
		this.open = this.ring[target % this.slots]!;
		this.openUntil = this.origin + (target + 1) * this.slotMs;
	}

	record(sample: Sample, now: number): void {
		this.advance(now);
		recordMicros(this.open.histogram, sample.latencyMicros);
		countInto(this.open.counters, sample);
	}

	/** The largest sample in the window, µs: the largest of its slots' exact maxima. */
	private maxMicros(): number {
		let max = 0;
		for (const slot of this.ring) if (slot.counters.requests > 0) max = Math.max(max, slot.histogram.maxValue);
		return max;
	}

	/** Runs `read` on the whole window (closed slots + the open one) as one histogram and its counters. */
	private whole<T>(now: number, read: (histogram: Histogram, counters: Counters) => T): T {
		this.advance(now);
		const open = this.open;
		if (open.counters.requests === 0) return read(this.closed, this.closedCounters);
		const counters = emptyCounters();
		addCounters(counters, this.closedCounters);
		addCounters(counters, open.counters);
		this.closed.add(open.histogram);
		try {
			return read(this.closed, counters);
		} finally {
			// Back to the closed slots alone; subtract recomputes the max from the counts that remain.
			this.closed.subtract(open.histogram);
		}
	}

	view(probeId: string, window: WindowName, now: number): ProbeWindow {
		return this.whole(now, (histogram, c) => {
			let lastSampleAt: number | null = null;
			if (c.requests > 0) {
				// The newest sample lives in the newest non-empty slot.
				for (let i = 0; i < this.slots; i++) {
					const at = this.ring[(this.current - i + this.slots * 2) % this.slots]!.counters.lastSampleAt;
					if (at !== null) {
						lastSampleAt = at;
						break;
					}
				}
			}
			return windowView(probeId, window, c, histogram, lastSampleAt, this.maxMicros());
		});
	}

	/** The window as one variant's share of it, with its buckets when `withBuckets`. */
	variantView(now: number, withBuckets: boolean): VariantWindow {
		const {requests, errors, conflicts, errorRate, latencyMs, lastSampleAt} = this.view('', '1m', now);
		return {requests, errors, conflicts, errorRate, latencyMs, lastSampleAt, ...(withBuckets ? {buckets: this.whole(now, (h) => histogramBuckets(h))} : {})};
	}

	get memoryBytes(): number {
		return (this.slots + 1) * histogramBytes();
	}

	destroy(): void {
		if (this.destroyed) return;
		this.destroyed = true;
		for (const s of this.ring) destroyHistogram(s.histogram);
		destroyHistogram(this.closed);
	}
}

/** Upper bounds (ms) of the coarse 1-2-5 buckets shown as a text histogram; the last is open. */
const distributionBoundsMs = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, Number.POSITIVE_INFINITY] as const;

export type DistributionBucket = {
	/** Upper bound, ms (`null` for the open last bucket: JSON has no Infinity). */
	leMs: number | null;
	count: number;
};

/**
 * A cumulative histogram with counters, for whole-run results (`golive probe`), plus a
 * coarse 1-2-5 distribution for the text histogram.
 */
export class TotalRecorder {
	readonly histogram: Histogram = createHistogram();
	private counters: Counters = emptyCounters();
	private readonly buckets = new Array<number>(distributionBoundsMs.length).fill(0);

	record(sample: Sample): void {
		recordMicros(this.histogram, sample.latencyMicros);
		countInto(this.counters, sample);
		const ms = sample.latencyMicros / 1000;
		let i = 0;
		while (ms > distributionBoundsMs[i]!) i++;
		this.buckets[i]!++;
	}

	reset(): void {
		this.histogram.reset();
		this.counters = emptyCounters();
		this.buckets.fill(0);
	}

	distribution(): DistributionBucket[] {
		return this.buckets.map((count, i) => {
			const le = distributionBoundsMs[i]!;
			return {leMs: Number.isFinite(le) ? le : null, count};
		});
	}

	view(probeId: string, window: WindowName): ProbeWindow {
		const c = this.counters;
		return windowView(probeId, window, c, this.histogram, c.lastSampleAt);
	}

	destroy(): void {
		destroyHistogram(this.histogram);
	}
}
