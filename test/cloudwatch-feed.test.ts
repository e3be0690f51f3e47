/**
 * The demo feed: service traffic becomes API Gateway metrics and alarm states
 * on the CloudWatch-compatible endpoint, read back through golive's source
 * (real SDK client, loopback only).
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createCloudWatchSource} from '../probes/cloudwatch.js';
import type {AlarmView} from '../source/core/measurements.js';
import type {CloudWatchPlan} from '../source/core/plan-types.js';
import {connectDemoMetrics, demoAlarmNames} from '../source/demo/cloudwatch-feed.js';
import type {FeedableService} from '../source/demo/cloudwatch-feed.js';
import {startCloudWatchServer} from '../source/demo/cloudwatch-server.js';
import type {CloudWatchServer} from '../source/demo/cloudwatch-server.js';
import {startDemoService} from '../source/demo/service.js';

const scratch = mkdtempSync(join(tmpdir(), 'golive-cw-feed-'));
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_CONFIG_FILE = join(scratch, 'no-config');
process.env.AWS_SHARED_CREDENTIALS_FILE = join(scratch, 'no-credentials');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const env = {AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_REGION: 'us-east-1'};

type Listener = Parameters<FeedableService['onRequest']>[0];

/** The feed's view of a service, driven by hand so the traffic mix is exact. */
function scriptedService(scenario: string) {
	const listeners = new Set<Listener>();
	const state = {percent: 0};
	const service: FeedableService = {
		scenario,
		flag: () => ({name: 'STATUS_BOARD_V2_ENABLED', rolloutPercent: state.percent}),
		onRequest(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
	};
	const serve = (at: number, status: number, latencyMs: number) => {
		for (const l of listeners) l({at, route: 'board', method: 'GET', status, latencyMs, variant: 'v2'});
	};
	return {service, state, serve, listeners};
}

let server: CloudWatchServer;
let clock = Date.UTC(2026, 10, 23, 9, 40, 0);
const now = () => clock;

function plan(url: string): CloudWatchPlan {
	return {
		region: 'us-east-1',
		endpoint: url,
		pollIntervalMs: 1000,
		metrics: [
			{id: 'api_p95', label: 'p95', namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: {ApiName: 'statusboard'}, stat: 'p95', periodSec: 10},
			{id: 'api_5xx', label: '5xx', namespace: 'AWS/ApiGateway', metricName: '5XXError', dimensions: {ApiName: 'statusboard'}, stat: 'Sum', periodSec: 10},
			{id: 'api_4xx', label: '4xx', namespace: 'AWS/ApiGateway', metricName: '4XXError', dimensions: {ApiName: 'statusboard'}, stat: 'Sum', periodSec: 10},
			{
				id: 'api_count',
				label: 'count',
				namespace: 'AWS/ApiGateway',
				metricName: 'Count',
				dimensions: {ApiName: 'statusboard'},
				stat: 'SampleCount',
				periodSec: 10,
			},
		],
		alarms: {prefix: 'statusboard-'},
		maxAgeMs: 30_000,
	};
}

function stateOf(alarms: AlarmView[], name: string): AlarmView | undefined {
	return alarms.find((a) => a.name === name);
}

beforeAll(async () => {
	server = await startCloudWatchServer({now});
});

afterAll(async () => {
	await server?.close();
});

describe('connectDemoMetrics', () => {
	it('starts INSUFFICIENT_DATA, turns OK with healthy traffic, and ALARM when 5xx passes 5 %; metrics read back exactly', async () => {
		const {service, serve, listeners} = scriptedService('regression');
		let tick = (): void => undefined;
		const disconnect = connectDemoMetrics(service, server, {
			now,
			setRepeating: (fn) => {
				tick = fn;
				return () => undefined;
			},
		});
		const source = createCloudWatchSource(plan(server.url), {now, env});
		try {
			let snap = await source.poll();
			expect(stateOf(snap.alarms, demoAlarmNames.errorRate)?.state).toBe('INSUFFICIENT_DATA');
			expect(stateOf(snap.alarms, demoAlarmNames.latency)?.state).toBe('INSUFFICIENT_DATA');
			expect(stateOf(snap.alarms, demoAlarmNames.dynamoThrottles)?.state).toBe('OK');

			// Healthy: 100 requests, 1 × 500, latencies 10..109 ms.
			const base = Math.floor(clock / 10_000) * 10_000 + 10_000;
			clock = base + 5000;
			for (let k = 0; k < 100; k++) serve(base + k * 40, k === 0 ? 500 : k === 1 ? 404 : 200, 10 + k);
			tick();
			snap = await source.poll();
			expect(snap.state.kind).toBe('ok');
			expect(stateOf(snap.alarms, demoAlarmNames.errorRate)).toMatchObject({state: 'OK'});
			expect(stateOf(snap.alarms, demoAlarmNames.latency)).toMatchObject({state: 'OK'});
			const values = Object.fromEntries(snap.metrics.map((m) => [m.id, m.value]));
			expect(values).toEqual({api_p95: 104, api_5xx: 1, api_4xx: 1, api_count: 100});
			expect(snap.metrics[0]?.timestamp).toBe(base);

			// Regression-like: the next 100 requests, 12 % 5xx and 2.5 s latencies.
			clock = base + 9000;
			for (let k = 0; k < 100; k++) serve(base + 5000 + k * 30, k % 25 < 3 ? 503 : 200, k < 10 ? 100 : 2500);
			tick();
			snap = await source.poll();
			const errorAlarm = stateOf(snap.alarms, demoAlarmNames.errorRate);
			expect(errorAlarm?.state).toBe('ALARM');
			expect(errorAlarm?.reason).toContain('6.5 % (13 of 200)');
			expect(errorAlarm?.updatedAt).toBe(clock);
			expect(stateOf(snap.alarms, demoAlarmNames.latency)?.state).toBe('ALARM');
			expect(snap.metrics.find((m) => m.id === 'api_5xx')?.value).toBe(13);
		} finally {
			disconnect();
			source.close();
		}
		expect(listeners.size).toBe(0);
	});

	it('one or two stray 500s in thin traffic do not raise the 5xx alarm; a third does', () => {
		const {service, serve} = scriptedService('healthy');
		const set: {name: string; state: string}[] = [];
		let tick = (): void => undefined;
		const disconnect = connectDemoMetrics(
			service,
			{putSample: () => undefined, setAlarm: (a) => set.push(a)},
			{
				now,
				setRepeating: (fn) => {
					tick = fn;
					return () => undefined;
				},
			},
		);
		const errorStates = () => set.filter((a) => a.name === demoAlarmNames.errorRate).map((a) => a.state);
		for (let k = 0; k < 20; k++) serve(clock - 5000 + k, k < 2 ? 500 : 200, 20);
		tick();
		expect(errorStates()).toEqual(['INSUFFICIENT_DATA', 'OK']);
		serve(clock - 1000, 502, 20);
		tick();
		expect(errorStates()).toEqual(['INSUFFICIENT_DATA', 'OK', 'ALARM']);
		clock += 20_000;
		tick();
		expect(errorStates()).toEqual(['INSUFFICIENT_DATA', 'OK', 'ALARM', 'INSUFFICIENT_DATA']);
		disconnect();
	});

	it('the alarm scenario flips the DynamoDB alarm at 30 %, on its own timer, with a reason that names it', async () => {
		const {service, state} = scriptedService('alarm');
		const fresh = await startCloudWatchServer();
		const disconnect = connectDemoMetrics(service, fresh, {alarmIntervalMs: 50});
		const source = createCloudWatchSource(plan(fresh.url), {now: Date.now, env});
		const waitFor = async (want: string): Promise<AlarmView | undefined> => {
			const deadline = Date.now() + 3000;
			for (;;) {
				const snap = await source.poll();
				const alarm = stateOf(snap.alarms, demoAlarmNames.dynamoThrottles);
				if (alarm?.state === want || Date.now() > deadline) return alarm;
				await new Promise((r) => setTimeout(r, 50));
			}
		};
		try {
			state.percent = 10;
			await new Promise((r) => setTimeout(r, 150));
			expect((await waitFor('OK'))?.state).toBe('OK');
			state.percent = 30;
			const alarm = await waitFor('ALARM');
			expect(alarm?.state).toBe('ALARM');
			expect(alarm?.reason).toMatch(/DynamoDB.*ThrottledRequests.*30 % rollout/);
			state.percent = 0;
			expect((await waitFor('OK'))?.state).toBe('OK');
		} finally {
			disconnect();
			source.close();
			await fresh.close();
		}
	});

	it('with the real demo service (alarm scenario, 30 %): its requests are counted and the DynamoDB alarm fires', async () => {
		const fresh = await startCloudWatchServer();
		const service = await startDemoService({scenario: 'alarm', initialPercent: 30, latencyScale: 0.05});
		const disconnect = connectDemoMetrics(service, fresh, {alarmIntervalMs: 50});
		const source = createCloudWatchSource(plan(fresh.url), {now: Date.now, env});
		try {
			// The 20 requests must land in one 10 s period: sent across a boundary, the newest datapoint held 3 of them (seen once in a full run).
			const intoPeriod = Date.now() % 10_000;
			if (intoPeriod > 7000) await new Promise((r) => setTimeout(r, 10_050 - intoPeriod));
			for (let k = 0; k < 20; k++) {
				const res = await fetch(`${service.url}/api/admin/dashboard/stats`);
				await res.arrayBuffer();
			}
			await new Promise((r) => setTimeout(r, 150));
			const snap = await source.poll();
			expect(snap.state.kind).toBe('ok');
			expect(snap.metrics.find((m) => m.id === 'api_count')?.value).toBeGreaterThanOrEqual(20);
			expect(stateOf(snap.alarms, demoAlarmNames.dynamoThrottles)?.state).toBe('ALARM');
			expect(stateOf(snap.alarms, demoAlarmNames.errorRate)?.state).not.toBe('ALARM');
		} finally {
			disconnect();
			source.close();
			await Promise.all([service.close(), fresh.close()]);
		}
	});
});
