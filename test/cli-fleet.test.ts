/**
 * The fleet commands as a user runs them: `golive agent --json` publishing to the
 * CloudWatch-compatible endpoint (what it streams is what CloudWatch accepted), bad input
 * as one line and exit 2, and `golive demo --scenario fleet --json` showing three agents
 * merged, every line valid against `golive schema`.
 */
import {mkdtempSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Ajv} from 'ajv';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startCloudWatchServer} from '../source/demo/cloudwatch-server.js';
import type {CloudWatchServer} from '../source/demo/cloudwatch-server.js';
import {seedPlan} from './helpers/plan-fixture.js';
import {parseNdjson, runCli} from './helpers/spawn-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'golive-cli-fleet-'));
const env = {
	AWS_ACCESS_KEY_ID: 'AKIDTEST',
	AWS_SECRET_ACCESS_KEY: 'test-secret',
	AWS_REGION: 'us-east-1',
	AWS_EC2_METADATA_DISABLED: 'true',
	AWS_CONFIG_FILE: join(scratch, 'none'),
	AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'none'),
};
let cw: CloudWatchServer;
let service: http.Server;
let planFile: string;

beforeAll(async () => {
	cw = await startCloudWatchServer();
	service = http.createServer((_req, res) => void setTimeout(() => res.end('ok'), 5));
	await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
	const plan = seedPlan({
		environments: {production: {baseUrl: url}},
		probes: [{id: 'board', label: 'Board', method: 'GET', path: '/api/board', ratePerSec: 20, timeoutMs: 5000, maxResponseBytes: 1_048_576, kind: 'read'}],
		slos: [],
		gates: [],
		cloudwatch: {region: 'us-east-1', endpoint: cw.url, pollIntervalMs: 60_000, metrics: [], alarms: {}, maxAgeMs: 180_000},
		fleet: {namespace: 'golive/cli-test', publishIntervalMs: 1000, minAgents: 1},
	});
	planFile = join(scratch, 'plan.json');
	writeFileSync(planFile, JSON.stringify(plan));
});

afterAll(async () => {
	service?.closeAllConnections();
	service?.close();
	await cw?.close();
});

describe('golive agent', () => {
	it('--json streams each interval as published (CloudWatch accepted it), then stops with exit 0', async () => {
		const before = cw.calls('PutMetricData');
		const run = await runCli(['agent', '--plan', planFile, '--location', 'eu-west-1', '--json', '--duration', '3.5'], {env, timeoutMs: 30_000});
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		const lines = parseNdjson(run.stdout);
		expect(lines[0]).toMatchObject({
			type: 'agent-start',
			location: 'eu-west-1',
			namespace: 'golive/cli-test',
			intervalMs: 1000,
			dataPerInterval: 10,
			expectedCallsPerHour: 3600,
		});
		const published = lines.filter((l) => l.type === 'published') as unknown as Array<{
			complete: boolean;
			data: number;
			outcome: {accepted: number; state: {kind: string}};
			cells: Array<{probe: string; requests: number; foldErrorPct: number | null}>;
		}>;
		expect(published.length).toBeGreaterThanOrEqual(2);
		for (const p of published) expect(p.outcome).toMatchObject({accepted: p.data, state: {kind: 'ok'}});
		// Complete intervals carry the heartbeat; the last, partial one does not.
		expect(published.at(-1)!.complete).toBe(false);
		expect(published.some((p) => p.complete && p.cells[0]!.requests > 0 && p.cells[0]!.foldErrorPct !== null)).toBe(true);
		expect(cw.calls('PutMetricData') - before).toBe(published.length);
		expect(lines.at(-1)).toMatchObject({type: 'agent-stop', lastOk: true});
	}, 40_000);

	it('bad input: one line naming the problem, exit 2', async () => {
		const noLocation = await runCli(['agent', '--plan', planFile], {env, timeoutMs: 20_000});
		expect(noLocation.code).toBe(2);
		expect(noLocation.stderr).toContain('--location NAME is required');
		const reserved = await runCli(['agent', '--plan', planFile, '--location', 'all'], {env, timeoutMs: 20_000});
		expect(reserved.code).toBe(2);
		expect(reserved.stderr).toContain('reserved');
		const noFleetPlan = join(scratch, 'no-fleet.json');
		writeFileSync(
			noFleetPlan,
			JSON.stringify({...seedPlan(), fleet: undefined, probes: [{id: 'board', label: 'Board', method: 'GET', path: '/', ratePerSec: 1}], slos: [], gates: []}),
		);
		const noFleet = await runCli(['fleet', '--plan', noFleetPlan], {env, timeoutMs: 20_000});
		expect(noFleet.code).toBe(2);
		expect(noFleet.stderr).toMatch(/\/fleet: the plan has no fleet section/);
	}, 40_000);

	it('golive fleet with no agent publishing: no usable reading, exit 3, never a number for missing data', async () => {
		const empty = join(scratch, 'empty.json');
		writeFileSync(
			empty,
			JSON.stringify({
				...JSON.parse(JSON.stringify(seedPlan())),
				probes: [{id: 'board', label: 'Board', method: 'GET', path: '/', ratePerSec: 1}],
				slos: [],
				gates: [],
				cloudwatch: {region: 'us-east-1', endpoint: cw.url, pollIntervalMs: 60_000, metrics: [], alarms: {}, maxAgeMs: 180_000},
				fleet: {namespace: 'golive/nobody', minAgents: 2},
			}),
		);
		const run = await runCli(['fleet', '--plan', empty, '--json'], {env, timeoutMs: 20_000});
		expect(run.code).toBe(3);
		expect(run.stderr).toContain('0 agents reporting, fewer than minAgents 2');
		expect(JSON.parse(run.stdout)).toMatchObject({
			type: 'fleet',
			agents: 0,
			probes: [{id: 'board', p50: null, p95: null, p99: null, requests: 0, agents: 0, locations: []}],
		});
	}, 30_000);
});

describe('golive demo --scenario fleet', () => {
	it('three agents merged in the --json snapshots (one location degraded), every line valid against golive schema', async () => {
		const schemaRun = await runCli(['schema']);
		const ajv = new Ajv({allErrors: true, strict: false});
		ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
		const validate = ajv.compile(JSON.parse(schemaRun.stdout) as object);
		const run = await runCli(['demo', '--scenario', 'fleet', '--json'], {
			timeoutMs: 90_000,
			interruptWhen: /"fleet":\{"state":\{"kind":"ok"\},"agents":3,[^\n]*"name":"ap-south","p95":[\d.]+,"uptime":0\.\d/,
		});
		const lines = parseNdjson(run.stdout);
		for (const line of lines)
			if (!validate(line)) throw new Error(`line does not match the schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(line).slice(0, 400)}`);
		expect(lines[0]).toMatchObject({type: 'start', scenario: 'fleet'});
		const withFleet = lines.filter((l) => l.type === 'snapshot' && (l as {fleet?: {agents: number}}).fleet?.agents === 3) as unknown as Array<{
			fleet: {probes: Array<{id: string; locations: Array<{name: string; uptime: number | null}>}>};
			slos: Array<{id: string; source: string}>;
		}>;
		expect(withFleet.length).toBeGreaterThan(0);
		const board = withFleet.at(-1)!.fleet.probes.find((p) => p.id === 'board')!;
		expect(board.locations.map((l) => l.name)).toEqual(['ap-south', 'eu-west', 'us-east']);
		// The degraded location's outages (2 s in every 10 s) fail its checks. The others' uptime is
		// not asserted: on a loaded machine their first seconds can time out too.
		expect(board.locations[0]!.uptime).toBeLessThan(1);
		for (const l of board.locations) expect(l.uptime).toBeGreaterThanOrEqual(0);
		expect(withFleet.at(-1)!.slos.find((s) => s.id === 'fleet_board_p95')?.source).toBe('fleet:board');
	}, 100_000);
});
