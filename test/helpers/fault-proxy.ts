/**
 * A fault-injecting HTTP proxy for failure-path tests: a real node:http server
 * on 127.0.0.1 in front of one upstream (the simulated service of
 * `golive demo --serve`). Each path prefix (optionally per method) has a mode
 * the test switches at runtime: pass through, answer a status itself, hang,
 * trickle the body, lie on a flag read-back, or drop the connection. Every
 * request is counted, whatever its mode.
 */
import http from 'node:http';
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

export type FaultMode =
	/** Forward to the upstream unchanged. */
	| {kind: 'pass'}
	/** Answer this status with a small JSON body; the upstream never sees the request. */
	| {kind: 'status'; status: number}
	/** Read the request, never answer (until the proxy closes). */
	| {kind: 'hang'}
	/** Forward, then send the upstream's body one byte every `everyMs` (headers at once, content-length kept). */
	| {kind: 'trickle'; everyMs?: number}
	/** Forward, then rewrite every `rolloutPercent` in the JSON body (and `enabled`) to `percent`. */
	| {kind: 'wrong-readback'; percent: number}
	/** Destroy the connection without a response. */
	| {kind: 'drop'};

export type ProxiedRequest = {at: number; method: string; path: string; mode: FaultMode['kind']; body: string};

export type FaultProxy = {
	/** e.g. `http://127.0.0.1:41234` (no trailing slash). */
	url: string;
	/** Mode for requests whose path starts with `pathPrefix` (and, if given, with this method). Longest prefix wins; a method-specific entry beats `*`. */
	setMode(pathPrefix: string, mode: FaultMode, method?: string): void;
	/** Every path back to `pass`. */
	reset(): void;
	/** Requests received so far whose path starts with `pathPrefix` (and method, if given). */
	count(pathPrefix?: string, method?: string): number;
	requests(): ProxiedRequest[];
	close(): Promise<void>;
};

const maxRecordedBody = 4096;

function rewritePercent(value: unknown, percent: number): unknown {
	if (Array.isArray(value)) return value.map((v) => rewritePercent(v, percent));
	if (value === null || typeof value !== 'object') return value;
	const out: Record<string, unknown> = {};
	for (const [key, v] of Object.entries(value)) {
		if (key === 'rolloutPercent') out[key] = percent;
		else if (key === 'enabled') out[key] = percent > 0;
		else out[key] = rewritePercent(v, percent);
	}
	return out;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
	return Buffer.concat(chunks);
}

export async function startFaultProxy(upstreamUrl: string): Promise<FaultProxy> {
	const upstream = new URL(upstreamUrl);
	const agent = new http.Agent({keepAlive: true});
	const modes = new Map<string, FaultMode>();
	const log: ProxiedRequest[] = [];
	const timers = new Set<NodeJS.Timeout>();
	let closed = false;

	const modeFor = (method: string, path: string): FaultMode => {
		let best: {length: number; specific: boolean; mode: FaultMode} | undefined;
		for (const [key, mode] of modes) {
			const [keyMethod, prefix] = [key.slice(0, key.indexOf(' ')), key.slice(key.indexOf(' ') + 1)];
			if (!path.startsWith(prefix) || (keyMethod !== '*' && keyMethod !== method)) continue;
			const candidate = {length: prefix.length, specific: keyMethod !== '*', mode};
			if (!best || candidate.length > best.length || (candidate.length === best.length && candidate.specific && !best.specific)) best = candidate;
		}
		return best?.mode ?? {kind: 'pass'};
	};

	const forward = (req: IncomingMessage, body: Buffer): Promise<IncomingMessage> =>
		new Promise((resolve, reject) => {
			const out = http.request(
				{host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: {...req.headers, host: upstream.host}, agent},
				resolve,
			);
			out.on('error', reject);
			out.end(body);
		});

	const trickle = (res: ServerResponse, bytes: Buffer, everyMs: number): void => {
		let sent = 0;
		const step = (): void => {
			if (closed || res.destroyed) return;
			if (sent >= bytes.length) {
				res.end();
				return;
			}
			res.write(bytes.subarray(sent, sent + 1));
			sent++;
			const timer = setTimeout(() => {
				timers.delete(timer);
				step();
			}, everyMs);
			timers.add(timer);
		};
		step();
	};

	const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const method = (req.method ?? 'GET').toUpperCase();
		const path = new URL(req.url ?? '/', 'http://proxy').pathname;
		const mode = modeFor(method, path);
		const body = await readAll(req);
		log.push({at: Date.now(), method, path, mode: mode.kind, body: body.subarray(0, maxRecordedBody).toString('utf8')});
		switch (mode.kind) {
			case 'status': {
				const text = JSON.stringify({error: 'injected_fault', message: `fault proxy answered ${mode.status}`});
				res.writeHead(mode.status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(text)});
				res.end(text);
				return;
			}
			case 'hang':
				return;
			case 'drop':
				req.socket.destroy();
				return;
			case 'pass':
			case 'trickle':
			case 'wrong-readback':
				break;
			default: {
				const _never: never = mode;
				return _never;
			}
		}
		const answer = await forward(req, body);
		if (mode.kind === 'pass') {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
			return;
		}
		let bytes = await readAll(answer);
		const headers = {...answer.headers};
		if (mode.kind === 'wrong-readback' && method === 'GET') {
			try {
				bytes = Buffer.from(JSON.stringify(rewritePercent(JSON.parse(bytes.toString('utf8')), mode.percent)));
			} catch {
				// Not JSON: pass it on as it came.
			}
		}
		headers['content-length'] = String(bytes.length);
		delete headers['transfer-encoding'];
		res.writeHead(answer.statusCode ?? 502, headers);
		if (mode.kind === 'trickle') trickle(res, bytes, mode.everyMs ?? 1000);
		else res.end(bytes);
	};

	const server = http.createServer((req, res) => {
		handle(req, res).catch(() => {
			if (!res.headersSent) res.writeHead(502, {'content-type': 'application/json'});
			res.end(JSON.stringify({error: 'bad_gateway'}));
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const {port} = server.address() as AddressInfo;

	const matches = (r: ProxiedRequest, pathPrefix: string, method?: string): boolean =>
		r.path.startsWith(pathPrefix) && (method === undefined || r.method === method.toUpperCase());
	return {
		url: `http://127.0.0.1:${port}`,
		setMode(pathPrefix, mode, method = '*') {
			modes.set(`${method.toUpperCase()} ${pathPrefix}`, mode);
		},
		reset() {
			modes.clear();
		},
		count: (pathPrefix = '/', method) => log.filter((r) => matches(r, pathPrefix, method)).length,
		requests: () => [...log],
		close() {
			closed = true;
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			agent.destroy();
			return new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}
