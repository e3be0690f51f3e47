/**
 * The CloudWatch-compatible endpoint, driven by the real `@aws-sdk/client-cloudwatch`
 * over loopback: if the SDK can parse it, golive's source can too.
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand} from '@aws-sdk/client-cloudwatch';
import type {MetricDataQuery, MetricDataResult} from '@aws-sdk/client-cloudwatch';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {computeStat, startCloudWatchServer} from '../source/demo/cloudwatch-server.js';
import type {CloudWatchServer} from '../source/demo/cloudwatch-server.js';

const scratch = mkdtempSync(join(tmpdir(), 'golive-cw-server-'));
// Nothing from this machine's AWS setup may leak in, and nothing may reach IMDS.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_CONFIG_FILE = join(scratch, 'no-config');
process.env.AWS_SHARED_CREDENTIALS_FILE = join(scratch, 'no-credentials');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const t0 = Date.UTC(2026, 10, 23, 9, 0, 0);
let server: CloudWatchServer;
let paged: CloudWatchServer;
let client: CloudWatchClient;
let pagedClient: CloudWatchClient;

function clientFor(url: string): CloudWatchClient {
	return new CloudWatchClient({region: 'us-east-1', endpoint: url, credentials: {accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret'}, maxAttempts: 1});
}

const dims = {ApiName: 'statusboard'};
function latencyQuery(id: string, stat: string, period = 60): MetricDataQuery {
	return {
		Id: id,
		MetricStat: {
			Metric: {Namespace: 'AWS/ApiGateway', MetricName: 'Latency', Dimensions: [{Name: 'ApiName', Value: 'statusboard'}]},
			Period: period,
			Stat: stat,
		},
	};
}

beforeAll(async () => {
	server = await startCloudWatchServer({now: () => t0 + 120_000});
	paged = await startCloudWatchServer({pageSize: 3, now: () => t0 + 120_000});
	client = clientFor(server.url);
	pagedClient = clientFor(paged.url);
	// 1..100 ms in the first minute, 1000 ms ×10 in the second.
	for (let v = 1; v <= 100; v++) server.putSample('AWS/ApiGateway', 'Latency', dims, v, t0 + v * 100);
	for (let k = 0; k < 10; k++) server.putSample('AWS/ApiGateway', 'Latency', dims, 1000, t0 + 60_000 + k * 1000);
	for (let k = 0; k < 8; k++) {
		server.putSample('AWS/ApiGateway', 'Count', dims, 1, t0 + k * 1000);
		server.putSample('AWS/ApiGateway', '5XXError', dims, k < 2 ? 1 : 0, t0 + k * 1000);
	}
});

afterAll(async () => {
	client?.destroy();
	pagedClient?.destroy();
	await Promise.all([server?.close(), paged?.close()]);
});

async function get(queries: MetricDataQuery[], c = client, extra: {NextToken?: string; ScanBy?: 'TimestampAscending'} = {}) {
	return c.send(new GetMetricDataCommand({MetricDataQueries: queries, StartTime: new Date(t0), EndTime: new Date(t0 + 120_000), ...extra}));
}

function byId(results: MetricDataResult[] | undefined, id: string): MetricDataResult {
	const r = results?.find((x) => x.Id === id);
	if (!r) throw new Error(`no result ${id}`);
	return r;
}

describe('GetMetricData', () => {
	it('computes statistics per period, percentiles included, newest period first', async () => {
		const out = await get([
			latencyQuery('p95', 'p95'),
			latencyQuery('p99', 'p99'),
			latencyQuery('avg', 'Average'),
			latencyQuery('n', 'SampleCount'),
			latencyQuery('mx', 'Maximum'),
			latencyQuery('mn', 'Minimum'),
			latencyQuery('sum', 'Sum'),
		]);
		const p95 = byId(out.MetricDataResults, 'p95');
		expect(p95.StatusCode).toBe('Complete');
		expect(p95.Timestamps?.map((d) => d.getTime())).toEqual([t0 + 60_000, t0]);
		expect(p95.Values).toEqual([1000, 95]);
		expect(byId(out.MetricDataResults, 'p99').Values).toEqual([1000, 99]);
		expect(byId(out.MetricDataResults, 'avg').Values).toEqual([1000, 50.5]);
		expect(byId(out.MetricDataResults, 'n').Values).toEqual([10, 100]);
		expect(byId(out.MetricDataResults, 'mx').Values).toEqual([1000, 100]);
		expect(byId(out.MetricDataResults, 'mn').Values).toEqual([1000, 1]);
		expect(byId(out.MetricDataResults, 'sum').Values).toEqual([10_000, 5050]);
		expect(byId(out.MetricDataResults, 'p95').Label).toBe('Latency');
	});

	it('ascending scan order and fractional percentiles', async () => {
		const out = await get([latencyQuery('p', 'p99.9')], client, {ScanBy: 'TimestampAscending'});
		expect(byId(out.MetricDataResults, 'p').Values).toEqual([100, 1000]);
		expect(computeStat('p50', [4, 1, 3, 2])).toBe(2);
	});

	it('evaluates a/b*100, SUM([...]) and hides ReturnData=false queries', async () => {
		const count = {
			Id: 'c',
			ReturnData: false,
			MetricStat: {Metric: {Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: [{Name: 'ApiName', Value: 'statusboard'}]}, Period: 60, Stat: 'Sum'},
		};
		const errors = {
			Id: 'e',
			ReturnData: false,
			MetricStat: {
				Metric: {Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions: [{Name: 'ApiName', Value: 'statusboard'}]},
				Period: 60,
				Stat: 'Sum',
			},
		};
		const out = await get([
			count,
			errors,
			{Id: 'rate', Expression: 'e/c*100', Label: 'error %'},
			{Id: 'total', Expression: 'SUM([c, e])'},
			{Id: 'scalar', Expression: 'AVG(c) + 1', Period: 60},
		]);
		expect(out.MetricDataResults?.map((r) => r.Id).sort()).toEqual(['rate', 'scalar', 'total']);
		expect(byId(out.MetricDataResults, 'rate').Values).toEqual([25]);
		expect(byId(out.MetricDataResults, 'rate').Label).toBe('error %');
		expect(byId(out.MetricDataResults, 'total').Values).toEqual([10]);
		expect(byId(out.MetricDataResults, 'scalar').Values).toEqual([9]);
	});

	it('refuses unsupported expressions and unknown ids with a ValidationError', async () => {
		await expect(get([{Id: 'x', Expression: 'ANOMALY_DETECTION_BAND(m1)'}])).rejects.toMatchObject({name: 'ValidationException', Code: 'ValidationError'});
		await expect(get([{Id: 'x', Expression: 'nope * 2'}])).rejects.toMatchObject({name: 'ValidationException', Code: 'ValidationError'});
	});

	it('refuses more than 500 queries, as CloudWatch does', async () => {
		const queries = Array.from({length: 501}, (_, k) => latencyQuery(`q${k}`, 'Average'));
		await expect(get(queries)).rejects.toMatchObject({name: 'ValidationException', Code: 'ValidationError', $metadata: {httpStatusCode: 400}});
		const ok = await get(queries.slice(0, 500));
		expect(ok.MetricDataResults).toHaveLength(500);
	});

	it('pages by NextToken at the configured size, PartialData until the last page', async () => {
		for (let k = 0; k < 5; k++) paged.putSample('App', 'Hits', {}, k + 1, t0 + k * 10_000);
		for (let k = 0; k < 2; k++) paged.putSample('App', 'Misses', {}, 7, t0 + k * 10_000);
		const queries: MetricDataQuery[] = [
			{Id: 'hits', MetricStat: {Metric: {Namespace: 'App', MetricName: 'Hits'}, Period: 10, Stat: 'Sum'}},
			{Id: 'misses', MetricStat: {Metric: {Namespace: 'App', MetricName: 'Misses'}, Period: 10, Stat: 'Sum'}},
		];
		const values = new Map<string, number[]>();
		const statuses: string[] = [];
		let token: string | undefined;
		let pages = 0;
		do {
			const out = await get(queries, pagedClient, token ? {NextToken: token} : {});
			for (const r of out.MetricDataResults ?? []) values.set(r.Id!, [...(values.get(r.Id!) ?? []), ...(r.Values ?? [])]);
			statuses.push(`${byId(out.MetricDataResults, 'hits').StatusCode}/${byId(out.MetricDataResults, 'misses').StatusCode}`);
			token = out.NextToken;
			pages++;
		} while (token && pages < 10);
		expect(pages).toBe(3);
		expect(statuses).toEqual(['PartialData/PartialData', 'Complete/PartialData', 'Complete/Complete']);
		expect(values.get('hits')).toEqual([5, 4, 3, 2, 1]);
		expect(values.get('misses')).toEqual([7, 7]);
		await expect(get(queries, pagedClient, {NextToken: 'bogus'})).rejects.toMatchObject({name: 'InvalidNextToken'});
	});
});

describe('DescribeAlarms', () => {
	it('filters by prefix, names and state, pages by NextToken', async () => {
		for (const name of ['api-a', 'api-b', 'api-c', 'api-d', 'other'])
			paged.setAlarm({name, state: name === 'api-c' ? 'ALARM' : 'OK', reason: `reason ${name}`, description: `about ${name}`});
		const names: string[] = [];
		let token: string | undefined;
		let pages = 0;
		do {
			const out = await pagedClient.send(new DescribeAlarmsCommand({AlarmNamePrefix: 'api-', ...(token ? {NextToken: token} : {})}));
			names.push(...(out.MetricAlarms ?? []).map((a) => a.AlarmName!));
			token = out.NextToken;
			pages++;
		} while (token && pages < 10);
		expect(pages).toBe(2);
		expect(names).toEqual(['api-a', 'api-b', 'api-c', 'api-d']);

		const byName = await pagedClient.send(new DescribeAlarmsCommand({AlarmNames: ['other', 'api-c', 'missing']}));
		const c = byName.MetricAlarms?.find((a) => a.AlarmName === 'api-c');
		expect(byName.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['api-c', 'other']);
		expect(c).toMatchObject({StateValue: 'ALARM', StateReason: 'reason api-c', AlarmDescription: 'about api-c'});
		expect(c?.StateUpdatedTimestamp?.getTime()).toBe(t0 + 120_000);

		const alarming = await pagedClient.send(new DescribeAlarmsCommand({StateValue: 'ALARM'}));
		expect(alarming.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['api-c']);
		await expect(pagedClient.send(new DescribeAlarmsCommand({AlarmNames: ['x'], AlarmNamePrefix: 'y'}))).rejects.toMatchObject({
			name: 'InvalidParameterCombinationException',
			Code: 'InvalidParameterCombination',
		});
	});
});

describe('faults and call counts', () => {
	it('fails the next calls with the injected error, named as the SDK names it', async () => {
		const before = server.calls('DescribeAlarms');
		const cases = [
			['Throttling', 400],
			['AccessDenied', 403],
			['ExpiredToken', 400],
			['InternalFailure', 500],
		] as const;
		for (const [fault, status] of cases) {
			server.injectFault(fault);
			await expect(client.send(new DescribeAlarmsCommand({}))).rejects.toMatchObject({name: fault, $metadata: {httpStatusCode: status}});
		}
		server.injectFault('Throttling', 2);
		await expect(get([latencyQuery('a', 'Average')])).rejects.toMatchObject({name: 'Throttling'});
		await expect(client.send(new DescribeAlarmsCommand({}))).rejects.toMatchObject({name: 'Throttling'});
		await expect(client.send(new DescribeAlarmsCommand({}))).resolves.toBeDefined();
		expect(server.calls('DescribeAlarms') - before).toBe(cases.length + 2);
		expect(server.calls()).toBe(server.calls('DescribeAlarms') + server.calls('GetMetricData'));
	});

	it('drops raw samples older than the retention window', async () => {
		let clock = t0;
		const short = await startCloudWatchServer({now: () => clock, retentionMs: 60_000});
		const c = clientFor(short.url);
		try {
			short.putSample('App', 'X', {}, 1, t0);
			clock = t0 + 90_000;
			short.putSample('App', 'X', {}, 2, t0 + 90_000);
			const out = await c.send(
				new GetMetricDataCommand({
					MetricDataQueries: [{Id: 'x', MetricStat: {Metric: {Namespace: 'App', MetricName: 'X'}, Period: 60, Stat: 'SampleCount'}}],
					StartTime: new Date(t0),
					EndTime: new Date(t0 + 120_000),
				}),
			);
			expect(byId(out.MetricDataResults, 'x').Values).toEqual([1]);
		} finally {
			c.destroy();
			await short.close();
		}
	});
});
