import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {createServer as createHttpServer, type Server as HttpServer} from 'node:http';
import {createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createServer as createTlsServer, type Server as TlsServer} from 'node:tls';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {checkDns, checkHealth, checkTls, parseHostTarget} from '../probes/infra-checks.js';

const dir = mkdtempSync(path.join(tmpdir(), 'golive-infra-'));
const dayMs = 86_400_000;

type Cert = {key: Buffer; cert: Buffer};

/** A self-signed certificate for localhost valid `days` days, made by the openssl CLI. */
function makeCert(days: number): Cert {
	const key = path.join(dir, `key-${days}.pem`);
	const cert = path.join(dir, `cert-${days}.pem`);
	execFileSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-days',
			String(days),
			'-subj',
			'/CN=localhost',
			'-addext',
			'subjectAltName=DNS:localhost,IP:127.0.0.1',
			'-keyout',
			key,
			'-out',
			cert,
		],
		{stdio: 'ignore', timeout: 20_000},
	);
	return {key: readFileSync(key), cert: readFileSync(cert)};
}

async function listen<T extends NetServer | HttpServer | TlsServer>(server: T): Promise<{server: T; port: number}> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {server, port: (server.address() as AddressInfo).port};
}

const servers: Array<NetServer | HttpServer | TlsServer> = [];
const sockets = new Set<Socket>();
let cert10: Cert;
let cert90: Cert;
let tls10Port = 0;
let tls90Port = 0;
let silentPort = 0;
let httpPort = 0;
let closedPort = 0;

beforeAll(async () => {
	cert10 = makeCert(10);
	cert90 = makeCert(90);
	const tls10 = await listen(createTlsServer({key: cert10.key, cert: cert10.cert}, (s) => s.end()));
	const tls90 = await listen(createTlsServer({key: cert90.key, cert: cert90.cert}, (s) => s.end()));
	// Accepts TCP and never speaks: a handshake that never completes.
	const silent = await listen(
		createNetServer((s) => {
			sockets.add(s);
			s.on('close', () => sockets.delete(s));
		}),
	);
	const http = await listen(
		createHttpServer((req, res) => {
			const url = new URL(req.url ?? '/', 'http://x');
			if (url.pathname === '/health') {
				res.writeHead(200, {'content-type': 'application/json'}).end('{"status":"healthy"}');
			} else if (url.pathname === '/down') {
				res.writeHead(503).end('maintenance');
			} else if (url.pathname === '/slow') {
				setTimeout(() => res.writeHead(200).end('late'), 2000).unref();
			} else {
				res.writeHead(404).end();
			}
		}),
	);
	const closed = await listen(createNetServer());
	closedPort = closed.port;
	await new Promise((resolve) => closed.server.close(resolve));
	servers.push(tls10.server, tls90.server, silent.server, http.server);
	tls10Port = tls10.port;
	tls90Port = tls90.port;
	silentPort = silent.port;
	httpPort = http.port;
});

afterAll(async () => {
	for (const s of sockets) s.destroy();
	for (const server of servers) {
		(server as HttpServer).closeAllConnections?.();
		await new Promise((resolve) => server.close(resolve));
	}
	rmSync(dir, {recursive: true, force: true});
});

describe('checkDns', () => {
	test('localhost resolves → pass', async () => {
		const result = await checkDns('localhost', {timeoutMs: 3000});
		expect(result.status).toBe('pass');
		expect(result.detail).toMatch(/^localhost → .*(127\.0\.0\.1|::1)/);
	});

	test('nonexistent.invalid does not resolve → fail naming the code', async () => {
		const result = await checkDns('nonexistent.invalid', {timeoutMs: 3000});
		expect(result).toEqual({status: 'fail', detail: 'nonexistent.invalid does not resolve (ENOTFOUND)'});
	});

	test('accepts a URL (the plan writes ${PROD_URL})', async () => {
		expect((await checkDns('https://localhost:8443/x', {timeoutMs: 3000})).status).toBe('pass');
		expect(parseHostTarget('https://example.com/api')).toEqual({host: 'example.com', port: 443, protocol: 'https:'});
		expect(parseHostTarget('example.com:8443')).toEqual({host: 'example.com', port: 8443, protocol: undefined});
		expect(parseHostTarget('http://[::1]:81')).toEqual({host: '::1', port: 81, protocol: 'http:'});
	});
});

describe('checkTls', () => {
	test('90 days left, trusted → pass with the days left', async () => {
		const result = await checkTls('localhost', tls90Port, {minDays: 30, timeoutMs: 3000, ca: cert90.cert});
		expect(result.status).toBe('pass');
		expect(result.detail).toMatch(/valid until \d{4}-\d{2}-\d{2} \((89|90) days left, need ≥ 30\)/);
	});

	test('10 days left → fail for minDays 30, pass for minDays 7', async () => {
		const result = await checkTls('localhost', tls10Port, {minDays: 30, timeoutMs: 3000, ca: cert10.cert});
		expect(result.status).toBe('fail');
		expect(result.detail).toMatch(/expires in (9|10) days .* need ≥ 30 days/);
		expect((await checkTls('localhost', tls10Port, {minDays: 7, timeoutMs: 3000, ca: cert10.cert})).status).toBe('pass');
	});

	test('the clock is injected: 91 days from now the 90-day certificate has expired', async () => {
		const now = (): number => Date.now() + 91 * dayMs;
		const result = await checkTls('localhost', tls90Port, {minDays: 30, timeoutMs: 3000, ca: cert90.cert, now});
		expect(result.status).toBe('fail');
		expect(result.detail).toMatch(/expired 1 days ago \(\d{4}-\d{2}-\d{2}\), need ≥ 30 days/);
	});

	test('self-signed (not trusted) → fail with the reason', async () => {
		const result = await checkTls('localhost', tls90Port, {minDays: 30, timeoutMs: 3000});
		expect(result.status).toBe('fail');
		expect(result.detail).toContain('not trusted: DEPTH_ZERO_SELF_SIGNED_CERT');
	});

	test('wrong host name → fail', async () => {
		const result = await checkTls('127.0.0.2', tls90Port, {minDays: 30, timeoutMs: 3000, ca: cert90.cert}).catch(() => null);
		// 127.0.0.2 is loopback on Linux; the certificate names localhost and 127.0.0.1 only.
		expect(result?.status === 'fail' || result?.status === 'no_data').toBe(true);
		if (result?.status === 'fail') expect(result.detail).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID|not trusted/);
	});

	test('refused → no_data; a silent server → no_data after the timeout', async () => {
		const refused = await checkTls('127.0.0.1', closedPort, {timeoutMs: 3000});
		expect(refused.status).toBe('no_data');
		expect(refused.detail).toContain('ECONNREFUSED');
		const started = Date.now();
		const silent = await checkTls('127.0.0.1', silentPort, {timeoutMs: 300});
		expect(silent).toEqual({status: 'no_data', detail: `TLS handshake with 127.0.0.1:${silentPort} timed out after 300 ms`});
		expect(Date.now() - started).toBeLessThan(2000);
	});
});

describe('checkHealth', () => {
	test('200 → pass with the measured time', async () => {
		const result = await checkHealth(`http://127.0.0.1:${httpPort}/health?token=abc`, {timeoutMs: 3000});
		expect(result.status).toBe('pass');
		expect(result.detail).toMatch(new RegExp(`^GET http://127\\.0\\.0\\.1:${httpPort}/health → 200 in \\d+ ms$`));
		// The query string may hold a token: never shown.
		expect(result.detail).not.toContain('abc');
	});

	test('503 and 404 → fail with the status', async () => {
		expect((await checkHealth(`http://127.0.0.1:${httpPort}/down`, {timeoutMs: 3000})).detail).toMatch(/→ 503 in \d+ ms \(expected 200\)/);
		expect((await checkHealth(`http://127.0.0.1:${httpPort}/nope`, {timeoutMs: 3000})).status).toBe('fail');
	});

	test('refused and too slow → fail, never a throw', async () => {
		const refused = await checkHealth(`http://127.0.0.1:${closedPort}/health`, {timeoutMs: 3000});
		expect(refused.status).toBe('fail');
		expect(refused.detail).toContain('ECONNREFUSED');
		const started = Date.now();
		const slow = await checkHealth(`http://127.0.0.1:${httpPort}/slow`, {timeoutMs: 300});
		expect(slow.status).toBe('fail');
		expect(slow.detail).toContain('no answer within 300 ms');
		expect(Date.now() - started).toBeLessThan(1500);
		expect((await checkHealth('not a url', {})).status).toBe('fail');
	});
});
