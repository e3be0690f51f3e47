/**
 * golive's CloudWatch source and poller with the real SDK client against the
 * loopback CloudWatch-compatible endpoint: batching, pagination, alarms, and
 * every failure turned into a non-green SourceState.
 */
import {mkdtempSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {batchQueries} from '../probes/cloudwatch-batches.js';
import {classifyCloudWatchError} from '../probes/cloudwatch-errors.js';
import {backoffDelayMs, effectivePollIntervalMs, startCloudWatchPoller} from '../probes/cloudwatch-poller.js';
import {createCloudWatchSource, isLoopbackEndpoint} from '../probes/cloudwatch.js';
import type {CloudWatchSnapshot} from '../source/core/measurements.js';
import type {CloudWatchMetricQuery, CloudWatchPlan} from '../source/core/plan-types.js';
import {startCloudWatchServer} from '../source/demo/cloudwatch-server.js';
import type {CloudWatchServer} from '../source/demo/cloudwatch-server.js';

const scratch = mkdtempSync(join(tmpdir(), 'golive-cw-source-'));
// Nothing from this machine's AWS setup may leak in, and nothing may reach IMDS.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_CONFIG_FILE = join(scratch, 'no-config');
process.env.AWS_SHARED_CREDENTIALS_FILE = join(scratch, 'no-credentials');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
for (const key of [
	'AWS_PROFILE',
	'AWS_ACCESS_KEY_ID',
	'AWS_SECRET_ACCESS_KEY',
	'AWS_SESSION_TOKEN',
	'AWS_REGION',
	'AWS_DEFAULT_REGION',
	'AWS_WEB_IDENTITY_TOKEN_FILE',
	'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
	'AWS_CONTAINER_CREDENTIALS_FULL_URI',
]) {
	delete process.env[key];
}

const env = {AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_REGION: 'us-east-1'};
const dims = {ApiName: 'statusboard'};
let server: CloudWatchServer;
let clock = Date.UTC(2026, 10, 23, 9, 30, 0);
const now = () => clock;

function plan(overrides: Partial<CloudWatchPlan> = {}): CloudWatchPlan {
	return {endpoint: server.url, pollIntervalMs: 60_000, metrics: [], alarms: {}, maxAgeMs: 180_000, ...overrides};
}

const p95Query: CloudWatchMetricQuery = {
	id: 'api_p95',
	label: 'API p95',
	namespace: 'AWS/ApiGateway',
	metricName: 'Latency',
	dimensions: dims,
	stat: 'p95',
	periodSec: 60,
};

beforeAll(async () => {
	server = await startCloudWatchServer({pageSize: 50, now});
	// Two minutes: 1..200 ms then 1..100 ms; the newest minute's p95 is 95.
	const minute = Math.floor(clock / 60_000) * 60_000;
	for (let v = 1; v <= 200; v++) server.putSample('AWS/ApiGateway', 'Latency', dims, v, minute - 60_000 + v * 100);
	for (let v = 1; v <= 100; v++) server.putSample('AWS/ApiGateway', 'Latency', dims, v, minute + v * 10);
	server.putSample('AWS/ApiGateway', 'Count', dims, 40, minute + 5);
	server.putSample('AWS/ApiGateway', '5XXError', dims, 2, minute + 5);
	server.setAlarm({name: 'statusboard-api-5xx-rate', state: 'OK', reason: 'Threshold Crossed: 0.1 <= 5'});
	server.setAlarm({name: 'statusboard-api-latency-p95', state: 'ALARM', reason: 'Threshold Crossed: p95 2300 > 2000', description: 'p95 over 2 s'});
	server.setAlarm({
		name: 'statusboard-\u001b]8;;http://evil.example\u0007click\u001b]8;;\u0007',
		state: 'ALARM',
		reason: '\u001b[2J\u001b[Hall clear \u202eKO',
		description: 'wipes \u001b[31mred\u001b[0m and rings \u0007',
	});
	server.setAlarm({name: 'other-team-alarm', state: 'ALARM', reason: 'not ours'});
	clock += 30_000;
});

afterAll(async () => {
	await server?.close();
});

describe('createCloudWatchSource', () => {
	it('reads the newest datapoint of each metric, p95 included, with its timestamp and status', async () => {
		const source = createCloudWatchSource(
			plan({
				metrics: [
					p95Query,
					{id: 'err_pct', label: '5xx %', expression: 'e / c * 100', periodSec: 60},
					{id: 'e', label: '5xx', namespace: 'AWS/ApiGateway', metricName: '5XXError', dimensions: dims, stat: 'Sum', periodSec: 60},
					{id: 'c', label: 'count', namespace: 'AWS/ApiGateway', metricName: 'Count', dimensions: dims, stat: 'Sum', periodSec: 60},
					{id: 'nothing', label: 'never sent', namespace: 'App', metricName: 'Nope', stat: 'Average', periodSec: 60},
				],
			}),
			{now, env},
		);
		try {
			const snap = await source.poll();
			expect(snap.state).toEqual({kind: 'ok'});
			const [p95, pct, , , nothing] = snap.metrics;
			expect(p95).toEqual({id: 'api_p95', label: 'API p95', value: 95, timestamp: Math.floor((clock - 30_000) / 60_000) * 60_000, statusCode: 'Complete'});
			expect(pct?.value).toBe(5);
			expect(nothing).toMatchObject({value: Number.NaN, timestamp: null});
			expect(snap.lastSuccessAt).toBe(clock);
			expect(snap.callsLastHour).toBe(1);
		} finally {
			source.close();
		}
	});

	it('batches 1,200 metrics into calls of at most 500 and follows NextToken pages', async () => {
		const metrics: CloudWatchMetricQuery[] = [];
		for (let k = 0; k < 1200; k++) {
			server.putSample('Bulk', `m${k}`, {}, k, clock - 90_000);
			server.putSample('Bulk', `m${k}`, {}, k + 0.5, clock - 20_000);
			metrics.push({id: `m${k}`, label: `metric ${k}`, namespace: 'Bulk', metricName: `m${k}`, stat: 'Average', periodSec: 60});
		}
		expect(batchQueries(metrics).map((b) => b.length)).toEqual([500, 500, 200]);
		const before = server.calls('GetMetricData');
		const source = createCloudWatchSource(plan({metrics}), {now, env});
		try {
			const snap = await source.poll();
			expect(snap.state.kind).toBe('ok');
			const calls = server.calls('GetMetricData') - before;
			// 2,400 datapoints at 50 per page: 48 pages across the three batches.
			expect(calls).toBeGreaterThanOrEqual(48);
			expect(snap.callsLastHour).toBe(calls);
			expect(snap.metrics).toHaveLength(1200);
			expect(snap.metrics.every((m, k) => m.value === k + 0.5 && m.statusCode === 'Complete')).toBe(true);
		} finally {
			source.close();
		}
	});

	it('keeps PartialData when the page limit cuts a batch short', async () => {
		const metrics: CloudWatchMetricQuery[] = Array.from({length: 60}, (_, k) => ({
			id: `m${k}`,
			label: `metric ${k}`,
			namespace: 'Bulk',
			metricName: `m${k}`,
			stat: 'Average',
			periodSec: 60,
		}));
		const source = createCloudWatchSource(plan({metrics}), {now, env, maxPages: 1});
		try {
			const snap = await source.poll();
			expect(snap.metrics.at(-1)?.statusCode).toBe('PartialData');
			expect(snap.metrics[0]?.statusCode).toBe('Complete');
		} finally {
			source.close();
		}
	});

	it('keeps an expression in the same batch as the queries it references', () => {
		const filler: CloudWatchMetricQuery[] = Array.from({length: 499}, (_, k) => ({
			id: `f${k}`,
			label: 'f',
			namespace: 'N',
			metricName: 'M',
			stat: 'Sum',
			periodSec: 60,
		}));
		const pair: CloudWatchMetricQuery[] = [
			{id: 'rate', label: 'rate', expression: 'errs / total', periodSec: 60},
			{id: 'errs', label: 'errs', namespace: 'N', metricName: 'E', stat: 'Sum', periodSec: 60},
			{id: 'total', label: 'total', namespace: 'N', metricName: 'T', stat: 'Sum', periodSec: 60},
		];
		const batches = batchQueries([...filler, ...pair]);
		expect(batches.every((b) => b.length <= 500)).toBe(true);
		const withRate = batches.find((b) => b.some((q) => q.id === 'rate'));
		expect(withRate?.map((q) => q.id).filter((id) => pair.some((p) => p.id === id))).toEqual(['rate', 'errs', 'total']);
	});

	it('reads alarms by prefix and by name, reports a missing plan alarm, and renders escape sequences inert', async () => {
		const source = createCloudWatchSource(
			plan({alarms: {prefix: 'statusboard-', names: ['statusboard-api-5xx-rate', 'other-team-alarm', 'statusboard-does-not-exist']}}),
			{now, env},
		);
		try {
			const snap = await source.poll();
			expect(snap.state.kind).toBe('ok');
			expect(snap.missingAlarms).toEqual(['statusboard-does-not-exist']);
			// Sorted by raw name: ESC (0x1b) sorts before letters.
			expect(snap.alarms.map((a) => `${a.name.slice(0, 16)}:${a.state}`)).toEqual([
				'other-team-alarm:ALARM',
				'statusboard-⟨ESC:ALARM',
				'statusboard-api-:OK',
				'statusboard-api-:ALARM',
			]);
			const latency = snap.alarms.find((a) => a.name === 'statusboard-api-latency-p95');
			expect(latency).toMatchObject({state: 'ALARM', reason: 'Threshold Crossed: p95 2300 > 2000', description: 'p95 over 2 s'});
			expect(latency?.updatedAt).toBe(clock - 30_000);
			const evil = snap.alarms.find((a) => a.name.startsWith('statusboard-⟨ESC⟩'));
			expect(evil).toBeDefined();
			for (const text of [evil!.name, evil!.reason, evil!.description ?? '']) {
				// eslint-disable-next-line no-control-regex
				expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
			}
			expect(evil!.reason).toBe('⟨ESC⟩⟨ESC⟩all clear ⟨U+202e⟩KO');
			expect(evil!.description).toBe('wipes ⟨ESC⟩red⟨ESC⟩ and rings ⟨U+0007⟩');
		} finally {
			source.close();
		}
	});

	it('follows DescribeAlarms pages and sends at most 100 names per call', async () => {
		const small = await startCloudWatchServer({pageSize: 2, now});
		for (let k = 0; k < 7; k++) small.setAlarm({name: `app-${k}`, state: k === 6 ? 'ALARM' : 'OK', reason: `r${k}`});
		const names = Array.from({length: 150}, (_, k) => `app-${k}`);
		const source = createCloudWatchSource(plan({endpoint: small.url, alarms: {names, prefix: 'app-'}}), {now, env});
		try {
			const snap = await source.poll();
			expect(snap.state.kind).toBe('ok');
			expect(snap.alarms.map((a) => a.name)).toEqual(['app-0', 'app-1', 'app-2', 'app-3', 'app-4', 'app-5', 'app-6']);
			expect(snap.alarms.at(-1)?.state).toBe('ALARM');
			expect(snap.missingAlarms).toHaveLength(143);
			// First 100 names: 7 alarms at 2 per page = 4 calls; next 50 names: none exist, 1 call; prefix: 4 calls.
			expect(small.calls('DescribeAlarms')).toBe(9);
			expect(snap.callsLastHour).toBe(9);
		} finally {
			source.close();
			await small.close();
		}
	});

	it('a missing region is no_region, before any call', async () => {
		const before = server.calls();
		const source = createCloudWatchSource(plan({alarms: {prefix: 'statusboard-'}}), {now, env: {AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'x'}});
		const snap = await source.poll();
		source.close();
		expect(snap.state).toMatchObject({kind: 'error', code: 'no_region'});
		expect(snap.lastSuccessAt).toBeNull();
		expect(server.calls()).toBe(before);
	});

	it('no credentials (empty env, no profile, no files) is no_credentials', async () => {
		// A real (non-loopback) endpoint: `.invalid` resolves nowhere, and credentials are resolved before any connection.
		const source = createCloudWatchSource(plan({endpoint: 'https://monitoring.us-east-1.invalid', region: 'us-east-1', alarms: {prefix: 'statusboard-'}}), {
			now,
			env: {},
			timeoutMs: 3000,
		});
		const snap = await source.poll();
		source.close();
		expect(snap.state).toMatchObject({kind: 'error', code: 'no_credentials'});
		// A CloudWatch-compatible endpoint on this machine (`golive demo --serve`) is not AWS: with nothing configured it needs no credentials.
		const local = createCloudWatchSource(plan({region: 'us-east-1', alarms: {prefix: 'statusboard-'}}), {now, env: {}, timeoutMs: 3000});
		const localSnap = await local.poll();
		local.close();
		expect(localSnap.state.kind).toBe('ok');
		// A profile that the (absent) config files do not define is no better, and key variables do not rescue it.
		const profiled = createCloudWatchSource(plan({region: 'us-east-1', alarms: {prefix: 'statusboard-'}}), {
			now,
			env: {...env, AWS_PROFILE: 'golive-test-nope'},
			timeoutMs: 3000,
		});
		const snap2 = await profiled.poll();
		profiled.close();
		expect(snap2.state).toMatchObject({kind: 'error', code: 'no_credentials'});
		// A profile asked for is used as asked, on loopback too (a tunnel to real CloudWatch): no stand-in key hides that it is missing.
		const tunnel = createCloudWatchSource(plan({region: 'us-east-1', alarms: {prefix: 'statusboard-'}}), {
			now,
			env: {AWS_PROFILE: 'golive-test-nope'},
			timeoutMs: 3000,
		});
		const snap3 = await tunnel.poll();
		tunnel.close();
		expect(snap3.state).toMatchObject({kind: 'error', code: 'no_credentials'});
	});

	it('an expired token, access denied and an internal failure each have their own state; none is ok', async () => {
		const source = createCloudWatchSource(plan({metrics: [p95Query], alarms: {prefix: 'statusboard-'}}), {now, env});
		try {
			const good = await source.poll();
			expect(good.state.kind).toBe('ok');
			server.injectFault('ExpiredToken');
			expect((await source.poll()).state).toMatchObject({kind: 'error', code: 'expired_token'});
			server.injectFault('AccessDenied');
			const denied = await source.poll();
			expect(denied.state).toMatchObject({kind: 'error', code: 'access_denied'});
			// Last known values stay, with their own timestamps, so they age into NO_DATA.
			expect(denied.metrics[0]?.value).toBe(95);
			expect(denied.lastSuccessAt).toBe(good.lastSuccessAt);
			server.injectFault('InternalFailure');
			expect((await source.poll()).state).toMatchObject({kind: 'degraded'});
			expect((await source.poll()).state.kind).toBe('ok');
		} finally {
			source.close();
		}
	});

	it('an unreachable endpoint is unreachable, quickly', async () => {
		const closed = http.createServer();
		await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
		const port = (closed.address() as AddressInfo).port;
		await new Promise<void>((r) => closed.close(() => r()));
		const source = createCloudWatchSource(plan({endpoint: `http://127.0.0.1:${port}`, alarms: {prefix: 'x'}}), {now, env});
		const started = Date.now();
		const snap = await source.poll();
		source.close();
		expect(snap.state).toMatchObject({kind: 'error', code: 'unreachable'});
		expect(Date.now() - started).toBeLessThan(3000);
	});

	it('an endpoint that never answers is unreachable after the timeout, not a hang', async () => {
		const silent = http.createServer(() => undefined);
		await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
		const source = createCloudWatchSource(plan({endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, alarms: {prefix: 'x'}}), {
			now,
			env,
			timeoutMs: 300,
		});
		try {
			const started = Date.now();
			const snap = await source.poll();
			const took = Date.now() - started;
			expect(snap.state).toMatchObject({kind: 'error', code: 'unreachable'});
			expect(took).toBeGreaterThanOrEqual(250);
			expect(took).toBeLessThan(3000);
		} finally {
			source.close();
			silent.closeAllConnections();
			await new Promise<void>((r) => silent.close(() => r()));
		}
	});

	it('classifies errors by SDK name and code', () => {
		expect(classifyCloudWatchError(Object.assign(new Error('x'), {name: 'ExpiredTokenException'})).kind).toBe('error');
		expect(classifyCloudWatchError(Object.assign(new Error('x'), {name: 'ThrottlingException'})).kind).toBe('degraded');
		expect(classifyCloudWatchError(Object.assign(new Error('connect'), {code: 'ECONNREFUSED'}))).toMatchObject({code: 'unreachable'});
		expect(classifyCloudWatchError('weird')).toMatchObject({kind: 'error', code: 'other'});
		expect(
			classifyCloudWatchError(Object.assign(new Error('The SSO session associated with this profile has expired'), {name: 'CredentialsProviderError'})),
		).toMatchObject({code: 'expired_token'});
		expect(isLoopbackEndpoint('http://127.0.0.1:4566')).toBe(true);
		expect(isLoopbackEndpoint('http://[::1]:4566')).toBe(true);
		expect(isLoopbackEndpoint('https://monitoring.us-east-1.amazonaws.com')).toBe(false);
	});
});

describe('startCloudWatchPoller', () => {
	it('backs off with jitter while throttled and returns to the interval on recovery', async () => {
		const source = createCloudWatchSource(plan({metrics: [p95Query], alarms: {prefix: 'statusboard-'}}), {now, env});
		const seen: {state: CloudWatchSnapshot['state']; at: number}[] = [];
		server.injectFault('Throttling', 2);
		const started = Date.now();
		await new Promise<void>((resolve, reject) => {
			const guard = setTimeout(() => reject(new Error(`poller stalled: ${JSON.stringify(seen)}`)), 8000);
			const poller = startCloudWatchPoller(source, {
				intervalMs: 200,
				now,
				random: () => 0,
				onSnapshot: (snap) => {
					seen.push({state: snap.state, at: Date.now() - started});
					if (seen.length === 4) {
						clearTimeout(guard);
						poller.stop();
						resolve();
					}
				},
			});
		});
		source.close();
		expect(seen.map((s) => s.state.kind)).toEqual(['degraded', 'degraded', 'ok', 'ok']);
		// random 0 → half of interval × 2^attempt: 200 ms, then 400 ms; then the plain 200 ms interval.
		expect(seen.map((s) => (s.state.kind === 'degraded' ? s.state.retryInMs : null))).toEqual([200, 400, null, null]);
		expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(180);
		expect(seen[2]!.at - seen[1]!.at).toBeGreaterThanOrEqual(380);
		expect(seen[3]!.at - seen[2]!.at).toBeGreaterThanOrEqual(150);
		expect(seen[3]!.at - seen[2]!.at).toBeLessThan(2500);
	});

	it('never polls a real endpoint faster than every 10 s, and stop() ends it', async () => {
		const delays: number[] = [];
		const pending: (() => void)[] = [];
		let polls = 0;
		const snapshot: CloudWatchSnapshot = {at: 0, state: {kind: 'ok'}, metrics: [], alarms: [], missingAlarms: [], callsLastHour: 0, lastSuccessAt: 0};
		const poller = startCloudWatchPoller(
			{loopback: false, poll: async () => (polls++, snapshot)},
			{
				intervalMs: 1000,
				now,
				onSnapshot: () => undefined,
				setTimer: (fn, ms) => {
					delays.push(ms);
					pending.push(fn);
					return () => undefined;
				},
			},
		);
		for (let k = 0; k < 3; k++) {
			pending.shift()?.();
			await new Promise((r) => setImmediate(r));
		}
		poller.stop();
		pending.shift()?.();
		await new Promise((r) => setImmediate(r));
		expect(polls).toBe(3);
		expect(delays).toEqual([0, 10_000, 10_000, 10_000]);
		expect(effectivePollIntervalMs(2000, true)).toBe(2000);
		expect(effectivePollIntervalMs(Number.NaN, false)).toBe(10_000);
		expect(backoffDelayMs(10, 10_000, 16, () => 0.999)).toBeLessThanOrEqual(160_000);
	});
});
