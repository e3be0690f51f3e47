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

/** Maps an SDK, credential or network error to the source state the operator sees. */
export function classifyCloudWatchError(error: unknown): SourceState {
	const e = (typeof error === 'object' && error !== null ? error : {message: String(error)}) as ErrorLike;
	const name = str(e.name);
	const code = str(e.code) || str(e.Code);
	const cause = (typeof e.cause === 'object' && e.cause !== null ? e.cause : {}) as ErrorLike;
	const message = sanitize(`${name ? `${name}: ` : ''}${str(e.message) || String(error)}`, 300);
	const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;

	if (name === 'CredentialsProviderError' || name === 'TokenProviderError' || /could not load credentials/i.test(message)) {
		// An expired SSO session surfaces as a provider error, but the fix is `aws sso login`, not new keys.
		return {kind: 'error', code: /expired/i.test(message) ? 'expired_token' : 'no_credentials', message};
	}
	if (expiredNames.has(name) || expiredNames.has(code) || /expired/i.test(code)) return {kind: 'error', code: 'expired_token', message};
	if (deniedNames.has(name) || deniedNames.has(code)) return {kind: 'error', code: 'access_denied', message};
	if (throttleNames.has(name) || throttleNames.has(code) || status === 429) {
		return {kind: 'degraded', why: `throttled by CloudWatch (${message})`, retryInMs: defaultRetryInMs};
	}
	if (name === 'AbortError' || name === 'TimeoutError' || networkCodes.has(code) || networkCodes.has(str(cause.code))) {
		return {kind: 'error', code: 'unreachable', message};
	}
	if (/region/i.test(message) && /missing|not accepted|invalid/i.test(message)) return {kind: 'error', code: 'no_region', message};
	if (name === 'ResourceNotFound' || name === 'ResourceNotFoundException') return {kind: 'error', code: 'not_found', message};
	if (name === 'InternalFailure' || name === 'ServiceUnavailable' || (status !== undefined && status >= 500)) {
		return {kind: 'degraded', why: `CloudWatch failed (${message})`, retryInMs: defaultRetryInMs};
	}
	if (name === 'SyntaxError' || name === 'SerializationException' || /deserializ/i.test(message)) return {kind: 'error', code: 'bad_response', message};
	return {kind: 'error', code: 'other', message};
}
