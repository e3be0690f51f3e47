/**
 * The probe engine: sends each probe's requests and records them.
 *
 * Open model (default): each probe sends at `ratePerSec`, evenly spaced, whatever the
 * server does; latency = completion − INTENDED send time (wrk2), so a server stall shows
 * up in every request that should have been sent during it (a send that leaves up to 1 ms
 * early, see timerSlackMs, is timed from when it left). The scheduler measures its own
 * lag (actual − intended send) and backlog, and marks itself invalid when it cannot keep
 * the rate. Closed loop: N connections per probe, each sends its next request when the last
 * one completes (maximum throughput; latency from the actual send).
 */
import {performance} from 'node:perf_hooks';
import type {Pool} from 'undici';
import type {ErrorKind, ProbeSnapshot} from '../source/core/measurements.js';
import type {ProbeSpec, WindowName} from '../source/core/plan-types.js';
import {retryAfterMs} from './error-kinds.js';
import type {RequestSpec} from './http-client.js';
import type {InFlightRequest} from './http-client.js';
import {DeadlineQueue, OriginPools, dispatchRequest} from './http-client.js';
import type {ProbeTotals} from './probe-state.js';
import {ProbeState} from './probe-state.js';
import {RequestTemplate, resolveHeaders} from './request-template.js';
import type {EncodedTotals} from './histogram-transfer.js';
import {encodeTotals} from './histogram-transfer.js';

export type {ProbeTotals} from './probe-state.js';

export type ProbeMode = {kind: 'open'} | {kind: 'closed'; connections: number};

export type ProbeEngineOptions = {
	baseUrl: string;
	probes: ProbeSpec[];
	/** Where `${NAME}` header tokens are resolved from. @default process.env */
	env?: Record<string, string | undefined>;
	/** @default {'1m': 60000, '5m': 300000} */
	windowsMs?: Record<WindowName, number>;
	/** Slots per window ring. @default 60 */
	slots?: number;
	/** Epoch-ms clock for windows and timestamps. @default Date.now */
	now?: () => number;
	/** @default {kind: 'open'} */
	mode?: ProbeMode;
	/** Connections per origin in open mode (requests beyond wait in the pool, still timed from their intended start). @default 64 */
	connections?: number;
	/** Scheduler lag p99 above this marks the run invalid, ms. @default 10 */
	maxLagMs?: number;
	/** Longest pause a 429's Retry-After can impose, ms. @default 30000 */
	retryAfterCapMs?: number;
	/** Keep whole-run histograms for `totals()`. @default false */
	keepTotals?: boolean;
	/** Accept self-signed TLS certificates. @default false */
	insecure?: boolean;
	/** Called with every recorded sample (the fleet agent folds them per publish interval). @default none */
	onSample?: (sample: RecordedSample) => void;
	/**
	 * On stop, how long requests already sent may still finish within their own deadline;
	 * whatever is still in flight after that is counted as a timeout. @default the probes' longest timeoutMs
	 */
	drainMs?: number;
	/** Per-variant windows leave out the first this-many ms (V1's cold start). @default 5000 */
	variantWarmupMs?: number;
};

/** One recorded request as `onSample` sees it. */
export type RecordedSample = {probeId: string; latencyMicros: number; error: ErrorKind | null; variant: string | undefined; at: number};

export type ProbeEngine = {
	start(): void;
	/**
	 * Stops sending; requests in flight finish within their deadline (bounded by `drainMs`) or count as
	 * timeouts, so every request sent is in the totals; frees the histograms. `snapshot()` then returns the final one.
	 */
	stop(): Promise<void>;
	snapshot(): ProbeSnapshot[];
	/** Whole-run results (only with `keepTotals`). */
	totals(): ProbeTotals[];
	/** Starts the whole-run results over, e.g. after a warm-up; windows are untouched. */
	resetTotals(): void;
	/** The whole-run histograms, encoded at `stop()` (with `keepTotals`), so threads can be merged exactly. */
	encodedTotals(): EncodedTotals[];
};

const defaultWindowsMs: Record<WindowName, number> = {'1m': 60_000, '5m': 300_000};

/** Backlog beyond this many seconds of sends is dropped, not sent late (k6's dropped iterations). */
const maxBacklogSeconds = 1;
/** Most sends per scheduler tick per probe, so one late tick cannot stall the event loop. */
const maxBurst = 2000;
/** How often a stopping engine looks whether its last requests have finished, ms. */
const drainPollMs = 10;
/**
 * Node's timers fire on whole milliseconds of the loop's cached clock, so a timer set for a send's slot
 * wakes up to ~1 ms after it: that granularity alone held the lag p99 near 2 ms at any rate. The timer
 * is set this much early instead, and each scheduler turn's first send may leave up to this much ahead
 * of its slot (at high rates, where a turn comes every few hundred µs, most turns do), timed from when it
 * left: latency is never shortened, the rate is unchanged, and lag counts only lateness.
 */
const timerSlackMs = 1;
/** How often the epoch offset of completion times is refreshed from Date.now(), ms. */
const epochRefreshMs = 1000;
/** A 429 without a readable Retry-After pauses the probe this long. */
const defaultRetryAfterMs = 1000;

type Runner = {
	state: ProbeState;
	template: RequestTemplate;
	headers: Record<string, string>;
	intervalMs: number;
	/** performance.now() of the next intended send. */
	nextDue: number;
	pausedUntil: number;
	deadlines: DeadlineQueue;
	requestBase: Omit<RequestSpec, 'path' | 'body'>;
	/** The one spec of a probe whose requests never change (no ids, no body). */
	fixedSpec: RequestSpec | undefined;
	pool: Pool | undefined;
	/** Records a finished request of this probe: one function per probe, not a closure per request. */
	done: (request: InFlightRequest) => void;
	/** Open model: a send from the completion path is already queued (one per turn is enough). */
	sendQueued: boolean;
};

export function createProbeEngine(options: ProbeEngineOptions): ProbeEngine {
	const now = options.now ?? Date.now;
	const env = options.env ?? process.env;
	const windowsMs = options.windowsMs ?? defaultWindowsMs;
	const slots = options.slots ?? 60;
	const mode = options.mode ?? {kind: 'open'};
	const maxLagMs = options.maxLagMs ?? 10;
	const retryCap = options.retryAfterCapMs ?? 30_000;
	const pools = new OriginPools();

	const runners: Runner[] = options.probes.map((spec) => {
		const template = new RequestTemplate(spec, options.baseUrl);
		const headers = resolveHeaders(spec.id, spec.headers, env);
		if (spec.body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
		if (!(spec.ratePerSec > 0) && mode.kind === 'open') throw new RangeError(`probe ${spec.id}: ratePerSec must be > 0`);
		const requestBase = {
			method: spec.method,
			headers,
			timeoutMs: spec.timeoutMs,
			maxResponseBytes: spec.maxResponseBytes,
			wantJson: template.isMove,
			variantHeader: spec.variantHeader?.toLowerCase(),
		};
		const fixed = template.isFixed ? template.prepare() : undefined;
		const fixedSpec = fixed ? {...requestBase, path: fixed.path, body: fixed.body} : undefined;
		return {
			state: new ProbeState(spec, {
				windowsMs,
				slots,
				origin: now(),
				keepTotals: options.keepTotals ?? false,
				maxLagMs,
				variantWarmupMs: options.variantWarmupMs,
			}),
			template,
			headers,
			intervalMs: 1000 / spec.ratePerSec,
			nextDue: 0,
			pausedUntil: 0,
			deadlines: new DeadlineQueue(),
			requestBase,
			fixedSpec,
			pool: undefined,
			done: () => undefined,
			sendQueued: false,
		};
	});
	for (const r of runners) {
		r.done = (request) => completed(r, request);
		// Deadlines expire on their own timer, at the oldest unfinished one, instead of a sweep every few ms.
		r.deadlines = new DeadlineQueue(() => r.deadlines.sweep(performance.now(), pools.connected(r.template.origin)));
	}

	// One pool per origin, sized for the probes that share it.
	const poolOptionsByOrigin = new Map<string, {connections: number | null; maxResponseBytes: number; timeoutMs: number; insecure: boolean}>();
	for (const r of runners) {
		const o = poolOptionsByOrigin.get(r.template.origin);
		// Closed loop: one connection per loop; open: a shared, bounded set.
		const connections = mode.kind === 'closed' ? (o?.connections ?? 0) + mode.connections : (options.connections ?? 64);
		poolOptionsByOrigin.set(r.template.origin, {
			connections,
			maxResponseBytes: Math.max(o?.maxResponseBytes ?? 0, r.template.spec.maxResponseBytes),
			timeoutMs: Math.min(o?.timeoutMs ?? Number.POSITIVE_INFINITY, r.template.spec.timeoutMs),
			insecure: options.insecure ?? false,
		});
	}
	/**
	 * Epoch ms of a performance.now() reading. Date.now() costs ~60 ns on this kind of VM, a
	 * third of recording the request itself, so a completion adds an offset refreshed every
	 * second instead (floored; the two clocks drift apart by at most NTP's 0.5 ms a second).
	 * An injected clock (tests) is called as is.
	 */
	let epochOffset = Date.now() - performance.now();
	const epochAt = options.now ? (): number => now() : (perf: number): number => Math.floor(epochOffset + perf);

	const poolOf = (r: Runner): Pool => (r.pool ??= pools.get(r.template.origin, poolOptionsByOrigin.get(r.template.origin)!));

	let running = false;
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	let immediate: NodeJS.Immediate | undefined;
	let startedPerf = 0;
	let stoppedPerf = 0;
	let finalSnapshot: ProbeSnapshot[] | undefined;
	let finalTotals: ProbeTotals[] | undefined;
	let finalEncoded: EncodedTotals[] = [];
	let epochRefresher: NodeJS.Timeout | undefined;
	let stopping: Promise<void> | undefined;
	const drainMs = options.drainMs ?? Math.max(0, ...options.probes.map((p) => p.timeoutMs));

	const closed = mode.kind === 'closed';

	/** Sends one request intended at `intended` (performance ms). */
	const fire = (r: Runner, intended: number, sendPerf: number): void => {
		r.state.inFlight++;
		if (r.fixedSpec) {
			dispatchRequest(poolOf(r), r.fixedSpec, r.deadlines, sendPerf, r.done, intended);
			return;
		}
		const prepared = r.template.prepare();
		const spec = {...r.requestBase, path: prepared.path, body: prepared.body};
		dispatchRequest(poolOf(r), spec, r.deadlines, sendPerf, r.done, intended, prepared.id);
	};

	/** Records a finished request; in the closed loop its connection's next request follows. */
	function completed(r: Runner, request: InFlightRequest): void {
		r.state.inFlight--;
		if (stopped) return;
		const done = performance.now();
		const at = epochAt(done);
		// A 409 on an id whose version the probe has not learned yet is how it learns it (a long-lived service's
		// versions are never the probe's starting 0), not a conflict the service caused.
		const learning = r.template.isMove && request.status === 409 && request.id !== undefined && r.template.versionOf(request.id) === undefined;
		if (r.template.isMove) r.template.learn(request.id, request.status, request.json);
		const latencyMicros = (done - request.intended) * 1000;
		const error = r.state.record(request, latencyMicros, at, learning);
		options.onSample?.({probeId: r.template.spec.id, latencyMicros, error, variant: request.variant, at});
		if (error === 'http_429') {
			r.pausedUntil = Math.max(r.pausedUntil, done + retryAfterMs(request.retryAfter, at, retryCap, defaultRetryAfterMs));
		}
		// nextTick: a response's end callback runs before undici frees its connection.
		if (closed) process.nextTick(closedLoop, r);
		// Open model: a send that fell due while responses were being handled leaves now, not at the next timer turn
		// (on a busy event loop that turn comes late, and the wait is scheduler lag).
		else if (done >= r.nextDue && !r.sendQueued) {
			r.sendQueued = true;
			process.nextTick(sendDueAfterCompletion, r);
		}
	}

	/**
	 * Sends what is due of one open-model probe at `t` (performance ms; `at` epoch ms); returns when its next send is due.
	 * `earlyMs`: the turn's first send may leave this much before its slot (see timerSlackMs).
	 */
	const sendDue = (r: Runner, t: number, at: number, earlyMs = 0): number => {
		if (r.pausedUntil > t) {
			// Paused by a 429: the slots in the pause are not owed afterwards.
			r.nextDue = Math.max(r.nextDue, r.pausedUntil);
			return r.nextDue;
		}
		const behind = t - r.nextDue;
		if (behind > maxBacklogSeconds * 1000) {
			const skip = Math.floor((behind - maxBacklogSeconds * 1000) / r.intervalMs) + 1;
			r.state.recordDropped(skip);
			r.nextDue += skip * r.intervalMs;
		}
		let sent = 0;
		while ((r.nextDue <= t || (sent === 0 && r.nextDue <= t + earlyMs)) && sent < maxBurst) {
			const sendAt = performance.now();
			// Late: timed from its slot (coordinated omission). Early: from when it left, with no lag.
			r.state.recordLag(Math.max(0, sendAt - r.nextDue) * 1000, at);
			fire(r, Math.min(r.nextDue, sendAt), sendAt);
			r.nextDue += r.intervalMs;
			sent++;
		}
		r.state.backlog = r.nextDue <= t ? Math.floor((t - r.nextDue) / r.intervalMs) + 1 : 0;
		return r.nextDue;
	};

	const tick = (): void => {
		timer = undefined;
		immediate = undefined;
		if (!running) return;
		const t = performance.now();
		const at = epochAt(t);
		let earliest = Number.POSITIVE_INFINITY;
		for (const r of runners) earliest = Math.min(earliest, sendDue(r, t, at, timerSlackMs));
		const delay = earliest - timerSlackMs - performance.now();
		// A probe due within the slack is served on the next turn (which may send it early, never spinning until it is due).
		if (delay <= 0) immediate = setImmediate(tick);
		else timer = setTimeout(tick, delay);
	};

	/** After a completion (out of undici's callback): the sends that fell due while responses were handled. */
	const sendDueAfterCompletion = (r: Runner): void => {
		r.sendQueued = false;
		if (!running) return;
		const t = performance.now();
		sendDue(r, t, epochAt(t));
	};

	/** One closed-loop connection: the next request leaves when the last one is recorded. */
	const closedLoop = (r: Runner): void => {
		if (!running) return;
		const t = performance.now();
		if (r.pausedUntil > t) {
			setTimeout(() => closedLoop(r), r.pausedUntil - t);
			return;
		}
		fire(r, t, t);
	};

	const snapshot = (): ProbeSnapshot[] => {
		if (finalSnapshot) return finalSnapshot;
		const at = now();
		return runners.map((r) => r.state.snapshot(at, pools.queued(r.template.origin)));
	};

	const totals = (): ProbeTotals[] => {
		if (finalTotals) return finalTotals;
		const elapsed = (running ? performance.now() : stoppedPerf) - startedPerf;
		return runners.flatMap((r) => r.state.totalsView(elapsed, pools.queued(r.template.origin)) ?? []);
	};

	return {
		start() {
			if (running || stopped) return;
			running = true;
			startedPerf = performance.now();
			for (const r of runners) {
				r.nextDue = startedPerf;
				if (mode.kind === 'closed') for (let i = 0; i < mode.connections; i++) closedLoop(r);
			}
			epochRefresher = setInterval(() => (epochOffset = Date.now() - performance.now()), epochRefreshMs);
			if (mode.kind === 'open') tick();
		},
		stop() {
			stopping ??= drainAndStop();
			return stopping;
		},
		snapshot,
		totals,
		encodedTotals: () => finalEncoded,
		resetTotals() {
			if (stopped) return;
			startedPerf = performance.now();
			for (const r of runners) r.state.resetTotals();
		},
	};

	async function drainAndStop(): Promise<void> {
		running = false;
		stoppedPerf = performance.now();
		if (timer) clearTimeout(timer);
		if (immediate) clearImmediate(immediate);
		// A request sent is owed an outcome: deadlines keep expiring while the rest finish.
		const drainUntil = performance.now() + drainMs;
		while (runners.some((r) => r.state.inFlight > 0) && performance.now() < drainUntil) {
			await new Promise((resolve) => setTimeout(resolve, drainPollMs));
		}
		// Still in flight after the drain: recorded now as timeouts of their phase, never dropped.
		for (const r of runners) r.deadlines.expireAll();
		finalSnapshot = snapshot();
		finalTotals = totals();
		finalEncoded = runners.flatMap((r) => encodeTotals(r.state) ?? []);
		stopped = true;
		if (epochRefresher) clearInterval(epochRefresher);
		await pools.close();
		for (const r of runners) r.state.destroy();
	}
}
