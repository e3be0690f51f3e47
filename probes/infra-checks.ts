/**
 * One-shot infrastructure checks for Gates A and B (the StatusBoardV2 run sheet's
 * `production-launch.sh validate`): DNS resolves, TLS certificate valid long
 * enough, health endpoint answers 200. Each returns a verdict and never throws.
 *
 * pass / fail / no_data, per check:
 * - DNS: NXDOMAIN / no address → `fail` (the name really does not resolve);
 *   a resolver timeout or SERVFAIL-like temporary error → `no_data` (we could not ask).
 * - TLS: a bad, self-signed, expired, wrong-host or soon-expiring certificate → `fail`;
 *   no handshake at all (refused, timeout, reset) → `no_data`: we never saw a
 *   certificate, and reachability is the health check's verdict.
 * - Health: anything but 200 → `fail`, including refused, reset and timeout: the
 *   endpoint itself is what is measured, and one that does not answer is unhealthy.
 */
import {lookup} from 'node:dns/promises';
import {isIP} from 'node:net';
import {connect} from 'node:tls';
import type {PeerCertificate} from 'node:tls';
import {Agent, request} from 'undici';
import {sanitize} from '../source/core/sanitize.js';

type InfraCheckStatus = 'pass' | 'fail' | 'no_data';
export type InfraCheckResult = {status: InfraCheckStatus; detail: string};

const dayMs = 86_400_000;

/** `example.com`, `example.com:8443` or `https://example.com:8443/x` → host and port (when given). */
export function parseHostTarget(target: string): {host: string; port: number | undefined; protocol: string | undefined} {
	if (target.includes('://')) {
		try {
			const url = new URL(target);
			const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
			const defaultPort = url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : undefined;
			return {host, port: url.port === '' ? defaultPort : Number(url.port), protocol: url.protocol};
		} catch {
			return {host: target, port: undefined, protocol: undefined};
		}
	}
	const match = /^([^:[\]]+|\[[^\]]+\]):(\d+)$/.exec(target);
	if (match) return {host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port: Number(match[2]), protocol: undefined};
	return {host: target, port: undefined, protocol: undefined};
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T | 'timeout'> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<'timeout'>((resolve) => {
		timer = setTimeout(() => resolve('timeout'), timeoutMs);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export type DnsCheckOptions = {
	/** @default 5000 */
	timeoutMs?: number;
};

/** Resolves `host` (a hostname or a URL) with the system resolver, as the service's clients would. */
export async function checkDns(host: string, options: DnsCheckOptions = {}): Promise<InfraCheckResult> {
	const timeoutMs = options.timeoutMs ?? 5000;
	const name = parseHostTarget(host).host;
	if (name === '') return {status: 'fail', detail: 'no host name given'};
	if (isIP(name) !== 0) return {status: 'pass', detail: `${name} is an IP address (nothing to resolve)`};
	try {
		// getaddrinfo cannot be cancelled; the race only stops us waiting for it.
		const result = await withTimeout(lookup(name, {all: true}), timeoutMs);
		if (result === 'timeout') return {status: 'no_data', detail: `DNS lookup of ${name} timed out after ${timeoutMs} ms`};
		if (result.length === 0) return {status: 'fail', detail: `${name} resolves to no address`};
		const addresses = result.map((a) => a.address);
		const shown = addresses.slice(0, 3).join(', ') + (addresses.length > 3 ? `, +${addresses.length - 3}` : '');
		return {status: 'pass', detail: `${name} → ${shown}`};
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? 'ERROR';
		if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'EAI_NONAME' || code === 'EAI_NODATA') {
			return {status: 'fail', detail: `${name} does not resolve (${code})`};
		}
		return {status: 'no_data', detail: `DNS lookup of ${name} failed: ${sanitize((error as Error).message, 200)}`};
	}
}

export type TlsCheckOptions = {
	/** Fewer days left than this fails. @default 30 */
	minDays?: number;
	/** @default 5000 */
	timeoutMs?: number;
	/** Epoch-ms clock for "days left". @default Date.now */
	now?: () => number;
	/** Extra trusted CA (PEM), e.g. a test's own certificate. The system store is used otherwise. */
	ca?: string | Buffer;
};

/**
 * Handshakes with `host:port` (SNI = host) and judges the peer certificate: chain
 * and host name verified, and at least `minDays` left before `valid_to`.
 */
export function checkTls(host: string, port: number, options: TlsCheckOptions = {}): Promise<InfraCheckResult> {
	const minDays = options.minDays ?? 30;
	const timeoutMs = options.timeoutMs ?? 5000;
	const now = options.now ?? Date.now;
	const target = parseHostTarget(host);
	const name = target.host;
	return new Promise((resolve) => {
		let settled = false;
		const finish = (result: InfraCheckResult): void => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			socket.destroy();
			resolve(result);
		};
		// rejectUnauthorized false so a bad certificate is still read and the reason reported, not just "error".
		const socket = connect({
			host: name,
			port,
			servername: isIP(name) === 0 ? name : undefined,
			rejectUnauthorized: false,
			ca: options.ca,
		});
		const timer = setTimeout(() => finish({status: 'no_data', detail: `TLS handshake with ${name}:${port} timed out after ${timeoutMs} ms`}), timeoutMs);
		socket.once('secureConnect', () => {
			const cert: PeerCertificate = socket.getPeerCertificate();
			if (!cert || Object.keys(cert).length === 0) {
				finish({status: 'fail', detail: `${name}:${port} presented no certificate`});
				return;
			}
			const validTo = Date.parse(cert.valid_to);
			const validFrom = Date.parse(cert.valid_from);
			const until = Number.isFinite(validTo) ? new Date(validTo).toISOString().slice(0, 10) : sanitize(cert.valid_to, 40);
			const daysLeft = (validTo - now()) / dayMs;
			if (!socket.authorized) {
				const reason = sanitize(String(socket.authorizationError ?? 'not trusted'), 120);
				finish({status: 'fail', detail: `certificate for ${name} not trusted: ${reason} (valid until ${until})`});
				return;
			}
			if (!Number.isFinite(daysLeft)) {
				finish({status: 'fail', detail: `certificate for ${name} has an unreadable expiry date (${sanitize(cert.valid_to, 40)})`});
				return;
			}
			if (Number.isFinite(validFrom) && validFrom > now()) {
				finish({status: 'fail', detail: `certificate for ${name} is not valid before ${new Date(validFrom).toISOString().slice(0, 10)}`});
				return;
			}
			const days = Math.floor(daysLeft);
			if (!(daysLeft >= minDays)) {
				const expired = daysLeft < 0 ? `expired ${Math.floor(-daysLeft)} days ago` : `expires in ${days} days`;
				finish({status: 'fail', detail: `certificate for ${name} ${expired} (${until}), need ≥ ${minDays} days`});
				return;
			}
			finish({status: 'pass', detail: `certificate for ${name} valid until ${until} (${days} days left, need ≥ ${minDays})`});
		});
		socket.once('error', (error: NodeJS.ErrnoException) => {
			const code = error.code ?? 'ERROR';
			finish({status: 'no_data', detail: `no TLS handshake with ${name}:${port} (${code}): ${sanitize(error.message, 160)}`});
		});
	});
}

export type HealthCheckOptions = {
	/** Total deadline: connect, headers and body. @default 5000 */
	timeoutMs?: number;
	/** Headers, already resolved (secrets stay out of the result). */
	headers?: Record<string, string>;
	/** Trusted CA for https (tests). */
	ca?: string | Buffer;
};

/** GETs `url`; 200 passes, anything else (status, refused, timeout) fails. */
export async function checkHealth(url: string, options: HealthCheckOptions = {}): Promise<InfraCheckResult> {
	const timeoutMs = options.timeoutMs ?? 5000;
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return {status: 'fail', detail: `not a URL: ${sanitize(url, 120)}`};
	}
	// Shown without query or credentials: either may carry a token.
	const shown = sanitize(`${parsed.origin}${parsed.pathname}`, 160);
	const agent = new Agent({connect: {timeout: timeoutMs, ca: options.ca}, headersTimeout: timeoutMs, bodyTimeout: timeoutMs});
	const started = performance.now();
	try {
		const response = await request(parsed, {
			method: 'GET',
			headers: options.headers,
			dispatcher: agent,
			signal: AbortSignal.timeout(timeoutMs),
		});
		// Read at most a little of the body: it is only there to be drained.
		let size = 0;
		for await (const chunk of response.body) {
			size += (chunk as Buffer).length;
			if (size > 65_536) break;
		}
		response.body.destroy();
		const ms = Math.round(performance.now() - started);
		if (response.statusCode === 200) return {status: 'pass', detail: `GET ${shown} → 200 in ${ms} ms`};
		return {status: 'fail', detail: `GET ${shown} → ${response.statusCode} in ${ms} ms (expected 200)`};
	} catch (error) {
		const err = error as NodeJS.ErrnoException & {name?: string};
		const ms = Math.round(performance.now() - started);
		const why =
			err.name === 'TimeoutError' || err.name === 'AbortError' || err.code === 'UND_ERR_CONNECT_TIMEOUT' || err.code === 'UND_ERR_HEADERS_TIMEOUT'
				? `no answer within ${timeoutMs} ms`
				: `${err.code ?? err.name ?? 'error'}: ${sanitize(err.message, 160)}`;
		return {status: 'fail', detail: `GET ${shown} failed after ${ms} ms (${why})`};
	} finally {
		await agent.destroy().catch(() => undefined);
	}
}
