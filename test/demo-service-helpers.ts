/** Shared client helpers for the demo-service tests: real HTTP over loopback, bounded concurrency. */
import net from 'node:net';
import {request} from 'undici';

export type Reply = {status: number; servedBy: string | null; headers: Headers; body: unknown; bytes: number; latencyMs: number};

export type CallInit = {method?: string; headers?: Record<string, string>; body?: string};

/** undici `request` rather than fetch: much less client CPU, which shares the event loop with the server under test. */
export async function call(url: string, init: CallInit = {}): Promise<Reply> {
	const started = performance.now();
	const res = await request(url, {
		method: (init.method ?? 'GET') as 'GET',
		headers: init.headers,
		body: init.body,
		signal: AbortSignal.timeout(10_000),
	});
	const text = await res.body.text();
	const latencyMs = performance.now() - started;
	const headers = new Headers();
	for (const [name, value] of Object.entries(res.headers)) {
		if (typeof value === 'string') headers.set(name, value);
		else if (Array.isArray(value)) headers.set(name, value.join(', '));
	}
	let body: unknown = text;
	try {
		body = text === '' ? undefined : (JSON.parse(text) as unknown);
	} catch {
		// Keep the raw text: the assertion will show it.
	}
	return {status: res.statusCode, servedBy: headers.get('x-served-by'), headers, body, bytes: Buffer.byteLength(text), latencyMs};
}

export function jsonInit(method: string, body: unknown): CallInit {
	return {method, headers: {'content-type': 'application/json'}, body: typeof body === 'string' ? body : JSON.stringify(body)};
}

/** Runs `count` tasks with at most `concurrency` in flight; results in task order. */
export async function runBounded<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
	const results = new Array<T>(count);
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < count) {
			const index = next++;
			results[index] = await task(index);
		}
	};
	await Promise.all(Array.from({length: Math.min(concurrency, count)}, worker));
	return results;
}

export function percentile(values: number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length) - 1;
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? Number.NaN;
}

/** Writes raw bytes to the server and collects whatever comes back until it hangs up (bounded by `timeoutMs`). */
export function rawExchange(port: number, payload: string | Buffer, timeoutMs = 3000): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1');
		const chunks: Buffer[] = [];
		const timer = setTimeout(() => {
			socket.destroy();
			resolve(Buffer.concat(chunks).toString('utf8'));
		}, timeoutMs);
		socket.on('data', (chunk) => chunks.push(chunk));
		socket.on('error', (error) => {
			clearTimeout(timer);
			if (chunks.length > 0) resolve(Buffer.concat(chunks).toString('utf8'));
			else reject(error);
		});
		socket.on('close', () => {
			clearTimeout(timer);
			resolve(Buffer.concat(chunks).toString('utf8'));
		});
		socket.write(payload);
	});
}
