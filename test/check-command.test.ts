import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {afterAll, beforeAll, beforeEach, describe, expect, test} from 'vitest';
import {judgeBurst, runCheckCommand} from '../source/commands/check.js';
import type {ProbeSnapshot, ProbeWindow} from '../source/core/measurements.js';
import {startCloudWatchServer, type CloudWatchServer} from '../source/demo/cloudwatch-server.js';
import {validatePlan} from '../source/plan/load-plan.js';

const dir = mkdtempSync(path.join(tmpdir(), 'golive-check-'));

/** What the staging/production stand-in does; tests flip these. */
const behaviour = {boardDelayMs: 5, flagStatus: 200};
const hits = {board: 0, drawer: 0, health: 0, flags: 0};
let server: Server;
let baseUrl = '';
let closedPort = 0;
let cloudwatch: CloudWatchServer;

beforeAll(async () => {
	server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://x');
		const json = (status: number, body: unknown): void => {
			res.writeHead(status, {'content-type': 'application/json'}).end(JSON.stringify(body));
		};
		if (url.pathname === '/api/health') {
			hits.health++;
			json(200, {status: 'healthy'});
		} else if (url.pathname === '/api/admin/appointments/board') {
			hits.board++;
			setTimeout(() => json(200, {columns: []}), behaviour.boardDelayMs);
		} else if (/^\/api\/admin\/appointments\/apt-\d+$/.test(url.pathname)) {
			hits.drawer++;
			json(200, {id: url.pathname.split('/').at(-1)});
		} else if (url.pathname === '/api/admin/feature-flags') {
			hits.flags++;
			// A careless API that echoes the caller's credentials in its error body.
			if (behaviour.flagStatus !== 200) json(behaviour.flagStatus, {error: 'boom', youSent: req.headers.authorization ?? null});
			else json(200, {flags: {STATUS_BOARD_V2_ENABLED: {enabled: false, rolloutPercent: 0, version: 7}}});
		} else {
			json(404, {error: 'not_found'});
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const spare = createServer();
	await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
	closedPort = (spare.address() as AddressInfo).port;
	await new Promise((resolve) => spare.close(resolve));
	cloudwatch = await startCloudWatchServer();
});

afterAll(async () => {
	await cloudwatch.close();
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
	rmSync(dir, {recursive: true, force: true});
});

beforeEach(() => {
	behaviour.boardDelayMs = 5;
	behaviour.flagStatus = 200;
});

function plan(overrides: {tlsHost?: string} = {}): Record<string, unknown> {
	return {
		version: 1,
		service: 'StatusBoardV2',
		// Sign-offs given to check are recorded here for the launch.
		journalDir: path.join(dir, 'journals'),
		environment: 'production',
		environments: {staging: {baseUrl: '${STAGING_URL}'}, production: {baseUrl: '${PROD_URL}'}},
		probes: [
			{id: 'board', label: 'Board load', method: 'GET', path: '/api/admin/appointments/board', ratePerSec: 10},
			{id: 'drawer', label: 'Drawer open', method: 'GET', path: '/api/admin/appointments/{id}', ids: ['apt-1001', 'apt-1002'], ratePerSec: 10},
		],
		slos: [
			{
				id: 'board_p95',
				label: 'Board p95',
				source: {kind: 'probe', probe: 'board', stat: 'p95'},
				window: '1m',
				op: '<',
				threshold: 800,
				unit: 'ms',
				minSamples: 10,
			},
			{
				id: 'drawer_avg',
				label: 'Drawer avg',
				source: {kind: 'probe', probe: 'drawer', stat: 'mean'},
				window: '1m',
				op: '<',
				threshold: 200,
				unit: 'ms',
				minSamples: 10,
			},
		],
		canary: {
			flag: 'STATUS_BOARD_V2_ENABLED',
			stages: [10, 30, 50, 100],
			stageDurationMs: 600_000,
			checkIntervalMs: 60_000,
			stabilizationMs: 1_800_000,
			abort: {errorRate: 0.01, latencyMs: 2000, latency: {kind: 'probe', probe: 'board', stat: 'p95'}},
		},
		triggers: {errorBurst: {threshold: 0.02, intervals: 3}},
		actions: {
			setFlag: {kind: 'http', method: 'PUT', url: '${PROD_URL}/api/admin/feature-flags', body: {flag: '{flag}', rolloutPercent: '{percent}'}},
			readBack: {
				url: '${PROD_URL}/api/admin/feature-flags',
				percentPath: 'flags.STATUS_BOARD_V2_ENABLED.rolloutPercent',
				versionPath: 'flags.STATUS_BOARD_V2_ENABLED.version',
			},
		},
		gates: [
			{id: 'a_health', gate: 'A', label: 'Staging health 200', kind: 'auto', check: {kind: 'health', url: '${STAGING_URL}/api/health'}},
			{id: 'a_perf', gate: 'A', label: 'Board p95 < 800 ms, drawer avg < 200 ms', kind: 'auto', check: {kind: 'slo', rules: ['board_p95', 'drawer_avg']}},
			{id: 'a_uat', gate: 'A', label: 'UAT approved', kind: 'manual', roles: ['product_owner', 'eng_lead', 'qa_lead'], minApprovals: 2},
			{id: 'b_health', gate: 'B', label: 'Production health 200', kind: 'auto', check: {kind: 'health', url: '${PROD_URL}/api/health'}},
			{id: 'b_dns', gate: 'B', label: 'DNS resolves', kind: 'auto', check: {kind: 'dns', host: 'localhost'}},
			{id: 'b_tls', gate: 'B', label: 'TLS ≥ 30 days', kind: 'auto', check: {kind: 'tls', host: overrides.tlsHost ?? '${PROD_URL}', minDays: 30}},
			{id: 'b_rollback', gate: 'B', label: 'Rollback configured', kind: 'auto', check: {kind: 'rollback-configured'}},
		],
	};
}

let counter = 0;
function planFile(content: unknown): string {
	const file = path.join(dir, `plan-${counter++}.json`);
	writeFileSync(file, JSON.stringify(content, null, 2));
	return file;
}

async function check(args: string[], env: NodeJS.ProcessEnv = {STAGING_URL: baseUrl, PROD_URL: baseUrl}): Promise<{code: number; out: string; err: string}> {
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	const out: Buffer[] = [];
	const err: Buffer[] = [];
	stdout.on('data', (c: Buffer) => out.push(c));
	stderr.on('data', (c: Buffer) => err.push(c));
	const code = await runCheckCommand(args, {stdout, stderr, env, cwd: dir});
	return {code, out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8')};
}

type GateJson = {
	type: string;
	ts: string;
	gate: string;
	status: string;
	exitCode: number;
	items: Array<{id: string; label: string; status: string; detail: string}>;
};

describe('golive check --gate A', () => {
	test('healthy staging + two sign-offs → exit 0 and one gate object with measured values', async () => {
		const before = hits.board;
		const file = planFile(plan());
		const result = await check([
			'--gate',
			'A',
			'--plan',
			file,
			'--json',
			'--duration',
			'1.5',
			'--sign-off',
			'qa_lead="Ana Ruiz"',
			'--sign-off',
			'product_owner=Bo Li',
		]);
		expect(result.err).toBe(`golive check: 2 sign-offs recorded for the launch in ${path.join(dir, 'journals', 'StatusBoardV2.sign-offs.jsonl')}\n`);
		expect(result.code).toBe(0);
		const lines = result.out.trim().split('\n');
		expect(lines).toHaveLength(1);
		const gate = JSON.parse(lines[0]!) as GateJson;
		expect(gate).toMatchObject({type: 'gate', gate: 'A', status: 'pass', exitCode: 0});
		expect(new Date(gate.ts).toISOString()).toBe(gate.ts);
		expect(gate.items.map((i) => [i.id, i.status])).toEqual([
			['a_health', 'pass'],
			['a_perf', 'pass'],
			['a_uat', 'pass'],
		]);
		// The burst really ran: ≥ 2 × minSamples board requests in 1.5 s.
		expect(hits.board - before).toBeGreaterThanOrEqual(20);
		const perf = gate.items.find((i) => i.id === 'a_perf')!.detail;
		expect(perf).toContain('board_p95');
		const boardMs = Number(/board_p95 PASS ([\d.]+) ?ms/.exec(perf)?.[1]);
		expect(boardMs).toBeGreaterThan(4);
		expect(boardMs).toBeLessThan(800);
	});

	test('one sign-off of two → exit 1, item waiting; the table says so', async () => {
		const file = planFile(plan());
		const result = await check(['--gate', 'A', '--plan', file, '--duration', '1', '--sign-off', 'qa_lead=Ana']);
		expect(result.code).toBe(1);
		expect(result.out).toMatch(/✓ a_health/);
		expect(result.out).toMatch(/✗ a_uat .*waiting for sign-off: /);
		expect(result.out).toMatch(/Gate A: FAIL \(exit 1\)/);
	});

	test('a slow board (1000 ms) breaches p95 < 800 → exit 1', async () => {
		behaviour.boardDelayMs = 1000;
		const file = planFile(plan());
		const result = await check(['--gate', 'A', '--plan', file, '--json', '--duration', '3', '--sign-off', 'qa_lead=Ana', '--sign-off', 'eng_lead=Bo']);
		const gate = JSON.parse(result.out) as GateJson;
		const perf = gate.items.find((i) => i.id === 'a_perf')!;
		expect(perf.status).toBe('fail');
		const boardMs = Number(/board_p95 BREACH ([\d.]+) ?ms/.exec(perf.detail)?.[1]);
		expect(boardMs).toBeGreaterThanOrEqual(1000);
		expect(result.code).toBe(1);
	});
});

describe('golive check --gate B', () => {
	test('health, DNS, TLS n/a on http, rollback read-back → exit 0', async () => {
		const before = hits.flags;
		const result = await check(['--gate', 'B', '--plan', planFile(plan()), '--json']);
		const gate = JSON.parse(result.out) as GateJson;
		expect(gate.items.map((i) => [i.id, i.status])).toEqual([
			['b_health', 'pass'],
			['b_dns', 'pass'],
			['b_tls', 'pass'],
			['b_rollback', 'pass'],
		]);
		expect(gate.items.find((i) => i.id === 'b_tls')!.detail).toMatch(/^n\/a: /);
		expect(gate.items.find((i) => i.id === 'b_rollback')!.detail).toContain('reads back at 0 %, version 7');
		expect(hits.flags - before).toBe(1);
		expect(result.code).toBe(0);
	});

	test('no TLS handshake possible → no data → exit 3', async () => {
		const result = await check(['--gate', 'B', '--plan', planFile(plan({tlsHost: `https://127.0.0.1:${closedPort}`}))]);
		expect(result.out).toMatch(/\? b_tls .*no data: no TLS handshake/);
		expect(result.out).toMatch(/Gate B: NO DATA \(exit 3\)/);
		expect(result.code).toBe(3);
	});

	test('flag API refusing connections: one plain line, said once ("flag read-back failed: connect ECONNREFUSED …")', async () => {
		const p = plan();
		(p.actions as {readBack: Record<string, unknown>}).readBack.url = `http://127.0.0.1:${closedPort}/flags`;
		const result = await check(['--gate', 'B', '--plan', planFile(p), '--json']);
		const gate = JSON.parse(result.out) as GateJson;
		expect(gate.items.find((i) => i.id === 'b_rollback')).toMatchObject({
			status: 'fail',
			detail: `flag read-back failed: connect ECONNREFUSED 127.0.0.1:${closedPort}`,
		});
		expect(result.code).toBe(1);
	});

	test('flag read-back failing → rollback not verified → exit 1; the token never shows', async () => {
		behaviour.flagStatus = 500;
		const token = 'tok-9f8e7d6c5b4a';
		const p = plan();
		(p.actions as {readBack: Record<string, unknown>}).readBack.headers = {Authorization: 'Bearer ${API_TOKEN}'};
		const file = planFile(p);
		const result = await check(['--gate', 'B', '--plan', file, '--json'], {STAGING_URL: baseUrl, PROD_URL: baseUrl, API_TOKEN: token});
		const gate = JSON.parse(result.out) as GateJson;
		expect(gate.items.find((i) => i.id === 'b_rollback')).toMatchObject({status: 'fail', detail: expect.stringContaining('500')});
		expect(result.code).toBe(1);
		const table = await check(['--gate', 'B', '--plan', file], {STAGING_URL: baseUrl, PROD_URL: baseUrl, API_TOKEN: token});
		expect(`${result.out}${result.err}${table.out}${table.err}`).not.toContain(token);
	});
});

describe('golive check --gate B with CloudWatch alarms', () => {
	// Static test credentials; no file or instance metadata on this machine can leak in.
	const awsEnv = (): NodeJS.ProcessEnv => ({
		STAGING_URL: baseUrl,
		PROD_URL: baseUrl,
		AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
		AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
		AWS_EC2_METADATA_DISABLED: 'true',
		AWS_CONFIG_FILE: path.join(dir, 'no-config'),
		AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
	});
	function alarmPlan(): Record<string, unknown> {
		const p = plan();
		p.cloudwatch = {region: 'us-east-1', endpoint: cloudwatch.url, pollIntervalMs: 2000, metrics: [], alarms: {prefix: 'statusboard-'}};
		(p.gates as unknown[]).push({id: 'b_alarms', gate: 'B', label: 'Alarms OK or INSUFFICIENT_DATA', kind: 'auto', check: {kind: 'alarms-ok'}});
		return p;
	}

	test('OK and INSUFFICIENT_DATA pass; one alarm in ALARM fails Gate B and is named', async () => {
		cloudwatch.setAlarm({name: 'statusboard-api-5xx-rate', state: 'OK', reason: 'fine'});
		cloudwatch.setAlarm({name: 'statusboard-api-latency-p95', state: 'INSUFFICIENT_DATA', reason: 'no traffic yet'});
		const green = await check(['--gate', 'B', '--plan', planFile(alarmPlan()), '--json'], awsEnv());
		const greenGate = JSON.parse(green.out) as GateJson;
		expect(greenGate.items.find((i) => i.id === 'b_alarms')).toMatchObject({status: 'pass'});
		expect(green.code).toBe(0);

		cloudwatch.setAlarm({name: 'statusboard-v2-dynamodb-throttles', state: 'ALARM', reason: 'Threshold crossed: 12 throttles'});
		const red = await check(['--gate', 'B', '--plan', planFile(alarmPlan()), '--json'], awsEnv());
		const alarms = (JSON.parse(red.out) as GateJson).items.find((i) => i.id === 'b_alarms')!;
		expect(alarms.status).toBe('fail');
		expect(alarms.detail).toContain('statusboard-v2-dynamodb-throttles');
		expect(red.code).toBe(1);
	});

	test('CloudWatch unreachable → alarms no data → exit 3', async () => {
		const p = alarmPlan();
		(p.cloudwatch as {endpoint: string}).endpoint = `http://127.0.0.1:${closedPort}`;
		const result = await check(['--gate', 'B', '--plan', planFile(p), '--json', '--timeout', '2000'], awsEnv());
		const alarms = (JSON.parse(result.out) as GateJson).items.find((i) => i.id === 'b_alarms')!;
		expect(alarms.status).toBe('no_data');
		expect(result.code).toBe(3);
	});
});

describe('golive check: usage and plan errors → exit 2', () => {
	test('a bad plan names the file and the field', async () => {
		const file = planFile(plan());
		const missingEnv = await check(['--gate', 'A', '--plan', file], {PROD_URL: baseUrl});
		expect(missingEnv.code).toBe(2);
		expect(missingEnv.err).toContain(`${path.basename(file)}: /environments/staging/baseUrl: environment variable STAGING_URL is not set`);
		const broken = plan();
		(broken.canary as {stages: number[]}).stages = [10, 50, 30, 100];
		const notAscending = await check(['--gate', 'B', '--plan', planFile(broken)]);
		expect(notAscending.code).toBe(2);
		expect(notAscending.err).toMatch(/plan-\d+\.json: \/canary\/stages\/2: stages must be strictly ascending/);
		expect(notAscending.out).toBe('');
	});

	test('missing or unknown gate, bad sign-off, unknown flag', async () => {
		const file = planFile(plan());
		expect((await check(['--plan', file])).err).toContain('--gate A|B is required');
		expect((await check(['--gate', 'C', '--plan', file])).code).toBe(2);
		const role = await check(['--gate', 'A', '--plan', file, '--sign-off', 'ceo=Someone']);
		expect(role.code).toBe(2);
		expect(role.err).toContain('role "ceo" signs nothing here (roles: product_owner, eng_lead, qa_lead)');
		expect((await check(['--gate', 'A', '--plan', file, '--sign-off', 'qa_lead'])).code).toBe(2);
		expect((await check(['--gate', 'A', '--plan', file, '--frobnicate'])).code).toBe(2);
		expect((await check(['--gate', 'A', '--plan', path.join(dir, 'absent.json')])).err).toContain('plan file not found');
	});
});

describe('judgeBurst: a lagging scheduler can only make latency look worse', () => {
	function snapshot(p95: number, scheduler: ProbeSnapshot['scheduler'], at: number): ProbeSnapshot {
		const window = (name: '1m' | '5m'): ProbeWindow => ({
			probeId: 'board',
			window: name,
			requests: 40,
			errors: 0,
			conflicts: 0,
			errorRate: 0,
			latencyMs: {p50: p95 / 2, p90: p95, p95, p99: p95, p999: p95, max: p95, mean: p95 / 2},
			statusCounts: {'200': 40},
			errorCounts: {},
			lastSampleAt: at - 10,
		});
		return {
			probeId: 'board',
			at,
			windows: {'1m': window('1m'), '5m': window('5m')},
			scheduler,
			totalRequests: 40,
			variants: {},
			memoryBytes: 0,
			lastError: null,
		};
	}
	const loaded = validatePlan(plan(), {STAGING_URL: 'http://127.0.0.1:1', PROD_URL: 'http://127.0.0.1:1'});
	if (!loaded.ok) throw new Error('fixture plan invalid');
	const at = 1_800_000_000_000;
	const board = (p95: number, scheduler: ProbeSnapshot['scheduler']) =>
		judgeBurst(loaded.plan, [snapshot(p95, scheduler, at)], null, at).find((r) => r.ruleId === 'board_p95')!;

	test('lag without drops: PASS stands, BREACH becomes NO_DATA', () => {
		const lagging = {lagP99Ms: 80, queueDepth: 0, dropped: 0, valid: false};
		expect(board(120, lagging).status).toBe('PASS');
		expect(board(860, lagging)).toMatchObject({status: 'NO_DATA', note: expect.stringContaining('lagged (p99 80 ms)')});
		// 900 − 80 = 820 ms still ≥ 800: the service is slow whatever our lag.
		expect(board(900, lagging).status).toBe('BREACH');
	});

	test('dropped sends stay NO_DATA; a healthy scheduler is judged as is', () => {
		expect(board(120, {lagP99Ms: 80, queueDepth: 0, dropped: 3, valid: false}).status).toBe('NO_DATA');
		expect(board(900, {lagP99Ms: 1, queueDepth: 0, dropped: 0, valid: true}).status).toBe('BREACH');
	});
});
