/**
 * Per-variant windows against a real local server that names its version in a
 * header: V1, V2 and unknown each get their own window beside the aggregate, with
 * the latency buckets the judge reads; the warm-up is left out; memory is bounded.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {bucketTotal} from '../source/core/judge/buckets.js';
import {
	createHistogram,
	decodeHistogram,
	destroyHistogram,
	encodeHistogram,
	histogramBuckets,
	histogramBytes,
	recordMicros,
	variantSlots,
} from '../probes/histograms.js';
import {httpServer, probe, runFor} from './probe-helpers.js';

type Server = Awaited<ReturnType<typeof httpServer>>;
let server: Server;
let served = 0;

beforeAll(async () => {
	// Every 5th request is V2 and answers after 150 ms (V1 after 5 ms); every 10th names no version at all.
	server = await httpServer((_req, res) => {
		const n = served++;
		const variant = n % 10 === 9 ? undefined : n % 5 === 0 ? 'V2' : ' v1 ';
		if (variant !== undefined) res.setHeader('x-served-by', variant);
		setTimeout(() => res.end('ok'), variant === 'V2' ? 150 : 5);
	});
});
afterAll(async () => server.close());

describe('per-variant windows', () => {
	it('split the aggregate by the header, with buckets for V1 and V2 and nothing for unknown', async () => {
		const {snapshot} = await runFor(
			{baseUrl: `http://127.0.0.1:${server.port}`, probes: [probe({ratePerSec: 100, variantHeader: 'X-Served-By'})], variantWarmupMs: 0},
			2500,
		);
		const w = snapshot.windows['1m'];
		const v = w.variants!;
		expect(v.v1!.requests + v.v2!.requests + v.unknown!.requests).toBe(w.requests);
		// A loaded machine completes fewer requests than sent; every variant still shows up.
		expect(v.v2!.requests).toBeGreaterThan(0);
		expect(v.unknown!.requests).toBeGreaterThan(0);
		expect(bucketTotal(v.v1!.buckets!)).toBe(v.v1!.requests);
		expect(bucketTotal(v.v2!.buckets!)).toBe(v.v2!.requests);
		expect(v.unknown!.buckets).toBeUndefined();
		// The server's delay is a floor whatever the machine's load: every V2 sample is ≥ 150 ms.
		expect(v.v2!.buckets!.valuesMicros[0]).toBeGreaterThanOrEqual(148_000);
		expect(v.v1!.errorRate).toBe(0);
		expect(snapshot.windows['5m'].variants!.v2!.requests).toBe(v.v2!.requests);
		// Three variants seen: 2 windows × (variantSlots + 1) histograms each, on top of the aggregate.
		const variantBytes = 3 * 2 * (variantSlots + 1) * histogramBytes();
		const plain = await runFor({baseUrl: `http://127.0.0.1:${server.port}`, probes: [probe({ratePerSec: 20})]}, 200);
		expect(snapshot.memoryBytes - plain.snapshot.memoryBytes).toBe(variantBytes);
		expect(plain.snapshot.windows['1m'].variants).toBeUndefined();
	});

	it('leave out the warm-up: nothing per variant before it ends', async () => {
		const {snapshot} = await runFor(
			{baseUrl: `http://127.0.0.1:${server.port}`, probes: [probe({ratePerSec: 50, variantHeader: 'x-served-by'})], variantWarmupMs: 60_000},
			600,
		);
		expect(snapshot.windows['1m'].requests).toBeGreaterThan(10);
		expect(snapshot.windows['1m'].variants).toBeUndefined();
	});

	it('buckets and the compressed base64 encoding keep every count', () => {
		const h = createHistogram();
		const values = [1, 2, 2, 255, 256, 257, 999, 1000, 50_000, 50_100, 60_000, 1_000_000];
		for (const v of values) recordMicros(h, v);
		const b = histogramBuckets(h);
		expect(bucketTotal(b)).toBe(values.length);
		const again = histogramBuckets(decodeHistogram(encodeHistogram(h)));
		expect(again).toEqual(b);
		// 2 significant digits: every value lands within 1 % of its bucket's median value.
		for (const v of values) expect(b.valuesMicros.some((m) => Math.abs(m - v) <= Math.max(1, v * 0.01))).toBe(true);
		destroyHistogram(h);
	});
});
