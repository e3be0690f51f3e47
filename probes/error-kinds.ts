/**
 * Maps what can go wrong with one probe request to an `ErrorKind`. Every outcome is a
 * counted sample: nothing here throws.
 */
import type {ErrorKind} from '../source/core/measurements.js';

/** Thrown into the request's AbortSignal when the per-request total deadline passes. */
export class DeadlineError extends Error {
	readonly code = 'GOLIVE_DEADLINE';
	constructor(
		readonly timeoutMs: number,
		/** Whether response headers had arrived when the deadline passed. */
		readonly phase: 'connect' | 'headers' | 'body',
	) {
		super(
			phase === 'connect'
				? `no connection within ${timeoutMs} ms`
				: phase === 'headers'
					? `no response headers within ${timeoutMs} ms`
					: `response not complete within ${timeoutMs} ms`,
		);
		this.name = 'DeadlineError';
	}
}

/** The response body was larger than the probe's `maxResponseBytes`. */
export class BodyTooLargeError extends Error {
	readonly code = 'GOLIVE_BODY_TOO_LARGE';
	constructor(readonly limit: number) {
		super(`response body larger than ${limit} bytes`);
		this.name = 'BodyTooLargeError';
	}
}

const tlsCodes = new Set([
	'EPROTO',
	'ERR_SSL_WRONG_VERSION_NUMBER',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'ERR_TLS_HANDSHAKE_TIMEOUT',
]);

function codeOf(error: unknown): string {
	if (typeof error === 'object' && error !== null) {
		const code = (error as {code?: unknown}).code;
		if (typeof code === 'string') return code;
	}
	return '';
}

/** The error that explains `error` best: undici wraps socket errors in `cause`. */
function innermost(error: unknown): unknown {
	let e = error;
	for (let i = 0; i < 5; i++) {
		const cause = typeof e === 'object' && e !== null ? (e as {cause?: unknown}).cause : undefined;
		if (cause === undefined || cause === null) break;
		e = cause;
	}
	return e;
}

/** Classifies a thrown request error. */
export function classifyError(error: unknown): ErrorKind {
	if (error instanceof DeadlineError) return error.phase === 'connect' ? 'connect_timeout' : error.phase === 'headers' ? 'headers_timeout' : 'total_timeout';
	if (error instanceof BodyTooLargeError) return 'body_too_large';
	for (const e of [error, innermost(error)]) {
		const code = codeOf(e);
		if (code === '') continue;
		if (code === 'ECONNREFUSED') return 'connect_refused';
		if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'ECONNABORTED') return 'connect_reset';
		if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL' || code === 'EAI_NODATA') return 'dns';
		if (tlsCodes.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.includes('CERT')) return 'tls';
		if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return 'connect_timeout';
		if (code === 'UND_ERR_HEADERS_TIMEOUT') return 'headers_timeout';
		if (code === 'UND_ERR_BODY_TIMEOUT') return 'total_timeout';
		if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return 'body_too_large';
		if (code.startsWith('HPE_') || code === 'UND_ERR_HEADERS_OVERFLOW' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || code === 'UND_ERR_INFO') {
			return 'bad_response';
		}
	}
	for (const e of [error, innermost(error)]) {
		if (e instanceof Error && e.name === 'HTTPParserError') return 'bad_response';
	}
	const message = error instanceof Error ? error.message : '';
	if (/ssl|tls|certificate/i.test(message)) return 'tls';
	return 'other';
}

/** Classifies an HTTP status; `null` when it is not an error. A 409 on an occ-move is a conflict, decided by the caller. */
export function classifyStatus(status: number): ErrorKind | null {
	if (status === 429) return 'http_429';
	if (status >= 500) return 'http_5xx';
	if (status >= 400) return 'http_4xx';
	if (status < 100 || status > 599) return 'bad_response';
	return null;
}

/**
 * Retry-After in ms (delta-seconds or HTTP-date), capped; `fallbackMs` when absent or unreadable.
 */
export function retryAfterMs(value: string | string[] | undefined, nowMs: number, capMs: number, fallbackMs: number): number {
	const raw = Array.isArray(value) ? value[0] : value;
	let ms = fallbackMs;
	if (raw !== undefined) {
		const trimmed = raw.trim();
		if (/^\d+(\.\d+)?$/.test(trimmed)) ms = Number(trimmed) * 1000;
		else {
			const date = Date.parse(trimmed);
			if (Number.isFinite(date)) ms = date - nowMs;
		}
	}
	return Math.max(0, Math.min(capMs, ms));
}
