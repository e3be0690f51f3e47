/**
 * Opaque NextToken pages for the CloudWatch-compatible endpoint: a token carries an
 * offset and a fingerprint of the request it came from, so a token from another request
 * is refused the way CloudWatch refuses it (`InvalidNextToken`).
 */
import {validation} from './cloudwatch-wire-errors.js';

export function encodeToken(offset: number, fingerprint: string): string {
	return Buffer.from(JSON.stringify({o: offset, f: fingerprint})).toString('base64url');
}

/** The offset a token points at; 0 without a token. */
export function decodeToken(token: unknown, fingerprint: string): number {
	if (token === undefined || token === null) return 0;
	try {
		const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as {o?: unknown; f?: unknown};
		if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0 && parsed.f === fingerprint) return parsed.o;
	} catch {
		// Falls through to the same error as a mismatched token.
	}
	throw validation('The service cannot find the NextToken', 'InvalidNextToken');
}

/** A short hash of the request without its NextToken. */
export function fingerprintOf(body: Record<string, unknown>): string {
	const {NextToken: _token, ...rest} = body;
	let h = 0;
	const s = JSON.stringify(rest);
	for (let k = 0; k < s.length; k++) h = (Math.imul(h, 31) + s.charCodeAt(k)) | 0;
	return h.toString(36);
}

/** One page of `items` from the token's offset, with the next token when more remain. */
export function pageOf<T>(items: T[], body: Record<string, unknown>, pageSize: number): {page: T[]; nextToken?: string} {
	const fingerprint = fingerprintOf(body);
	const offset = decodeToken(body.NextToken, fingerprint);
	const page = items.slice(offset, offset + pageSize);
	return offset + pageSize < items.length ? {page, nextToken: encodeToken(offset + pageSize, fingerprint)} : {page};
}
