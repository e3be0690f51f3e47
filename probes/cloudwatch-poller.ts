/**
 * Polls a CloudWatch source at the plan's interval, one poll at a time, and
 * backs off exponentially (with jitter, so many consoles do not retry in step)
 * while CloudWatch throttles or fails transiently; back to the plan interval
 * on the first good poll.
 */
import type {CloudWatchSnapshot} from '../source/core/measurements.js';

/** GetMetricData costs money and has a rate limit: real endpoints are not polled faster than this. */
export const minRealIntervalMs = 10_000;
/** The demo's loopback endpoint may be polled this fast. */
export const minLoopbackIntervalMs = 200;

export type PollableSource = {
	poll(): Promise<CloudWatchSnapshot>;
	/** Set by `createCloudWatchSource`: a loopback endpoint may be polled faster than 10 s. */
	readonly loopback?: boolean;
};

export type CloudWatchPollerOptions = {
	/** The plan's `pollIntervalMs`; raised to 10 s unless the source is loopback. */
	intervalMs: number;
	onSnapshot: (snapshot: CloudWatchSnapshot) => void;
	now: () => number;
	/** Schedules `fn` after `ms`; returns a cancel function. @default an unref'd setTimeout */
	setTimer?: (fn: () => void, ms: number) => () => void;
	/** Longest backoff, as a multiple of the interval. @default 16 */
	maxBackoffFactor?: number;
	/** Jitter source in [0, 1). @default Math.random */
	random?: () => number;
};

export type CloudWatchPoller = {stop(): void};

function defaultSetTimer(fn: () => void, ms: number): () => void {
	const timer = setTimeout(fn, ms);
	timer.unref();
	return () => clearTimeout(timer);
}

/** Interval actually used for a source: the plan's, bounded below. */
export function effectivePollIntervalMs(intervalMs: number, loopback: boolean): number {
	const floor = loopback ? minLoopbackIntervalMs : minRealIntervalMs;
	return Number.isFinite(intervalMs) ? Math.max(floor, intervalMs) : floor;
}

/** Delay before retry number `attempt` (1-based): interval × 2^attempt, capped, jittered into [½, 1] of that. */
export function backoffDelayMs(attempt: number, intervalMs: number, maxFactor: number, random: () => number): number {
	const ceiling = intervalMs * Math.min(maxFactor, 2 ** Math.max(1, attempt));
	return Math.max(intervalMs, Math.round(ceiling * (0.5 + 0.5 * random())));
}

export function startCloudWatchPoller(source: PollableSource, options: CloudWatchPollerOptions): CloudWatchPoller {
	const setTimer = options.setTimer ?? defaultSetTimer;
	const random = options.random ?? Math.random;
	const maxFactor = options.maxBackoffFactor ?? 16;
	const intervalMs = effectivePollIntervalMs(options.intervalMs, source.loopback === true);
	let stopped = false;
	let cancel: (() => void) | null = null;
	let attempt = 0;

	const run = async (): Promise<void> => {
		cancel = null;
		if (stopped) return;
		const started = options.now();
		let snapshot: CloudWatchSnapshot;
		try {
			snapshot = await source.poll();
		} catch (error) {
			// poll() is not supposed to throw; if it does, the operator still sees a non-green state.
			snapshot = {
				at: options.now(),
				state: {kind: 'error', code: 'other', message: String(error).slice(0, 300)},
				metrics: [],
				alarms: [],
				missingAlarms: [],
				callsLastHour: 0,
				lastSuccessAt: null,
			};
		}
		if (stopped) return;
		let delay: number;
		if (snapshot.state.kind === 'degraded') {
			attempt++;
			delay = backoffDelayMs(attempt, intervalMs, maxFactor, random);
			// The screen shows when the retry really happens.
			snapshot = {...snapshot, state: {...snapshot.state, retryInMs: delay}};
		} else {
			attempt = 0;
			delay = Math.max(0, intervalMs - (options.now() - started));
		}
		options.onSnapshot(snapshot);
		if (!stopped) cancel = setTimer(() => void run(), delay);
	};

	cancel = setTimer(() => void run(), 0);
	return {
		stop() {
			stopped = true;
			cancel?.();
			cancel = null;
		},
	};
}
