/**
 * Everything one probe has measured: rolling windows, scheduler lag, variants, totals.
 * Fed one outcome at a time by the engine; read as a `ProbeSnapshot`.
 */
import type {ErrorKind, ProbeSnapshot, ProbeWindow, SchedulerHealth, VariantSeen} from '../source/core/measurements.js';
import {classifyVariant} from '../source/core/measurements.js';
import type {ProbeSpec, WindowName} from '../source/core/plan-types.js';
import {windowNames} from '../source/core/plan-types.js';
import {sanitize} from '../source/core/sanitize.js';
import {classifyStatus} from './error-kinds.js';
import type {DistributionBucket, Histogram, Sample} from './histograms.js';
import {RollingWindow, TotalRecorder, createHistogram, destroyHistogram, encodeHistogram, histogramBytes, percentileMs, recordMicros} from './histograms.js';
import type {RequestOutcome} from './http-client.js';
import {VariantWindows} from './variant-windows.js';

export type ProbeStateOptions = {
	windowsMs: Record<WindowName, number>;
	slots: number;
	/** Epoch ms when the probe starts (ring origin). */
	origin: number;
	/** Keep a whole-run histogram too (`golive probe`). */
	keepTotals: boolean;
	/** Lag p99 above this makes the run invalid. */
	maxLagMs: number;
	/** Per-variant windows leave out samples from the first this-many ms (V1's cold start). @default 5000 */
	variantWarmupMs?: number;
};

/** @see ProbeStateOptions.variantWarmupMs */
const defaultVariantWarmupMs = 5000;

/** Whole-run result of one probe. */
export type ProbeTotals = ProbeWindow & {
	/** Wall time from start to stop, ms. */
	elapsedMs: number;
	scheduler: SchedulerHealth;
	/** Coarse 1-2-5 latency buckets (ms) for a text histogram. */
	distribution: DistributionBucket[];
	/** The whole-run latency histogram, HdrHistogram's compressed base64 encoding, µs (`golive compare` reads it back). */
	histogram: string;
};

export class ProbeState {
	readonly windows: Record<WindowName, RollingWindow>;
	private readonly totals: TotalRecorder | undefined;
	/** Lag of the current and previous '1m' period, µs: p99 over both, so it follows recent health. */
	private lagCurrent: Histogram = createHistogram();
	private lagPrevious: Histogram = createHistogram();
	private readonly lagTotal: Histogram | undefined;
	private lagSwapAt: number;
	private readonly variants: VariantSeen = {};
	/** Only for a probe with a `variantHeader`. */
	private readonly variantWindows: VariantWindows | undefined;
	private lastError: string | null = null;
	totalRequests = 0;
	/** 2xx/3xx without an error: a timeout or a 5xx is never one. */
	totalSuccesses = 0;
	dropped = 0;
	inFlight = 0;
	/** Requests due but not yet sent by the scheduler. */
	backlog = 0;
	private destroyed = false;

	constructor(
		readonly spec: ProbeSpec,
		private readonly options: ProbeStateOptions,
	) {
		this.windows = {
			'1m': new RollingWindow(options.windowsMs['1m'], options.slots, options.origin),
			'5m': new RollingWindow(options.windowsMs['5m'], options.slots, options.origin),
		};
		this.variantWindows =
			spec.variantHeader === undefined
				? undefined
				: new VariantWindows({windowsMs: options.windowsMs, origin: options.origin, warmupMs: options.variantWarmupMs ?? defaultVariantWarmupMs});
		this.totals = options.keepTotals ? new TotalRecorder() : undefined;
		this.lagTotal = options.keepTotals ? createHistogram() : undefined;
		this.lagSwapAt = options.origin + options.windowsMs['1m'];
	}

	recordLag(micros: number, now: number): void {
		this.rotateLag(now);
		recordMicros(this.lagCurrent, micros);
		if (this.lagTotal) recordMicros(this.lagTotal, micros);
	}

	private rotateLag(now: number): void {
		if (now < this.lagSwapAt) return;
		const periods = Math.floor((now - this.lagSwapAt) / this.options.windowsMs['1m']) + 1;
		this.lagPrevious.reset();
		if (periods === 1) [this.lagPrevious, this.lagCurrent] = [this.lagCurrent, this.lagPrevious];
		else this.lagCurrent.reset();
		this.lagSwapAt += periods * this.options.windowsMs['1m'];
	}

	/**
	 * Records one finished request. Returns the error kind (if any) so the engine can
	 * react (429 pauses the probe). `learningVersion`: a move's 409 that taught the probe an
	 * id's first version, neither a conflict nor an error.
	 */
	record(outcome: RequestOutcome, latencyMicros: number, now: number, learningVersion = false): ErrorKind | null {
		const moveRefused = this.spec.kind === 'occ-move' && outcome.status === 409;
		const conflict = moveRefused && !learningVersion;
		const error = outcome.error ?? (moveRefused ? null : classifyStatus(outcome.status));
		const sample: Sample = {latencyMicros, status: outcome.status, error, conflict, at: now};
		this.windows['1m'].record(sample, now);
		this.windows['5m'].record(sample, now);
		this.totals?.record(sample);
		this.totalRequests++;
		if (!error && outcome.status >= 200 && outcome.status < 400) this.totalSuccesses++;
		if (error) this.lastError = outcome.errorMessage ? `${error}: ${outcome.errorMessage}` : `${error}: HTTP ${outcome.status}`;
		if (outcome.variant !== undefined) {
			const name = sanitize(outcome.variant, 64);
			const seen = this.variants[name];
			if (seen) {
				seen.count++;
				seen.lastSeenAt = now;
			} else this.variants[name] = {count: 1, lastSeenAt: now};
		}
		this.variantWindows?.record(outcome.variant === undefined ? 'unknown' : classifyVariant(outcome.variant), sample, now);
		return error;
	}

	/** A slot the scheduler could not send at all (it fell too far behind). */
	recordDropped(count: number): void {
		this.dropped += count;
	}

	scheduler(now: number, queued: number): SchedulerHealth {
		this.rotateLag(now);
		const lagP99Ms = this.lagPrevious.totalCount + this.lagCurrent.totalCount === 0 ? Number.NaN : this.recentLagP99();
		return this.health(lagP99Ms, queued);
	}

	private health(lagP99Ms: number, queued: number): SchedulerHealth {
		return {
			lagP99Ms,
			queueDepth: this.backlog + queued,
			dropped: this.dropped,
			valid: this.dropped === 0 && !(lagP99Ms > this.options.maxLagMs),
		};
	}

	private recentLagP99(): number {
		if (this.lagPrevious.totalCount === 0) return percentileMs(this.lagCurrent, 99);
		// Merge into the older one (it is reset at the next rotation anyway).
		this.lagPrevious.add(this.lagCurrent);
		const p99 = percentileMs(this.lagPrevious, 99);
		this.lagPrevious.subtract(this.lagCurrent);
		return p99;
	}

	snapshot(now: number, queued: number): ProbeSnapshot {
		const windows = {} as Record<WindowName, ProbeWindow>;
		for (const name of windowNames) {
			const view = this.windows[name].view(this.spec.id, name, now);
			const variants = this.variantWindows?.view(name, now);
			windows[name] = variants ? {...view, variants} : view;
		}
		return {
			probeId: this.spec.id,
			at: now,
			windows,
			scheduler: this.scheduler(now, queued),
			totalRequests: this.totalRequests,
			totalSuccesses: this.totalSuccesses,
			variants: structuredClone(this.variants),
			memoryBytes: this.memoryBytes,
			lastError: this.lastError,
		};
	}

	/** Whole-run result; only with `keepTotals`. */
	totalsView(elapsedMs: number, queued: number): ProbeTotals | undefined {
		if (!this.totals || !this.lagTotal) return undefined;
		return {
			...this.totals.view(this.spec.id, '5m'),
			elapsedMs,
			scheduler: this.health(percentileMs(this.lagTotal, 99), queued),
			distribution: this.totals.distribution(),
			histogram: encodeHistogram(this.totals.histogram),
		};
	}

	/** The whole-run latency and lag histograms (µs), for an exact merge across threads; only with `keepTotals`. */
	totalHistograms(): {latency: Histogram; lag: Histogram} | undefined {
		return this.totals && this.lagTotal ? {latency: this.totals.histogram, lag: this.lagTotal} : undefined;
	}

	/** Starts the whole-run totals over (after a warm-up). */
	resetTotals(): void {
		this.totals?.reset();
		this.lagTotal?.reset();
	}

	get memoryBytes(): number {
		const others = (2 + (this.lagTotal ? 1 : 0) + (this.totals ? 1 : 0)) * histogramBytes();
		return this.windows['1m'].memoryBytes + this.windows['5m'].memoryBytes + others + (this.variantWindows?.memoryBytes ?? 0);
	}

	destroy(): void {
		if (this.destroyed) return;
		this.destroyed = true;
		this.windows['1m'].destroy();
		this.windows['5m'].destroy();
		this.variantWindows?.destroy();
		this.totals?.destroy();
		destroyHistogram(this.lagCurrent);
		destroyHistogram(this.lagPrevious);
		if (this.lagTotal) destroyHistogram(this.lagTotal);
	}
}
