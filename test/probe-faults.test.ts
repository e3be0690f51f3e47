/**
 * Every fault a probe can meet is a counted error sample of the right kind, stays in the
 * denominator, and never crashes the engine. Real sockets on 127.0.0.1 only.
 */
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import https from 'node:https';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import type {ErrorKind} from '../source/core/measurements.js';
import {closeServer, closedPort, httpServer, listen, probe, rawServer, runFor} from './probe-helpers.js';

type Closer = {close(): Promise<void>};
const servers: Closer[] = [];
afterAll(async () => {
	await Promise.all(servers.map((s) => s.close()));
});

async function keep<T extends Closer>(server: Promise<T>): Promise<T> {
	const s = await server;
	servers.push(s);
	return s;
}

/** Every sample is an error of `kind`; at least `min` samples. */
function expectAll(
	totals: {requests: number; errors: number; errorRate: number; errorCounts: Partial<Record<ErrorKind, number>>},
	kind: ErrorKind,
	min = 1,
): void {
	expect(totals.requests).toBeGreaterThanOrEqual(min);
	expect(totals.errorCounts[kind]).toBe(totals.requests);
	expect(totals.errors).toBe(totals.requests);
	expect(totals.errorRate).toBe(1);
}

describe('transport faults', () => {
	it('connection refused on a closed port', async () => {
		const port = await closedPort();
		const {totals, snapshot} = await runFor({baseUrl: `http://127.0.0.1:${port}`, probes: [probe()]}, 400);
		expectAll(totals, 'connect_refused', 3);
		expect(snapshot.lastError).toMatch(/connect_refused: ECONNREFUSED/);
		// The window holds the same samples: errors stay in the denominator, latency is recorded.
		expect(snapshot.windows['1m'].errorRate).toBe(1);
		expect(snapshot.windows['1m'].latencyMs.p50).toBeGreaterThan(0);
	});

	it('connection reset when the server destroys the socket', async () => {
		const s = await keep(rawServer((socket) => socket.once('data', () => socket.resetAndDestroy())));
		const {totals} = await runFor({baseUrl: `http://127.0.0.1:${s.port}`, probes: [probe()]}, 400);
		expectAll(totals, 'connect_reset', 3);
	});

	it('DNS failure on a .invalid host', async () => {
		const {totals} = await runFor({baseUrl: 'http://golive-probe-test.invalid', probes: [probe({ratePerSec: 10})]}, 500);
		expectAll(totals, 'dns', 1);
	});

	it('TLS error: https to a plain-HTTP port', async () => {
		const s = await keep(httpServer((_req, res) => res.end('plain')));
		const {totals} = await runFor({baseUrl: `https://127.0.0.1:${s.port}`, probes: [probe()]}, 400);
		expectAll(totals, 'tls', 3);
	});

	it('connect timeout: a TLS handshake that never completes', async () => {
		// The server accepts TCP but never speaks TLS: undici's connect phase includes the handshake.
		const s = await keep(rawServer(() => {}));
		const {totals} = await runFor({baseUrl: `https://127.0.0.1:${s.port}`, probes: [probe({timeoutMs: 300})]}, 700);
		expectAll(totals, 'connect_timeout', 1);
	});

	it('headers timeout: the server never answers', async () => {
		const s = await keep(rawServer(() => {}));
		const started = performance.now();
		const {totals} = await runFor({baseUrl: `http://127.0.0.1:${s.port}`, probes: [probe({timeoutMs: 250})]}, 700);
		expectAll(totals, 'headers_timeout', 3);
		// Timed out at the deadline (sweep granularity 10 ms), not at undici's backstop.
		expect(totals.latencyMs.p50).toBeGreaterThanOrEqual(250);
		expect(totals.latencyMs.p50).toBeLessThan(600);
		expect(performance.now() - started).toBeLessThan(3000);
	});

	it('headers timeout: the server stalls in the middle of the headers', async () => {
		const s = await keep(rawServer((socket) => socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\nContent-Ty'))));
		const {totals} = await runFor({baseUrl: `http://127.0.0.1:${s.port}`, probes: [probe({timeoutMs: 250})]}, 600);
		expectAll(totals, 'headers_timeout', 2);
	});

	it('total timeout: a slowloris body trickled 1 byte / 20 ms never beats the deadline', async () => {
		const timers = new Set<NodeJS.Timeout>();
		const s = await keep(
			rawServer((socket) =>
				socket.once('data', () => {
					socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n');
					const t = setInterval(() => (socket.destroyed ? clearInterval(t) : socket.write('x')), 20);
					timers.add(t);
					socket.once('close', () => clearInterval(t));
				}),
			),
		);
		const {totals} = await runFor({baseUrl: `http://127.0.0.1:${s.port}`, probes: [probe({timeoutMs: 300})]}, 700);
		for (const t of timers) clearInterval(t);
		// undici's bodyTimeout alone would never fire: a byte arrives every 20 ms.
		expectAll(totals, 'total_timeout', 3);
		expect(totals.latencyMs.max).toBeLessThan(700);
	});

	it('non-HTTP garbage reply', async () => {
		const s = await keep(rawServer((socket) => socket.once('data', () => socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n'))));
		const {totals} = await runFor({baseUrl: `http://127.0.0.1:${s.port}`, probes: [probe()]}, 400);
		expectAll(totals, 'bad_response', 3);
	});

	it('self-signed certificate is a TLS error unless --insecure', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'golive-tls-'));
		try {
			execFileSync(
				'openssl',
				[
					'req',
					'-x509',
					'-newkey',
					'ec',
					'-pkeyopt',
					'ec_paramgen_curve:prime256v1',
					'-nodes',
					'-keyout',
					join(dir, 'k.pem'),
					'-out',
					join(dir, 'c.pem'),
					'-days',
					'1',
					'-subj',
					'/CN=127.0.0.1',
				],
				{stdio: 'ignore'},
			);
		} catch {
			rmSync(dir, {recursive: true, force: true});
			return; // no openssl: the https-to-http case above still covers TLS.
		}
		const sockets = new Set<{destroy(): void}>();
		const server = https.createServer({key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem'))}, (_req, res) => res.end('ok'));
		server.on('connection', (s) => {
			sockets.add(s);
			s.on('close', () => sockets.delete(s));
		});
		const port = await listen(server);
		servers.push({close: () => closeServer(server, sockets)});
		rmSync(dir, {recursive: true, force: true});
		const strict = await runFor({baseUrl: `https://127.0.0.1:${port}`, probes: [probe()]}, 400);
		expectAll(strict.totals, 'tls', 3);
		const insecure = await runFor({baseUrl: `https://127.0.0.1:${port}`, probes: [probe()], insecure: true}, 400);
		expect(insecure.totals.statusCounts['200']).toBeGreaterThanOrEqual(3);
		expect(insecure.totals.errors).toBe(0);
	});
});

describe('response faults', () => {
	it('5xx and 4xx are errors; the body is consumed and the connection reused', async () => {
		let connections = 0;
		const s = await keep(
			httpServer((req, res) => {
				res.statusCode = req.url === '/five' ? 503 : 404;
				res.end('x'.repeat(10_000));
			}),
		);
		s.server.on('connection', () => connections++);
		const five = await runFor({baseUrl: `http://127.0.0.1:${s.port}`, probes: [probe({path: '/five', ratePerSec: 50})]}, 500);
		expectAll(five.totals, 'http_5xx', 10);
		expect(five.totals.statusCounts['503']).toBe(five.totals.requests);
		const four = await runFor({baseUrl: `http://127.0.0.1:${s.port}`, probes: [probe({path: '/four', ratePerSec: 50})]}, 500);
		expectAll(four.totals, 'http_4xx', 10);
		// Bodies drained: keep-alive sockets were reused, not one per request.
		expect(connections).toBeLessThan(five.totals.requests);
	});

	it('oversize body (Content-Length above the cap)', async () => {
		const s = await keep(httpServer((_req, res) => res.end(Buffer.alloc(64 * 1024, 120))));
		const {totals} = await runFor({baseUrl: `http://127.0.0.1:${s.port}`, probes: [probe({maxResponseBytes: 1024})]}, 400);
		expectAll(totals, 'body_too_large', 3);
	});

	it('a 1 GiB streamed body is cut at maxResponseBytes and memory stays bounded', async () => {
		let written = 0;
		// Chunked: no Content-Length shortcut, the byte count while reading must catch it.
		const payload = Buffer.alloc(64 * 1024, 97);
		const chunk = Buffer.concat([Buffer.from(`${payload.length.toString(16)}\r\n`), payload, Buffer.from('\r\n')]);
		const s = await keep(
			rawServer((socket) =>
				socket.once('data', () => {
					socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
					const pump = (): void => {
						while (!socket.destroyed && written < 1024 ** 3) {
							written += payload.length;
							if (!socket.write(chunk)) {
								socket.once('drain', pump);
								return;
							}
						}
					};
					pump();
				}),
			),
		);
		const rssBefore = process.memoryUsage().rss;
		const {totals} = await runFor({baseUrl: `http://127.0.0.1:${s.port}`, probes: [probe({ratePerSec: 4, maxResponseBytes: 1_048_576, timeoutMs: 3000})]}, 600);
		expect(totals.requests).toBeGreaterThanOrEqual(1);
		expect(totals.errorCounts.body_too_large).toBe(totals.requests);
		expect(written).toBeLessThan(200 * 1024 * 1024);
		expect(process.memoryUsage().rss - rssBefore).toBeLessThan(150 * 1024 * 1024);
	});

	it('429 pauses the probe for Retry-After, capped', async () => {
		const hits: number[] = [];
		const t0 = performance.now();
		const s = await keep(
			httpServer((_req, res) => {
				hits.push(performance.now() - t0);
				if (hits.length === 1) {
					res.writeHead(429, {'retry-after': '60'});
					res.end('slow down');
				} else res.end('ok');
			}),
		);
		// 50 req/s for 900 ms would be ~45 requests; Retry-After 60 s capped at 400 ms leaves ~25.
		const {totals} = await runFor({baseUrl: `http://127.0.0.1:${s.port}`, probes: [probe({ratePerSec: 50})], retryAfterCapMs: 400}, 900);
		expect(totals.errorCounts.http_429).toBe(1);
		expect(totals.statusCounts['429']).toBe(1);
		expect(hits.length).toBeGreaterThan(5);
		expect(hits.length).toBeLessThan(35);
		// Nothing was sent during the pause.
		const second = hits[1]!;
		expect(second - hits[0]!).toBeGreaterThanOrEqual(380);
		// A paused slot is not owed later: no burst when the pause ends.
		expect(totals.scheduler.dropped).toBe(0);
	});
});
