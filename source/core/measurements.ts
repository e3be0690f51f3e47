/**
 * What the measuring side (probes/, CloudWatch) hands to the deciding side
 * (source/core/). Plain data, structured-clone safe (it crosses a worker_thread).
 * Every number that may be missing is `NaN`/`null`, never 0: "no data" must not
 * look like a good value.
 */
import type {LatencyBuckets} from './judge/buckets.js';
import type {WindowName} from './plan-types.js';
import {formatDuration} from './format.js';

export const errorKinds = [
	'connect_refused',
	'connect_reset',
	'dns',
	'tls',
	'connect_timeout',
	'headers_timeout',
	'total_timeout',
	'body_too_large',
	'bad_response',
	'http_5xx',
	'http_4xx',
	'http_429',
	'other',
] as const;
/** Why a probe sample counts as an error. */
export type ErrorKind = (typeof errorKinds)[number];

export type LatencySummary = {
	p50: number;
	p90: number;
	p95: number;
	p99: number;
	p999: number;
	max: number;
	mean: number;
};

/** One probe, one rolling window. Latency in ms (microsecond resolution), NaN when empty. */
export type ProbeWindow = {
	probeId: string;
	window: WindowName;
	/** Every sample, errors included (errors stay in the denominator). */
	requests: number;
	/** Samples that were errors (ErrorKind). 409 on an occ-move is a conflict, not an error. */
	errors: number;
	/** OCC conflicts (409 on a move). */
	conflicts: number;
	/** errors / requests, NaN when requests is 0. */
	errorRate: number;
	latencyMs: LatencySummary;
	/** By HTTP status code as a string, e.g. {"200": 950, "409": 3}. */
	statusCounts: Record<string, number>;
	errorCounts: Partial<Record<ErrorKind, number>>;
	/** Epoch ms of the newest sample in the window, null when none. */
	lastSampleAt: number | null;
	/** Probes with a `variantHeader`: the same window per variant that served (see `VariantWindow`). */
	variants?: Partial<Record<VariantId, VariantWindow>>;
};

/** Which version served a response, from the probe's `variantHeader` (`classifyVariant`). */
export const variantIds = ['v1', 'v2', 'unknown'] as const;
export type VariantId = (typeof variantIds)[number];

/**
 * One variant's share of a window: what the judge compares. `buckets` (the
 * recorded latency values and counts, µs) is there for V1 and V2 only.
 */
export type VariantWindow = {
	requests: number;
	errors: number;
	conflicts: number;
	/** errors / requests, NaN when requests is 0. */
	errorRate: number;
	latencyMs: LatencySummary;
	lastSampleAt: number | null;
	buckets?: LatencyBuckets;
};

/**
 * The variant a header value names: `v1`/`baseline`/`stable` → V1,
 * `v2`/`canary` → V2 (case and surrounding space ignored), anything else unknown.
 */
export function classifyVariant(headerValue: string): VariantId {
	const v = headerValue.trim().toLowerCase();
	if (v === 'v1' || v === 'baseline' || v === 'stable') return 'v1';
	if (v === 'v2' || v === 'canary') return 'v2';
	return 'unknown';
}

export type SchedulerHealth = {
	/** p99 of (actual send − intended send), ms. */
	lagP99Ms: number;
	/** Requests due but not yet sent. */
	queueDepth: number;
	/** Requests that could not be sent at their slot (the run cannot keep the rate). */
	dropped: number;
	/** False when the scheduler could not hold the configured rate: its numbers are suspect. */
	valid: boolean;
};

/** Which variant served responses, from `ProbeSpec.variantHeader`; cumulative since start. */
export type VariantSeen = Record<string, {count: number; lastSeenAt: number}>;

export type ProbeSnapshot = {
	probeId: string;
	/** Epoch ms when the snapshot was taken. */
	at: number;
	windows: Record<WindowName, ProbeWindow>;
	scheduler: SchedulerHealth;
	/** Cumulative totals since the probe started. */
	totalRequests: number;
	/**
	 * Cumulative responses that were successes: 2xx/3xx, no timeout, no transport error.
	 * What "healthy after a rollback" is counted from; absent means unknown (never a success).
	 */
	totalSuccesses?: number;
	variants: VariantSeen;
	/** Bytes the probe's histograms hold (bounded, stated). */
	memoryBytes: number;
	/** The most recent error message, sanitized, for the screen. */
	lastError: string | null;
};

/** State of a data source as the operator sees it. Anything but `ok` is never a green light. */
export type SourceState =
	| {kind: 'ok'}
	| {kind: 'starting'}
	| {kind: 'disabled'; why: string}
	| {kind: 'degraded'; why: string; retryInMs: number}
	/** The source answered once but not lately: its values are older than the rules allow. Never green. `why`: what it says now (its error, or no new reading). */
	| {kind: 'stale'; lastOkAt: number; ageMs: number; why?: string}
	| {kind: 'error'; code: SourceErrorCode; message: string};

/** Why a source is not `ok`, in a few words (for rule and gate evidence). */
export function sourceNotOkWhy(state: Exclude<SourceState, {kind: 'ok'}>): string {
	switch (state.kind) {
		case 'error':
			return `${state.code}: ${state.message}`;
		case 'starting':
			return 'starting';
		case 'stale':
			return `stale: last ok ${formatDuration(state.ageMs)} ago${state.why ? ` (${state.why})` : ''}`;
		case 'disabled':
		case 'degraded':
			return state.why;
		default: {
			const never: never = state;
			return never;
		}
	}
}

export const sourceErrorCodes = [
	'no_credentials',
	'no_region',
	'expired_token',
	'access_denied',
	'unreachable',
	'throttled',
	'not_found',
	'bad_response',
	'other',
] as const;
type SourceErrorCode = (typeof sourceErrorCodes)[number];

export type CloudWatchValue = {
	id: string;
	label: string;
	/** NaN when no datapoint. */
	value: number;
	/** Epoch ms of the datapoint, null when none. */
	timestamp: number | null;
	/** `Complete` | `PartialData` | … as CloudWatch says; PartialData is never a pass. */
	statusCode: string;
};

export const alarmStates = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export type AlarmStateValue = (typeof alarmStates)[number];

export type AlarmView = {
	/** Sanitized. */
	name: string;
	state: AlarmStateValue;
	/** Sanitized. */
	reason: string;
	/** Epoch ms of the last state change. */
	updatedAt: number;
	/** Sanitized AlarmDescription, when CloudWatch has one. */
	description?: string;
};

export type CloudWatchSnapshot = {
	at: number;
	state: SourceState;
	metrics: CloudWatchValue[];
	alarms: AlarmView[];
	/** Plan alarms that CloudWatch does not know: Gate B must stop on these. */
	missingAlarms: string[];
	/** API calls in the last hour, so cost is visible. */
	callsLastHour: number;
	/** Epoch ms of the last successful poll, null when none. */
	lastSuccessAt: number | null;
};
