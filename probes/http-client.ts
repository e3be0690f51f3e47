/**
 * The HTTP side of a probe: one undici `Pool` per origin (pipelining 1), an explicit total
 * deadline per request through an AbortSignal (undici's bodyTimeout only bounds the gap
 * between chunks, so a trickled body would never end), a response-size cap, and a body
 * that is always consumed, on 409 and 5xx too, so the connection goes back to the pool.
 */
import type {Dispatcher} from 'undici';
import {Pool} from 'undici';
import type {ErrorKind} from '../source/core/measurements.js';
import {sanitize} from '../source/core/sanitize.js';
import {BodyTooLargeError, DeadlineError, classifyError} from './error-kinds.js';

export type PoolOptions = {
	/** Connections to the origin. `null`: no limit. */
	connections: number | null;
	/** Largest `maxResponseBytes` of the probes on this origin. */
	maxResponseBytes: number;
	/** Smallest per-request deadline on this origin, ms. */
	timeoutMs: number;
	/** Accept self-signed certificates (never by default). @default false */
	insecure?: boolean;
};

/** undici's connect timeout: half the request budget, so a hung connect is named as such before the total deadline. */
function connectTimeoutOf(timeoutMs: number): number {
	return Math.max(1, Math.min(10_000, Math.floor(timeoutMs / 2)));
}

/** Pools keyed by origin, created lazily, all closed together. */
export class OriginPools {
	private readonly pools = new Map<string, Pool>();

	get(origin: string, options: PoolOptions): Pool {
		let pool = this.pools.get(origin);
		if (!pool) {
			pool = new Pool(origin, {
				connections: options.connections,
				pipelining: 1,
				connectTimeout: connectTimeoutOf(options.timeoutMs),
				// The AbortSignal deadline is the real bound; these are backstops.
				headersTimeout: options.timeoutMs + 1000,
				bodyTimeout: options.timeoutMs + 1000,
				maxResponseSize: options.maxResponseBytes,
				keepAliveTimeout: 10_000,
				connect: options.insecure ? {rejectUnauthorized: false} : undefined,
			});
			this.pools.set(origin, pool);
		}
		return pool;
	}

	/** Whether the origin's pool has at least one open connection. */
	connected(origin: string): boolean {
		const pool = this.pools.get(origin);
		return pool ? pool.stats.connected > 0 : false;
	}

	/** Requests queued in the origin's pool, not yet written to a socket. */
	queued(origin: string): number {
		const pool = this.pools.get(origin);
		return pool ? pool.stats.pending : 0;
	}

	async close(): Promise<void> {
		const pools = [...this.pools.values()];
		this.pools.clear();
		// destroy, not close: in-flight requests of a stopping engine must not hold it open.
		await Promise.allSettled(pools.map((p) => p.destroy()));
	}
}

export type RequestSpec = {
	method: string;
	path: string;
	headers: Record<string, string>;
	body: string | undefined;
	timeoutMs: number;
	maxResponseBytes: number;
	/** Parse the body as JSON (occ-move). */
	wantJson: boolean;
	/** Lower-case header name to report the value of. */
	variantHeader: string | undefined;
};

export type RequestOutcome = {
	/** HTTP status, 0 when no response. */
	status: number;
	/** Transport-level error (status-level errors are classified by the caller). */
	error: ErrorKind | null;
	/** Sanitized, for the screen; never holds request headers. */
	errorMessage: string | null;
	retryAfter: string | undefined;
	variant: string | undefined;
	json: unknown;
	/** Body bytes read. */
	bytes: number;
};

function headerValue(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

/**
 * Per-request deadlines without a timer per request: requests of one probe share one
 * timeout, so their deadlines arrive in send order and a FIFO is enough. Finished requests
 * leave the head as new ones are pushed, so the queue stays as short as the number in
 * flight. With `onDue`, the queue keeps one timer at its oldest unfinished deadline and
 * calls `onDue` when it passes (the caller sweeps): a deadline fires on time, and a probe
 * whose requests finish costs one wake-up per timeout period, not a sweep every few ms.
 */
export class DeadlineQueue {
	private items: InFlightRequest[] = [];
	private head = 0;
	private timer: NodeJS.Timeout | undefined = undefined;

	constructor(private readonly onDue?: () => void) {}

	push(request: InFlightRequest): void {
		this.dropFinished();
		this.items.push(request);
		if (this.onDue && this.timer === undefined) this.arm(request.deadline);
	}

	/** Leaves finished requests at the head behind (they need no deadline any more). */
	private dropFinished(): void {
		const items = this.items;
		while (this.head < items.length && items[this.head]!.finished) {
			items[this.head] = undefined as unknown as InFlightRequest;
			this.head++;
		}
		if (this.head > 1024 && this.head * 2 > items.length) {
			this.items = items.slice(this.head);
			this.head = 0;
		}
	}

	private arm(deadline: number): void {
		// Timers fire in whole ms and may fire early: an early sweep finds nothing due and re-arms.
		this.timer = setTimeout(this.due, Math.max(1, deadline - performance.now()));
	}

	private readonly due = (): void => {
		this.timer = undefined;
		this.onDue?.();
		this.dropFinished();
		const next = this.items[this.head];
		if (next && this.timer === undefined) this.arm(next.deadline);
	};

	/**
	 * Expires every request whose deadline is ≤ `nowPerf` (performance.now() ms).
	 * `connected` says whether the origin has any open connection: a request that never
	 * reached a socket while none is open timed out connecting, not waiting for headers.
	 */
	sweep(nowPerf: number, connected = true): void {
		const items = this.items;
		while (this.head < items.length) {
			const r = items[this.head]!;
			if (!r.finished && r.deadline > nowPerf) break;
			if (!r.finished) r.expire(connected);
			items[this.head] = undefined as unknown as InFlightRequest;
			this.head++;
		}
		this.dropFinished();
	}

	/** Expires everything and stops the timer (engine stop). */
	expireAll(): void {
		this.sweep(Number.POSITIVE_INFINITY);
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
	}

	get size(): number {
		return this.items.length - this.head;
	}
}

/**
 * One request as an undici dispatch handler: no promise, no stream, no timer per request,
 * which is what lets one process keep tens of thousands of requests per second. It is its
 * own outcome too (`done` gets the request itself), so finishing allocates nothing, and it
 * carries what its caller needs afterwards (intended start, id), so the caller passes one
 * `done` function for all its requests instead of a closure per request.
 */
export class InFlightRequest implements RequestOutcome {
	finished = false;
	readonly deadline: number;
	status = 0;
	error: ErrorKind | null = null;
	errorMessage: string | null = null;
	retryAfter: string | undefined = undefined;
	variant: string | undefined = undefined;
	json: unknown = undefined;
	bytes = 0;
	private controller: {abort(reason: Error): void} | undefined = undefined;
	private started = false;
	private headersSeen = false;
	private chunks: Buffer[] | undefined = undefined;

	constructor(
		private readonly spec: RequestSpec,
		private readonly done: (request: InFlightRequest) => void,
		startPerf: number,
		/** performance.now() ms the request was meant to start (open model: its slot), for the caller. @default startPerf */
		readonly intended = startPerf,
		/** The id the request used (a rotating `{id}`), for the caller. */
		readonly id: string | undefined = undefined,
	) {
		this.deadline = startPerf + spec.timeoutMs;
		if (spec.wantJson) this.chunks = [];
	}

	onRequestStart(controller: {abort(reason: Error): void}): void {
		this.controller = controller;
		this.started = true;
		// Expired while queued in the pool: never send it.
		if (this.finished) controller.abort(new DeadlineError(this.spec.timeoutMs, 'headers'));
	}

	onResponseStart(_controller: unknown, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
		if (this.finished) return;
		this.headersSeen = true;
		this.status = statusCode;
		this.retryAfter = headerValue(headers['retry-after']);
		if (this.spec.variantHeader) this.variant = headerValue(headers[this.spec.variantHeader]);
	}

	onResponseData(controller: {abort(reason: Error): void}, chunk: Buffer): void {
		if (this.finished) return;
		this.bytes += chunk.length;
		if (this.bytes > this.spec.maxResponseBytes) {
			const error = new BodyTooLargeError(this.spec.maxResponseBytes);
			this.finish(error);
			controller.abort(error);
			return;
		}
		this.chunks?.push(chunk);
	}

	onResponseEnd(): void {
		this.finish(null);
	}

	onResponseError(_controller: unknown, error: Error): void {
		this.finish(error);
	}

	expire(connected = true): void {
		if (this.finished) return;
		const phase = this.headersSeen ? 'body' : this.started || connected ? 'headers' : 'connect';
		const error = new DeadlineError(this.spec.timeoutMs, phase);
		this.finish(error);
		this.controller?.abort(error);
	}

	private finish(error: unknown): void {
		if (this.finished) return;
		this.finished = true;
		if (error === null && this.chunks) {
			try {
				this.json = JSON.parse(Buffer.concat(this.chunks).toString('utf8'));
			} catch {
				this.json = undefined;
			}
		}
		this.chunks = undefined;
		if (error !== null) {
			this.error = classifyError(error);
			this.errorMessage = messageOf(error);
		}
		this.done(this);
	}
}

const dispatchOptionsCache = new WeakMap<RequestSpec, Dispatcher.DispatchOptions>();

/** undici only reads the options, so a spec that is reused (a fixed request) reuses them too. */
function dispatchOptionsOf(spec: RequestSpec): Dispatcher.DispatchOptions {
	let options = dispatchOptionsCache.get(spec);
	if (!options) {
		options = {method: spec.method as Dispatcher.HttpMethod, path: spec.path, headers: spec.headers, body: spec.body};
		dispatchOptionsCache.set(spec, options);
	}
	return options;
}

/**
 * Sends one request; `done` is called exactly once, with the request as its outcome, by the
 * response, an error or the deadline sweep. `intended` and `id` ride along for `done`.
 */
export function dispatchRequest(
	pool: Pool,
	spec: RequestSpec,
	deadlines: DeadlineQueue,
	startPerf: number,
	done: (request: InFlightRequest) => void,
	intended = startPerf,
	id: string | undefined = undefined,
): InFlightRequest {
	const request = new InFlightRequest(spec, done, startPerf, intended, id);
	deadlines.push(request);
	try {
		pool.dispatch(dispatchOptionsOf(spec), request);
	} catch (error) {
		request.onResponseError(undefined, error as Error);
	}
	return request;
}

/** An error's code and message, sanitized and short. undici messages never include request headers. */
function messageOf(error: unknown): string {
	const e = error instanceof Error && error.cause instanceof Error && !(error instanceof DeadlineError) ? error.cause : error;
	const code = typeof e === 'object' && e !== null && typeof (e as {code?: unknown}).code === 'string' ? `${(e as {code: string}).code}: ` : '';
	const message = e instanceof Error ? e.message : String(e);
	return sanitize(code + message, 200);
}
