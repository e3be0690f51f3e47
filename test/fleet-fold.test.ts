/**
 * Folding one interval's latencies into at most 150 value/count pairs: the error it adds to
 * any percentile stays within the bound it states, Sum and SampleCount stay exact. And the
 * publisher: batches within CloudWatch's limits, retries what is transient, not what is not.
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {intervalData} from '../probes/fleet-agent.js';
import type {FleetDatum} from '../probes/fleet-publisher.js';
import {batchData, createFleetPublisher, putLimits} from '../probes/fleet-publisher.js';
import {LatencySketch, maxDistributionPairs} from '../probes/latency-sketch.js';
import {startCloudWatchServer} from '../source/demo/cloudwatch-server.js';
import type {CloudWatchServer} from '../source/demo/cloudwatch-server.js';

function nearestRank(values: number[], counts: number[], p: number): number {
	const total = counts.reduce((a, b) => a + b, 0);
	let cumulative = 0;
	for (let k = 0; k < values.length; k++) {
		cumulative += counts[k]!;
		if (cumulative >= (p / 100) * total * (1 - 1e-12)) return values[k]!;
	}
	return values.at(-1)!;
}

const percentiles = [1, 10, 50, 90, 95, 99, 99.9, 100];

describe('LatencySketch.fold', () => {
	it('at most 150 pairs; every percentile within the stated bound of the exact one; Sum and count exact', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.double({min: -3, max: 5, noNaN: true}), fc.integer({min: 1, max: 5})), {minLength: 1, maxLength: 3000}), (raw) => {
				// Log-uniform from 1 µs to 100 s, some values repeated.
				const samples = raw.flatMap(([e, n]) => Array.from({length: n}, () => 10 ** e));
				const sketch = new LatencySketch();
				for (const ms of samples) sketch.record(ms);
				const folded = sketch.fold()!;
				expect(folded.values.length).toBeLessThanOrEqual(maxDistributionPairs);
				expect(folded.counts.reduce((a, b) => a + b, 0)).toBe(samples.length);
				const sum = samples.reduce((a, b) => a + Math.max(b, 0.001), 0);
				expect(Math.abs(folded.values.reduce((a, v, k) => a + v * folded.counts[k]!, 0) - sum) / sum).toBeLessThan(1e-9);
				const sorted = [...samples].sort((a, b) => a - b);
				for (const p of percentiles) {
					const exact = Math.max(
						0.001,
						nearestRank(
							sorted,
							sorted.map(() => 1),
							p,
						),
					);
					const got = nearestRank(folded.values, folded.counts, p);
					expect(Math.abs(got / exact - 1) * 100).toBeLessThanOrEqual(folded.foldErrorPct + 1e-9);
				}
			}),
			{numRuns: 300},
		);
	});

	it('states 1 % when nothing had to merge, more when a wide spread forces merging (worst case 1 µs…120 s: 13.8 %)', () => {
		const narrow = new LatencySketch();
		for (let k = 0; k < 10_000; k++) narrow.record(40 + (k % 100) * 0.5);
		expect(narrow.fold()!.foldErrorPct).toBeCloseTo(1, 6);
		const wide = new LatencySketch();
		for (let ms = 0.001; ms <= 120_000; ms *= 1.001) wide.record(ms);
		const folded = wide.fold()!;
		expect(folded.values.length).toBeLessThanOrEqual(150);
		expect(folded.foldErrorPct).toBeGreaterThan(1);
		expect(folded.foldErrorPct).toBeLessThanOrEqual(13.81);
	});

	it('an empty interval folds to nothing (no Latency datum), its counts are still published as zeros', () => {
		const {data} = intervalData('S', 'eu', 0, [{probe: 'board', variant: 'all', sketch: new LatencySketch(), requests: 0, errors: 0, timeouts: 0}], true);
		expect(data.map((d) => d.metricName).sort()).toEqual(['Agents', 'Agents', 'Errors', 'Errors', 'Requests', 'Requests', 'Timeouts', 'Timeouts']);
		expect(data.filter((d) => d.metricName === 'Requests').every((d) => d.value === 0)).toBe(true);
		const partial = intervalData('S', 'eu', 0, [], false);
		expect(partial.data).toEqual([]);
	});
});

describe('batchData', () => {
	const datum = (k: number, values = 150): FleetDatum => ({
		metricName: 'Latency',
		dimensions: {Service: 'StatusBoardV2', Probe: `p${k}`, Variant: 'all', Location: 'eu-west-1'},
		timestampMs: 1_764_000_000_000,
		unit: 'Milliseconds',
		values: Array.from({length: values}, (_, v) => 12.345678901 + v),
		counts: Array.from({length: values}, () => 17),
	});
	it('cuts at 1000 data and below 1 MB, in order, losing nothing', () => {
		const small = Array.from({length: 2500}, (_, k) => ({...datum(k, 1)}));
		expect(batchData(small).map((b) => b.length)).toEqual([1000, 1000, 500]);
		const big = Array.from({length: 1500}, (_, k) => datum(k));
		const batches = batchData(big);
		for (const b of batches) expect(Buffer.byteLength(JSON.stringify({Namespace: 'golive/fleet', MetricData: b}))).toBeLessThan(putLimits.maxBytes);
		expect(batches.flat()).toEqual(big);
		expect(batches.length).toBeGreaterThan(2);
	});
});

describe('FleetPublisher against the endpoint', () => {
	const scratch = mkdtempSync(join(tmpdir(), 'golive-fleet-pub-'));
	const env = {
		AWS_ACCESS_KEY_ID: 'AKIDTEST',
		AWS_SECRET_ACCESS_KEY: 'test-secret',
		AWS_REGION: 'us-east-1',
		AWS_EC2_METADATA_DISABLED: 'true',
		AWS_CONFIG_FILE: join(scratch, 'none'),
		AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'none'),
	};
	let server: CloudWatchServer;
	beforeAll(async () => {
		server = await startCloudWatchServer();
	});
	afterAll(async () => server?.close());
	const one: FleetDatum = {metricName: 'Requests', dimensions: {Service: 'S'}, timestampMs: Date.now(), unit: 'Count', value: 3};

	it('retries throttling with backoff and says ok only after CloudWatch accepted', async () => {
		const sleeps: number[] = [];
		const publisher = createFleetPublisher({namespace: 'golive/t', endpoint: server.url, env, now: Date.now, sleep: async (ms) => void sleeps.push(ms)});
		server.injectFault('Throttling', 2);
		const before = server.calls('PutMetricData');
		const outcome = await publisher.publish([one]);
		expect(outcome).toMatchObject({accepted: 1, failed: 0, calls: 3, retries: 2, state: {kind: 'ok'}});
		expect(server.calls('PutMetricData') - before).toBe(3);
		expect(sleeps[1]!).toBeGreaterThan(sleeps[0]! * 0.6);
		expect(publisher.callsLastHour()).toBe(3);
		publisher.close();
	});

	it('gives up after maxAttempts, and never retries access denied', async () => {
		const publisher = createFleetPublisher({namespace: 'golive/t', endpoint: server.url, env, now: Date.now, maxAttempts: 3, sleep: async () => undefined});
		server.injectFault('InternalFailure', 3);
		expect(await publisher.publish([one])).toMatchObject({accepted: 0, failed: 1, calls: 3, state: {kind: 'degraded'}});
		server.injectFault('AccessDenied', 1);
		expect(await publisher.publish([one])).toMatchObject({accepted: 0, failed: 1, calls: 1, state: {kind: 'error', code: 'access_denied'}});
		publisher.close();
	});

	it('an unreachable endpoint is a state, not a throw', async () => {
		const publisher = createFleetPublisher({
			namespace: 'golive/t',
			endpoint: 'http://127.0.0.1:9',
			env,
			now: Date.now,
			maxAttempts: 2,
			timeoutMs: 500,
			sleep: async () => undefined,
		});
		expect(await publisher.publish([one])).toMatchObject({accepted: 0, failed: 1, state: {kind: 'error', code: 'unreachable'}});
		publisher.close();
	});
});
