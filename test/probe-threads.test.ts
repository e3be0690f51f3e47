/**
 * `golive probe --threads N`: connections or rate split over worker threads, and their
 * whole-run histograms merged exactly (the same percentiles as one histogram that saw every
 * request, not an average of the threads' percentiles). The CLI runs need `npm run build`
 * (a worker thread runs compiled JavaScript).
 */
import {Writable} from 'node:stream';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {encodeTotals, mergeThreadTotals} from '../probes/histogram-transfer.js';
import {decodeHistogram} from '../probes/histograms.js';
import {ProbeState} from '../probes/probe-state.js';
import type {RequestOutcome} from '../probes/http-client.js';
import {shareOf, splitOptions} from '../probes/threaded-engine.js';
import {runProbeCommand} from '../source/commands/probe.js';
import {httpServer, probe} from './probe-helpers.js';

const options = {windowsMs: {'1m': 60_000, '5m': 300_000}, slots: 6, origin: 0, keepTotals: true, maxLagMs: 10} as const;
const ok: RequestOutcome = {status: 200, error: null, errorMessage: null, retryAfter: undefined, variant: undefined, json: undefined, bytes: 3};
const failed: RequestOutcome = {...ok, status: 503};

describe('exact merge of thread totals', () => {
	it('gives the percentiles, counts and lag of one recorder that saw every sample', () => {
		const all = new ProbeState(probe(), options);
		const threads = [new ProbeState(probe(), options), new ProbeState(probe(), options)];
		// Thread 0 sees fast replies, thread 1 slow ones: averaging their p99s would be far off.
		for (let i = 0; i < 3000; i++) {
			const t = i % 3 === 0 ? 1 : 0;
			const micros = t === 1 ? 40_000 + i * 7 : 150 + (i % 97);
			const outcome = i % 101 === 0 ? failed : ok;
			for (const s of [all, threads[t]!]) {
				s.record(outcome, micros, 1000 + i);
				s.recordLag(i % 50, 1000 + i);
			}
		}
		const parts = threads.map((s) => ({totals: [s.totalsView(5000, 0)!], encoded: [encodeTotals(s)!]}));
		const [merged] = mergeThreadTotals(parts, 10);
		const expected = all.totalsView(5000, 0)!;
		expect(merged!.latencyMs).toEqual(expected.latencyMs);
		expect(merged!.requests).toBe(3000);
		expect(merged!.errors).toBe(expected.errors);
		expect(merged!.statusCounts).toEqual(expected.statusCounts);
		expect(merged!.errorCounts).toEqual(expected.errorCounts);
		expect(merged!.distribution).toEqual(expected.distribution);
		expect(merged!.scheduler.lagP99Ms).toBe(expected.scheduler.lagP99Ms);
		expect(merged!.lastSampleAt).toBe(expected.lastSampleAt);
		// The saved histogram (what `golive compare` reads back) is the merged one, not one thread's.
		const saved = decodeHistogram(merged!.histogram);
		expect(saved.totalCount).toBe(3000);
		expect(saved.getValueAtPercentile(99)).toBe(decodeHistogram(expected.histogram).getValueAtPercentile(99));
		for (const s of [all, ...threads]) s.destroy();
	});
});

describe('splitting a run over threads', () => {
	it('splits connections with nothing lost and rates evenly', () => {
		expect([0, 1, 2].map((i) => shareOf(10, 3, i))).toEqual([4, 3, 3]);
		const closed = splitOptions({baseUrl: 'http://127.0.0.1:1', probes: [probe({ratePerSec: 90})], mode: {kind: 'closed', connections: 10}}, 3);
		expect(closed.map((o) => (o.mode?.kind === 'closed' ? o.mode.connections : 0))).toEqual([4, 3, 3]);
		const open = splitOptions({baseUrl: 'http://127.0.0.1:1', probes: [probe({ratePerSec: 90})]}, 3);
		expect(open.map((o) => o.probes[0]!.ratePerSec)).toEqual([30, 30, 30]);
	});

	it('refuses more threads than connections, and a thread count out of range', () => {
		expect(() => splitOptions({baseUrl: 'http://127.0.0.1:1', probes: [probe()], mode: {kind: 'closed', connections: 2}}, 3)).toThrow(/at least 3 connections/);
		expect(() => splitOptions({baseUrl: 'http://127.0.0.1:1', probes: [probe()]}, 0)).toThrow(/integer from 1/);
	});
});

function capture(): {stream: Writable; text(): string} {
	const chunks: string[] = [];
	return {
		stream: new Writable({
			write(chunk: Buffer, _enc, cb) {
				chunks.push(chunk.toString());
				cb();
			},
		}),
		text: () => chunks.join(''),
	};
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{code: number; out: string; err: string}> {
	const out = capture();
	const err = capture();
	const code = await runProbeCommand(args, {stdout: out.stream, stderr: err.stream, env});
	return {code, out: out.text(), err: err.text()};
}

describe('golive probe --threads', () => {
	let served = 0;
	let server: Awaited<ReturnType<typeof httpServer>>;
	beforeAll(async () => {
		server = await httpServer((req, res) => {
			served++;
			res.setHeader('x-served-by', req.headers['x-token'] === 'tok-9' ? 'v2' : 'v1');
			res.end('ok');
		});
	});
	afterAll(() => server.close());

	it('counts every answered request once over 2 threads, closed loop', async () => {
		served = 0;
		const {code, out, err} = await run([`http://127.0.0.1:${server.port}/x`, '--connections', '4', '--threads', '2', '--duration', '0.8', '--json']);
		expect(err).toBe('');
		expect(code).toBe(0);
		const r = JSON.parse(out) as {threads: number; requests: number; statusCounts: Record<string, number>; latencyMs: {p50: number; p99: number}};
		expect(r.threads).toBe(2);
		expect(r.requests).toBeGreaterThan(0);
		expect(r.statusCounts['200']).toBe(r.requests);
		// Requests in flight at stop are answered but not recorded: at most one per connection.
		expect(r.requests).toBeLessThanOrEqual(served);
		expect(r.requests).toBeGreaterThanOrEqual(served - 4);
		expect(r.latencyMs.p50).toBeLessThanOrEqual(r.latencyMs.p99);
	});

	it('splits an open-model rate and keeps the total', async () => {
		const {code, out} = await run([`http://127.0.0.1:${server.port}/x`, '--rate', '200', '--threads', '2', '--duration', '1', '--json']);
		expect(code).toBe(0);
		const r = JSON.parse(out) as {requests: number; rate: number; durationS: number};
		expect(r.rate).toBe(200);
		// 2 × 100 req/s: never more than the rate allows over the longest thread's run (a loaded
		// machine can deliver 'stop' to a thread late, and send far fewer).
		expect(r.requests).toBeGreaterThan(0);
		expect(r.requests).toBeLessThanOrEqual(Math.ceil(200 * r.durationS) + 2);
	});

	it('names a missing header variable from a thread, exit 2', async () => {
		const {code, err} = await run([
			`http://127.0.0.1:${server.port}/x`,
			'--rate',
			'10',
			'--threads',
			'2',
			'--duration',
			'0.3',
			'--header',
			'X-Token: ${MISSING_TOKEN_VAR}',
		]);
		expect(code).toBe(2);
		expect(err).toContain('MISSING_TOKEN_VAR');
	});
});
