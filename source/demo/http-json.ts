/**
 * JSON request/response plumbing for the simulated service (bodies, errors, methods, the loopback listener). Every failure is
 * an answer (`{error, message}`), never a thrown exception that could take the
 * server down mid-demo.
 */
import type {IncomingMessage, Server, ServerResponse} from 'node:http';

/** Bodies above this are refused with 413. */
const maxBodyBytes = 64 * 1024;
/**
 * Past the limit we keep draining (and discarding) so the client reads a clean
 * 413 instead of a reset while it is still writing; past this we hang up.
 */
const drainCapBytes = 8 * 1024 * 1024;

export type BodyResult = {kind: 'ok'; text: string} | {kind: 'too_large'; hangUp: boolean} | {kind: 'aborted'};

export function readBody(req: IncomingMessage, limit = maxBodyBytes): Promise<BodyResult> {
	const declared = Number(req.headers['content-length']);
	if (Number.isFinite(declared) && declared > drainCapBytes) return Promise.resolve({kind: 'too_large', hangUp: true});
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let settled = false;
		const settle = (result: BodyResult): void => {
			if (settled) return;
			settled = true;
			resolve(result);
		};
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= limit) chunks.push(chunk);
			else if (size > drainCapBytes) {
				req.pause();
				settle({kind: 'too_large', hangUp: true});
			}
		});
		req.on('end', () => settle(size > limit ? {kind: 'too_large', hangUp: false} : {kind: 'ok', text: Buffer.concat(chunks).toString('utf8')}));
		req.on('error', () => settle({kind: 'aborted'}));
		req.on('close', () => settle({kind: 'aborted'}));
	});
}

export type JsonResult = {kind: 'ok'; value: unknown} | {kind: 'bad_json'; message: string};

export function parseJson(text: string): JsonResult {
	if (text.trim() === '') return {kind: 'bad_json', message: 'request body is empty; expected JSON'};
	try {
		return {kind: 'ok', value: JSON.parse(text) as unknown};
	} catch (error) {
		// V8's message quotes the input: cap it so a reply never echoes much of what the client sent.
		const detail = error instanceof Error ? error.message.slice(0, 120) : 'parse error';
		return {kind: 'bad_json', message: `request body is not valid JSON: ${detail}`};
	}
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	sendJsonText(res, status, JSON.stringify(body), headers);
}

/** For bodies already serialized (the cached board). */
export function sendJsonText(res: ServerResponse, status: number, payload: string, headers: Record<string, string> = {}): void {
	if (res.headersSent || res.destroyed) return;
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': String(Buffer.byteLength(payload)),
		'cache-control': 'no-store',
		...headers,
	});
	res.end(payload);
}

export function sendError(
	res: ServerResponse,
	status: number,
	error: string,
	message: string,
	options: {extra?: Record<string, unknown>; headers?: Record<string, string>} = {},
): void {
	sendJson(res, status, {error, message, ...options.extra}, options.headers);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Integers arrive as numbers from clients, but a templated actuator body may
 * deliver `"30"`; accept canonical decimal strings too, nothing looser.
 */
export function asInteger(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
	if (typeof value === 'string' && /^-?\d{1,9}$/.test(value)) return Number(value);
	return undefined;
}

/** Reads and validates a JSON object body; answers the 4xx itself and returns undefined on failure. */
export async function readJsonObject(req: IncomingMessage, res: ServerResponse): Promise<Record<string, unknown> | undefined> {
	const body = await readBody(req);
	switch (body.kind) {
		case 'aborted':
			return undefined;
		case 'too_large':
			sendError(res, 413, 'payload_too_large', 'request body exceeds 64 KiB', body.hangUp ? {headers: {connection: 'close'}} : {});
			return undefined;
		case 'ok': {
			const parsed = parseJson(body.text);
			if (parsed.kind === 'bad_json') {
				sendError(res, 400, 'bad_json', parsed.message);
				return undefined;
			}
			if (!isPlainObject(parsed.value)) {
				sendError(res, 400, 'invalid_request', 'request body must be a JSON object');
				return undefined;
			}
			return parsed.value;
		}
		default: {
			const _never: never = body;
			return _never;
		}
	}
}

/**
 * Answers a CORS preflight (`OPTIONS`) or a method the route does not take (405) and returns false;
 * true when the handler should go on.
 */
export function answersMethod(res: ServerResponse, method: string, allowed: readonly string[]): boolean {
	if (method === 'OPTIONS') {
		res.writeHead(204, {
			allow: [...allowed, 'OPTIONS'].join(', '),
			'access-control-allow-methods': [...allowed, 'OPTIONS'].join(', '),
			'access-control-allow-headers': 'content-type, authorization',
			'access-control-max-age': '600',
		});
		res.end();
		return false;
	}
	if (!allowed.includes(method)) {
		sendError(res, 405, 'method_not_allowed', `${method} is not allowed here; use ${allowed.join(', ')}`, {headers: {allow: allowed.join(', ')}});
		return false;
	}
	return true;
}

/**
 * Listens on 127.0.0.1:`port` (0 = any free port). Garbage on the wire (not HTTP, a bad header)
 * gets a JSON 400 and a hang-up instead of a crash.
 */
export async function listenOnLoopback(server: Server, port: number): Promise<void> {
	server.on('clientError', (_error, socket) => {
		if (socket.writable && !socket.destroyed) {
			const body = JSON.stringify({error: 'bad_request', message: 'malformed HTTP request'});
			socket.end(
				`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
			);
		} else socket.destroy();
	});
	await new Promise<void>((resolve, reject) => {
		const onError = (error: Error): void => reject(error);
		server.once('error', onError);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', onError);
			resolve();
		});
	});
}
