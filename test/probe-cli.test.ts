/**
 * `golive probe URL` as a user runs it: human table and histogram, one JSON object with
 * `--json`, exit 2 with a clear message on a bad URL or flag, 130 with the partial result
 * when interrupted.
 */
import type {AddressInfo, Server} from 'node:net';
import {Writable} from 'node:stream';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFastServer} from '../bench/fast-server.js';
import {runProbeCommand} from '../source/commands/probe.js';
import {closedPort} from './probe-helpers.js';

function capture(): {stream: Writable; text(): string} {
	const chunks: string[] = [];
	const stream = new Writable({
		write(chunk: Buffer, _enc, cb) {
			chunks.push(chunk.toString());
			cb();
		},
	});
	return {stream, text: () => chunks.join('')};
}

async function run(args: string[], signal?: AbortSignal): Promise<{code: number; out: string; err: string}> {
	const out = capture();
	const err = capture();
	const code = await runProbeCommand(args, {stdout: out.stream, stderr: err.stream, env: {GOLIVE_CLI_TOKEN: 'tok-123456'}, signal});
	return {code, out: out.text(), err: err.text()};
}

let server: Server;
let url: string;
beforeAll(async () => {
	server = await startFastServer({kind: 'fast'});
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/admin/appointments/board`;
});
afterAll(async () => {
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('golive probe', () => {
	it('--json prints one object with the contract fields', async () => {
		const {code, out, err} = await run([url, '--rate', '100', '--duration', '0.6', '--json', '--header', 'Authorization: Bearer ${GOLIVE_CLI_TOKEN}']);
		expect(err).toBe('');
		expect(code).toBe(0);
		expect(out.trim().split('\n')).toHaveLength(1);
		const r = JSON.parse(out) as Record<string, unknown> & {latencyMs: Record<string, number>; statusCounts: Record<string, number>};
		expect(r['requests']).toBeGreaterThanOrEqual(45);
		expect(r['requests']).toBeLessThanOrEqual(62);
		expect(r['rps']).toBeGreaterThan(60);
		expect(r['rps']).toBeLessThan(110);
		for (const k of ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean']) expect(r.latencyMs[k]).toBeGreaterThan(0);
		expect(r.latencyMs['p50']).toBeLessThanOrEqual(r.latencyMs['p99']!);
		expect(r.statusCounts['200']).toBe(r['requests']);
		expect(r['errors']).toBe(0);
		expect(r['mode']).toBe('open');
		expect(r['scheduler']).toMatchObject({dropped: 0});
		expect(out).not.toContain('tok-123456');
	});

	it('prints a percentile table and a text histogram', async () => {
		const {code, out} = await run([url, '--connections', '2', '--duration', '0.4']);
		expect(code).toBe(0);
		expect(out).toContain('closed loop, 2 connections');
		for (const row of ['p50', 'p90', 'p95', 'p99', 'p99.9', 'max', 'mean'])
			expect(out).toMatch(new RegExp(`^  ${row.replace('.', '\\.')}\\s+\\d+\\.\\d+$`, 'm'));
		expect(out).toContain('histogram');
		expect(out).toMatch(/≤ [\d.]+ ms\s+█+ \d+/);
		expect(out).toMatch(/status\s+200: \d+/);
	});

	it('a dead target is reported, not thrown: errors counted, exit 3', async () => {
		const port = await closedPort();
		const {code, out} = await run([`http://127.0.0.1:${port}/`, '--rate', '20', '--duration', '0.3', '--json']);
		expect(code).toBe(3);
		const r = JSON.parse(out) as {requests: number; errors: number; errorCounts: Record<string, number>; latencyMs: Record<string, number | null>};
		expect(r.requests).toBeGreaterThan(0);
		expect(r.errors).toBe(r.requests);
		expect(r.errorCounts['connect_refused']).toBe(r.requests);
	});

	it('an empty run has null percentiles, never 0', async () => {
		const controller = new AbortController();
		controller.abort();
		const {code, out} = await run([url, '--rate', '1', '--duration', '5', '--json'], controller.signal);
		expect(code).toBe(130);
		const r = JSON.parse(out) as {interrupted: boolean; requests: number; errorRate: number | null; latencyMs: Record<string, number | null>};
		expect(r.interrupted).toBe(true);
		// Interrupted before the first reply: no data is null, not a perfect 0 ms.
		expect(r.requests).toBe(0);
		expect(r.errorRate).toBeNull();
		for (const k of ['p50', 'p99', 'max', 'mean']) expect(r.latencyMs[k]).toBeNull();
	});

	it('Ctrl-C ends early with the partial result and exit 130', async () => {
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 300);
		const started = performance.now();
		const {code, out} = await run([url, '--rate', '50', '--duration', '30', '--json'], controller.signal);
		expect(performance.now() - started).toBeLessThan(3000);
		expect(code).toBe(130);
		const r = JSON.parse(out) as {interrupted: boolean; requests: number};
		expect(r.interrupted).toBe(true);
		expect(r.requests).toBeGreaterThan(5);
	});

	it.each([
		[['not a url'], /not a URL/],
		[['ftp://example.com/'], /only http:\/\/ and https:\/\//],
		[[], /missing URL/],
		[['http://127.0.0.1:1/', '--rate', '0'], /--rate must be a positive number/],
		[['http://127.0.0.1:1/', '--rate', 'fast'], /--rate must be a positive number/],
		[['http://127.0.0.1:1/', '--connections', '2.5'], /--connections must be a positive integer/],
		[['http://127.0.0.1:1/', '--rate', '5', '--connections', '2'], /exclusive/],
		[['http://127.0.0.1:1/', '--method', 'BREW'], /--method must be one of/],
		[['http://127.0.0.1:1/', '--header', 'NoColon'], /--header must look like/],
		[['http://127.0.0.1:1/', '--bogus'], /Unknown option '--bogus'/],
		[['http://127.0.0.1:1/', '--duration', '1e9'], /at most 86400/],
		[['http://127.0.0.1:1/', '--header', 'X: ${GOLIVE_UNSET_VAR}'], /GOLIVE_UNSET_VAR/],
	])('usage error %j → exit 2', async (args, message) => {
		const {code, out, err} = await run(args);
		expect(code).toBe(2);
		expect(out).toBe('');
		expect(err).toMatch(message);
		expect(err).toContain("Try 'golive probe --help'.");
	});

	it('--help exits 0 and documents every flag', async () => {
		const {code, out} = await run(['--help']);
		expect(code).toBe(0);
		for (const flag of ['--rate', '--connections', '--duration', '--method', '--header', '--timeout', '--json']) expect(out).toContain(flag);
	});
});
