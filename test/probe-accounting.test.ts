/**
 * Every request sent is accounted for: `golive probe` against a server that
 * never answers, or trickles its body, reports each request as an error of its
 * class (never "0 requests"), and no percentile exceeds max.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFaultProxy, type FaultProxy} from './helpers/fault-proxy.js';
import {runCli} from './helpers/spawn-cli.js';

type ProbeJson = {
	requests: number;
	errors: number;
	errorCounts: Record<string, number>;
	statusCounts: Record<string, number>;
	latencyMs: Record<string, number | null>;
};

let upstream: http.Server;
let proxy: FaultProxy;

beforeAll(async () => {
	upstream = http.createServer((_req, res) => {
		res.writeHead(200, {'content-type': 'application/json'});
		res.end(JSON.stringify({status: 'ok', pad: 'x'.repeat(200)}));
	});
	await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
	proxy = await startFaultProxy(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
	proxy.setMode('/hang', {kind: 'hang'});
	proxy.setMode('/trickle', {kind: 'trickle', everyMs: 100});
});
afterAll(async () => {
	await proxy.close();
	upstream.closeAllConnections();
	await new Promise((resolve) => upstream.close(resolve));
});

async function probe(pathname: string, extra: string[]): Promise<ProbeJson> {
	const run = await runCli(['probe', `${proxy.url}${pathname}`, '--json', ...extra], {timeoutMs: 30_000});
	expect(run.stderr).not.toMatch(/^\s+at /m);
	expect([0, 3]).toContain(run.code);
	return JSON.parse(run.stdout) as ProbeJson;
}

function sum(counts: Record<string, number>): number {
	return Object.values(counts).reduce((a, b) => a + b, 0);
}

describe.concurrent('golive probe accounts for every request sent', () => {
	it('a server that never answers, timeout longer than the run: every request an error, none lost', {timeout: 40_000}, async () => {
		const before = proxy.count('/hang');
		const result = await probe('/hang', ['--rate', '20', '--duration', '2', '--timeout', '3000']);
		// 20/s for 2 s: about 40 sent; all of them in the result, all errors.
		expect(result.requests).toBeGreaterThanOrEqual(30);
		expect(result.errors).toBe(result.requests);
		expect(sum(result.errorCounts)).toBe(result.requests);
		// The proxy saw no more requests than golive reports (queued ones never reached it).
		expect(proxy.count('/hang') - before).toBeLessThanOrEqual(result.requests);
		expect(proxy.count('/hang') - before).toBeGreaterThan(0);
	});

	it('a server that trickles its body one byte per 100 ms: every request a body timeout', {timeout: 40_000}, async () => {
		const result = await probe('/trickle', ['--rate', '10', '--duration', '2', '--timeout', '1000']);
		expect(result.requests).toBeGreaterThanOrEqual(15);
		expect(result.errors).toBe(result.requests);
		expect(sum(result.errorCounts)).toBe(result.requests);
	});

	it('a healthy server: percentiles never above max', {timeout: 40_000}, async () => {
		const result = await probe('/ok', ['--rate', '50', '--duration', '2']);
		expect(result.requests).toBeGreaterThanOrEqual(60);
		expect(result.errors).toBe(0);
		const {max, p50, p90, p95, p99, p999} = result.latencyMs as Record<string, number>;
		for (const p of [p50, p90, p95, p99, p999]) expect(p).toBeLessThanOrEqual(max!);
	});
});
