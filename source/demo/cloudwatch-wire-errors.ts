/**
 * Errors as CloudWatch sends them over AWS JSON 1.0: `{"__type", "message"}` plus the
 * `x-amzn-query-error: Code;Sender` header the query-compatible SDK uses to name the error
 * (`Throttling`, not `ThrottlingException`).
 */

export const cloudWatchFaults = ['Throttling', 'AccessDenied', 'ExpiredToken', 'InternalFailure'] as const;
export type CloudWatchFault = (typeof cloudWatchFaults)[number];

export type ErrorSpec = {status: number; type: string; code: string; fault: 'Sender' | 'Receiver'; message: string};

export const faultSpecs: Record<CloudWatchFault, ErrorSpec> = {
	Throttling: {status: 400, type: 'ThrottlingException', code: 'Throttling', fault: 'Sender', message: 'Rate exceeded'},
	AccessDenied: {
		status: 403,
		type: 'AccessDeniedException',
		code: 'AccessDenied',
		fault: 'Sender',
		message: 'User: arn:aws:iam::000000000000:user/demo is not authorized to perform this action',
	},
	ExpiredToken: {
		status: 400,
		type: 'ExpiredTokenException',
		code: 'ExpiredToken',
		fault: 'Sender',
		message: 'The security token included in the request is expired',
	},
	InternalFailure: {
		status: 500,
		type: 'InternalFailure',
		code: 'InternalFailure',
		fault: 'Receiver',
		message: 'The request processing has failed because of an unknown error',
	},
};

/** A request CloudWatch would refuse; the handler turns it into the wire error. */
export class RequestError extends Error {
	constructor(readonly spec: ErrorSpec) {
		super(spec.message);
	}
}

/** `ValidationError` (→ `ValidationException`) or a named 400 code such as `InvalidParameterValue`. */
export function validation(message: string, code = 'ValidationError'): RequestError {
	return new RequestError({status: 400, type: code === 'ValidationError' ? 'ValidationException' : `${code}Exception`, code, fault: 'Sender', message});
}

/** What CloudWatch answers a PutMetricData body over its size limit (HTTP 413). */
export function tooLarge(bytes: number, limit: number): RequestError {
	return new RequestError({
		status: 413,
		type: 'RequestEntityTooLarge',
		code: 'RequestEntityTooLarge',
		fault: 'Sender',
		message: `Request size ${bytes} exceeded ${limit} bytes`,
	});
}
