/**
 * What a failed CloudWatch call means to the operator. Every failure becomes a
 * `SourceState` that is never `ok`: the core never reads a dead source as green.
 */
import type {SourceState} from '../source/core/measurements.js';
import {sanitize} from '../source/core/sanitize.js';

/** Retry hint for transient failures; the poller replaces it with the delay it really schedules. */
const defaultRetryInMs = 10_000;

type ErrorLike = {name?: unknown; code?: unknown; message?: unknown; Code?: unknown; cause?: unknown; $metadata?: {httpStatusCode?: unknown}};

const networkCodes = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EPIPE',
	'ETIMEDOUT',
	'ECONNABORTED',
	'UND_ERR_SOCKET',
]);
const throttleNames = new Set([
	'Throttling',
	'ThrottlingException',
	'ThrottledException',
	'RequestLimitExceeded',
	'TooManyRequestsException',
	'LimitExceeded',
	'LimitExceededException',
]);
const expiredNames = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const deniedNames = new Set([
	'AccessDenied',
	'AccessDeniedException',
	'UnauthorizedOperation',
	'NotAuthorized',
	'MissingAuthenticationToken',
	'MissingAuthenticationTokenException',
	'InvalidClientTokenId',
	'SignatureDoesNotMatch',
	'UnrecognizedClientException',
]);

function str(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

/** What the classification may name: the call's time bound. */
export type CloudWatchErrorContext = {
	/** The bound each call had, for "no answer within 5 s". */
	timeoutMs?: number;
};

/** The first sentence of an SDK message, without the SDK's package prefixes and hints, capped: one short line. */
function shortText(text: string, max = 80): string {
	const first = text
		.replace(/@smithy\/[\w-]+\s*-?\s*(\[\w+\]\s*)?/g, '')
		.split(/\s{2,}|\n|(?<=\.)\s/)[0]!
		.trim()
		.replace(/\.$/, '');
	return sanitize(first.length > max ? `${first.slice(0, max - 1)}…` : first, max);
}

/** `connection refused (127.0.0.1:4566)`, `host not found (monitoring.invalid)`…: a network failure in operator words. */
function networkText(code: string, message: string, name: string, timeoutMs: number | undefined): string {
	const where = /(?:connect|getaddrinfo) \w+ (\S+)/.exec(message)?.[1];
	const at = where ? ` (${sanitize(where, 60)})` : '';
	switch (code) {
		case 'ECONNREFUSED':
			return `connection refused${at}`;
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return `host not found${at}`;
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return `no route to host${at}`;
		case 'ECONNRESET':
		case 'EPIPE':
		case 'ECONNABORTED':
		case 'UND_ERR_SOCKET':
			return `connection dropped${at}`;
		default:
			if (name === 'TimeoutError' || name === 'AbortError' || code === 'ETIMEDOUT' || /timeout|timed out|exceeded/i.test(message)) {
				if (/socket hang up/i.test(message)) return 'connection dropped';
				return timeoutMs ? `no answer within ${Math.round(timeoutMs / 100) / 10} s` : 'timed out';
			}
			return shortText(message);
	}
}

/**
 * Maps an SDK, credential or network error to the source state the operator
 * sees, in one short line: timed out, connection refused, throttled, no
 * credentials, access denied (to which action), HTTP status — never the SDK's
 * internals (`@smithy/node-http-handler - [ERROR] …`, deserialization hints).
 */
export function classifyCloudWatchError(error: unknown, context: CloudWatchErrorContext = {}): SourceState {
	const e = (typeof error === 'object' && error !== null ? error : {message: String(error)}) as ErrorLike;
	const name = str(e.name);
	const code = str(e.code) || str(e.Code);
	const cause = (typeof e.cause === 'object' && e.cause !== null ? e.cause : {}) as ErrorLike;
	const raw = str(e.message) || String(error);
	const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
	const http = status !== undefined ? `HTTP ${status}` : '';

	if (name === 'CredentialsProviderError' || name === 'TokenProviderError' || /could not load credentials/i.test(raw)) {
		// An expired SSO session surfaces as a provider error, but the fix is `aws sso login`, not new keys.
		if (/expired/i.test(raw)) return {kind: 'error', code: 'expired_token', message: 'the AWS session expired (aws sso login, or new keys)'};
		return {kind: 'error', code: 'no_credentials', message: 'none found (AWS_PROFILE, AWS_ACCESS_KEY_ID…, SSO or instance role)'};
	}
	if (expiredNames.has(name) || expiredNames.has(code) || /expired/i.test(code)) {
		return {kind: 'error', code: 'expired_token', message: 'the AWS credentials expired (aws sso login, or new keys)'};
	}
	if (deniedNames.has(name) || deniedNames.has(code)) {
		// The action refused is what the operator asks IAM for; the principal's ARN stays out of the one line.
		const action = /perform:?\s+([\w-]+:[\w-]+)/.exec(raw)?.[1];
		return {
			kind: 'error',
			code: 'access_denied',
			message: action ? `not allowed to ${sanitize(action, 60)}` : `these credentials may not read CloudWatch (${name || code})`,
		};
	}
	if (throttleNames.has(name) || throttleNames.has(code) || status === 429) {
		return {kind: 'degraded', why: 'throttled by CloudWatch', retryInMs: defaultRetryInMs};
	}
	const netCode = networkCodes.has(code) ? code : networkCodes.has(str(cause.code)) ? str(cause.code) : '';
	if (name === 'AbortError' || name === 'TimeoutError' || netCode) {
		return {kind: 'error', code: 'unreachable', message: networkText(netCode, `${raw} ${str(cause.message)}`, name, context.timeoutMs)};
	}
	if (/region/i.test(raw) && /missing|not accepted|invalid/i.test(raw)) return {kind: 'error', code: 'no_region', message: shortText(raw)};
	if (name === 'ResourceNotFound' || name === 'ResourceNotFoundException') return {kind: 'error', code: 'not_found', message: shortText(raw)};
	if (name === 'SyntaxError' || name === 'SerializationException' || /deserializ/i.test(raw)) {
		// Not CloudWatch's XML/JSON: a proxy, a login page or the wrong endpoint answered.
		const what = `${http || 'an answer'}, not a CloudWatch answer`;
		if (status !== undefined && status >= 500) return {kind: 'degraded', why: `CloudWatch failed: ${what}`, retryInMs: defaultRetryInMs};
		return {kind: 'error', code: 'bad_response', message: what};
	}
	if (name === 'InternalFailure' || name === 'ServiceUnavailable' || (status !== undefined && status >= 500)) {
		return {kind: 'degraded', why: `CloudWatch failed: ${[http, name].filter(Boolean).join(' ') || 'internal failure'}`, retryInMs: defaultRetryInMs};
	}
	const label = name && name !== 'Error' && name !== 'Unknown' ? name : '';
	const text = http ? `${http}${label ? ` (${label})` : ''}` : label || shortText(raw);
	return {kind: 'error', code: 'other', message: text || 'unknown error'};
}
