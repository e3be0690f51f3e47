/**
 * PutMetricData and ListMetrics on the CloudWatch-compatible endpoint, driven by the real
 * `@aws-sdk/client-cloudwatch`: distributions as Values/Counts, statistic sets, storage
 * resolution, percentiles as CloudWatch documents them, and CloudWatch's refusals.
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CloudWatchClient, GetMetricDataCommand, ListMetricsCommand, PutMetricDataCommand} from '@aws-sdk/client-cloudwatch';
import type {MetricDatum} from '@aws-sdk/client-cloudwatch';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startCloudWatchServer} from '../source/demo/cloudwatch-server.js';
import type {CloudWatchServer} from '../source/demo/cloudwatch-server.js';

const scratch = mkdtempSync(join(tmpdir(), 'golive-cw-put-'));
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_CONFIG_FILE = join(scratch, 'no-config');
process.env.AWS_SHARED_CREDENTIALS_FILE = join(scratch, 'no-credentials');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const t0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const ns = 'golive/test';
let server: CloudWatchServer;
let client: CloudWatchClient;

beforeAll(async () => {
	server = await startCloudWatchServer({now: () => t0 + 120_000});
	client = new CloudWatchClient({
		region: 'us-east-1',
		endpoint: server.url,
		credentials: {accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret'},
		maxAttempts: 1,
	});
});

afterAll(async () => {
	client?.destroy();
	await server?.close();
});

const dims = (name: string) => [{Name: 'Probe', Value: name}];
const put = (data: MetricDatum[]) => client.send(new PutMetricDataCommand({Namespace: ns, MetricData: data}));

async function stat(metric: string, name: string, s: string, periodSec = 60, start = t0, end = t0 + 120_000): Promise<Array<[number, number]>> {
	const out = await client.send(
		new GetMetricDataCommand({
			MetricDataQueries: [{Id: 'q', MetricStat: {Metric: {Namespace: ns, MetricName: metric, Dimensions: dims(name)}, Period: periodSec, Stat: s}}],
			StartTime: new Date(start),
			EndTime: new Date(end),
			ScanBy: 'TimestampAscending',
		}),
	);
	const r = out.MetricDataResults![0]!;
	return (r.Timestamps ?? []).map((t, k) => [t.getTime(), r.Values![k]!]);
}

/** The refusal as the SDK reports it: `code` is CloudWatch's query error code (x-amzn-query-error). */
async function refusal(data: MetricDatum[], namespace = ns): Promise<{name: string; code: unknown; status: number | undefined; message: string}> {
	try {
		await client.send(new PutMetricDataCommand({Namespace: namespace, MetricData: data}));
	} catch (error) {
		const e = error as {name: string; Code?: unknown; message: string; $metadata?: {httpStatusCode?: number}};
		return {name: e.name, code: e.Code, status: e.$metadata?.httpStatusCode, message: e.message};
	}
	throw new Error('PutMetricData was accepted');
}

describe('PutMetricData', () => {
	it('Values/Counts: percentiles over the count-weighted values, merged across data and publishers', async () => {
		const at = new Date(t0 + 1000);
		// Two "agents" publish to one metric: 50×10, 30×20 and 20×30 in all.
		await put([{MetricName: 'Latency', Dimensions: dims('a'), Timestamp: at, Values: [10, 20], Counts: [50, 10], StorageResolution: 1}]);
		await put([{MetricName: 'Latency', Dimensions: dims('a'), Timestamp: at, Values: [20, 30], Counts: [20, 20], StorageResolution: 1}]);
		expect(await stat('Latency', 'a', 'p50')).toEqual([[t0, 10]]);
		expect(await stat('Latency', 'a', 'p51')).toEqual([[t0, 20]]);
		expect(await stat('Latency', 'a', 'p80')).toEqual([[t0, 20]]);
		expect(await stat('Latency', 'a', 'p95')).toEqual([[t0, 30]]);
		expect(await stat('Latency', 'a', 'SampleCount')).toEqual([[t0, 100]]);
		expect(await stat('Latency', 'a', 'Sum')).toEqual([[t0, 50 * 10 + 30 * 20 + 20 * 30]]);
		expect(await stat('Latency', 'a', 'Average')).toEqual([[t0, 17]]);
		// Values without Counts: each occurred once.
		await put([{MetricName: 'Latency', Dimensions: dims('b'), Timestamp: at, Values: [3, 1, 2], StorageResolution: 1}]);
		expect(await stat('Latency', 'b', 'p50')).toEqual([[t0, 2]]);
	});

	it('statistic sets: Average from Sum/SampleCount; a percentile only when SampleCount is 1 or Min = Max', async () => {
		const at = new Date(t0 + 2000);
		await put([
			{
				MetricName: 'Latency',
				Dimensions: dims('set'),
				Timestamp: at,
				StatisticValues: {SampleCount: 4, Sum: 40, Minimum: 5, Maximum: 20},
				StorageResolution: 1,
			},
		]);
		expect(await stat('Latency', 'set', 'Average')).toEqual([[t0, 10]]);
		expect(await stat('Latency', 'set', 'Maximum')).toEqual([[t0, 20]]);
		expect(await stat('Latency', 'set', 'p50')).toEqual([]);
		await put([
			{
				MetricName: 'Latency',
				Dimensions: dims('flat'),
				Timestamp: at,
				StatisticValues: {SampleCount: 4, Sum: 28, Minimum: 7, Maximum: 7},
				StorageResolution: 1,
			},
		]);
		expect(await stat('Latency', 'flat', 'p99')).toEqual([[t0, 7]]);
	});

	it('no percentile over negative values (CloudWatch: not available)', async () => {
		await put([{MetricName: 'Delta', Dimensions: dims('neg'), Timestamp: new Date(t0 + 3000), Values: [-1, 2], StorageResolution: 1}]);
		expect(await stat('Delta', 'neg', 'p50')).toEqual([]);
		expect(await stat('Delta', 'neg', 'Minimum')).toEqual([[t0, -1]]);
	});

	it('StorageResolution 1 keeps the second; 60 (the default) lands on its minute', async () => {
		await put([{MetricName: 'Res', Dimensions: dims('hi'), Timestamp: new Date(t0 + 61_500), Value: 1, StorageResolution: 1}]);
		await put([{MetricName: 'Res', Dimensions: dims('lo'), Timestamp: new Date(t0 + 61_500), Value: 1}]);
		expect(await stat('Res', 'hi', 'SampleCount', 1)).toEqual([[t0 + 61_000, 1]]);
		expect(await stat('Res', 'lo', 'SampleCount', 1)).toEqual([[t0 + 60_000, 1]]);
	});

	it("refuses what CloudWatch refuses, with CloudWatch's codes, and stores nothing of a refused call", async () => {
		const at = new Date(t0 + 4000);
		const ok = {MetricName: 'Refused', Dimensions: dims('r'), Timestamp: at, Value: 1};
		expect(await refusal([ok, {...ok, Value: Number.NaN}])).toMatchObject({
			code: 'InvalidParameterValue',
			status: 400,
			message: 'The value NaN for parameter MetricData.member.2.Value is invalid.',
		});
		expect(await refusal([{...ok, Value: Number.POSITIVE_INFINITY}])).toMatchObject({code: 'InvalidParameterValue', status: 400});
		expect(await refusal([{...ok, Value: undefined, Values: [1, Number.NEGATIVE_INFINITY], Counts: [1, 1]}])).toMatchObject({code: 'InvalidParameterValue'});
		const values = Array.from({length: 151}, (_, k) => k + 1);
		expect(await refusal([{...ok, Value: undefined, Values: values, Counts: values.map(() => 1)}])).toMatchObject({
			code: 'InvalidParameterValue',
			message: 'The collection MetricData.member.1.Values must not have a size greater than 150.',
		});
		expect(await refusal(Array.from({length: 1001}, () => ok))).toMatchObject({
			code: 'InvalidParameterValue',
			message: 'The collection MetricData must not have a size greater than 1000.',
		});
		expect(await refusal([{...ok, Value: undefined, Values: [1, 2], Counts: [1]}])).toMatchObject({code: 'InvalidParameterValue'});
		expect(await refusal([{MetricName: 'Refused', Dimensions: dims('r'), Timestamp: at}])).toMatchObject({code: 'InvalidParameterCombination'});
		expect(await refusal([{...ok, StatisticValues: {SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1}}])).toMatchObject({code: 'InvalidParameterCombination'});
		expect(await refusal([{...ok, StorageResolution: 5}])).toMatchObject({code: 'InvalidParameterValue'});
		expect(await refusal([ok], 'AWS/EC2')).toMatchObject({code: 'InvalidParameterValue'});
		// 1000 data of 150 values each is well over 1 MB (sent gzip-compressed by the SDK; the limit is on the body).
		const big = Array.from({length: 1000}, (_, k) => ({
			...ok,
			Dimensions: [{Name: 'Probe', Value: `big-${k}`}],
			Value: undefined,
			Values: Array.from({length: 150}, (_, v) => v + k / 1000 + 0.123456789),
			Counts: Array.from({length: 150}, () => 3),
		}));
		expect(await refusal(big)).toMatchObject({code: 'RequestEntityTooLarge', status: 413});
		expect(await stat('Refused', 'r', 'SampleCount')).toEqual([]);
	});
});

describe('ListMetrics', () => {
	it('lists by namespace, name and dimension name (any value), recently active', async () => {
		const at = new Date(t0 + 5000);
		await put([
			{
				MetricName: 'Agents',
				Dimensions: [
					{Name: 'Service', Value: 'S'},
					{Name: 'Location', Value: 'eu'},
				],
				Timestamp: at,
				Value: 1,
				StorageResolution: 1,
			},
			{
				MetricName: 'Agents',
				Dimensions: [
					{Name: 'Service', Value: 'S'},
					{Name: 'Location', Value: 'us'},
				],
				Timestamp: at,
				Value: 1,
				StorageResolution: 1,
			},
			{
				MetricName: 'Agents',
				Dimensions: [
					{Name: 'Service', Value: 'T'},
					{Name: 'Location', Value: 'ap'},
				],
				Timestamp: at,
				Value: 1,
				StorageResolution: 1,
			},
		]);
		const out = await client.send(
			new ListMetricsCommand({Namespace: ns, MetricName: 'Agents', Dimensions: [{Name: 'Service', Value: 'S'}, {Name: 'Location'}], RecentlyActive: 'PT3H'}),
		);
		expect(out.Metrics?.map((m) => m.Dimensions?.find((d) => d.Name === 'Location')?.Value)).toEqual(['eu', 'us']);
	});
});
