import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {afterAll, describe, expect, test} from 'vitest';
import type {GateItemPlan, Plan, SloRule} from '../source/core/plan-types.js';
import {runInitCommand} from '../source/commands/init.js';
import {demoPlan} from '../source/plan/demo-plan.js';
import {formatPlanErrors, loadPlan, validatePlan} from '../source/plan/load-plan.js';
import {presetNames, presetPlan, statusboardPreset, teeiPreset} from '../source/plan/presets.js';
import {loadedPreset} from './helpers/loaded-preset.js';

const env = {STAGING_URL: 'https://staging.edgarsautoshop.com', PROD_URL: 'https://edgarsautoshop.com', PREVIOUS_VERSION: 'v2.4.9'};
const dir = mkdtempSync(path.join(tmpdir(), 'golive-init-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

function rule(plan: Plan, id: string): SloRule {
	const found = plan.slos.find((r) => r.id === id);
	if (!found) throw new Error(`no rule ${id}`);
	return found;
}

function gateItems(plan: Plan, gate: GateItemPlan['gate']): GateItemPlan[] {
	return plan.gates.filter((g) => g.gate === gate);
}

describe('presets', () => {
	// Loading through the loader and stating no default: test/plan-documents.test.ts.
	test.each(presetNames)('%s without its env vars: each ${…} outside headers is reported by name', (name) => {
		const result = validatePlan(presetPlan(name), {});
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors.every((e) => e.message.startsWith('environment variable '))).toBe(true);
	});

	test("statusboard carries the StatusBoardV2 run sheet's numbers", () => {
		const plan = loadedPreset('statusboard');
		const document = statusboardPreset();
		expect(rule(plan, 'board_p95')).toMatchObject({source: {kind: 'probe', probe: 'board', stat: 'p95'}, op: '<', threshold: 800, unit: 'ms'});
		expect(rule(plan, 'drawer_avg')).toMatchObject({source: {kind: 'probe', probe: 'drawer', stat: 'mean'}, op: '<', threshold: 200});
		expect(rule(plan, 'error_rate')).toMatchObject({window: '5m', op: '<', threshold: 0.01, unit: 'ratio'});
		expect(rule(plan, 'occ_conflicts')).toMatchObject({window: '5m', op: '<', threshold: 30, unit: 'count'});
		expect(plan.canary).toMatchObject({
			flag: 'STATUS_BOARD_V2_ENABLED',
			stages: [10, 30, 50, 100],
			stageDurationMs: 600_000,
			checkIntervalMs: 60_000,
			stabilizationMs: 1_800_000,
		});
		expect(plan.canary.abort).toMatchObject({errorRate: 0.01, latencyMs: 2000});
		expect(plan.triggers).toEqual({sloBreachForMs: 600_000, errorBurst: {threshold: 0.02, intervals: 3}, alarm: true});
		expect(document.environments).toEqual({staging: {baseUrl: '${STAGING_URL}'}, production: {baseUrl: '${PROD_URL}'}});
		expect(document.actions.setFlag).toMatchObject({kind: 'http', method: 'PUT', url: '${PROD_URL}/api/admin/feature-flags'});
		expect(document.actions.readBack.url).toBe('${PROD_URL}/api/admin/feature-flags');
		expect(plan.actions.fullRollback).toMatchObject({kind: 'command', argv: ['./rollback.sh', 'full', '--reason', '{reason}']});
		expect(plan.cloudwatch?.alarms).toEqual({prefix: 'statusboard-'});
		const uat = gateItems(plan, 'A').find((g) => g.kind === 'manual' && g.id === 'a_uat');
		expect(uat).toMatchObject({roles: ['product_owner', 'eng_lead', 'qa_lead'], minApprovals: 2});
		const gateB = (document.gates ?? []).filter((g) => g.gate === 'B').flatMap((g) => (g.kind === 'auto' ? [g.check] : []));
		expect(gateB).toEqual([
			{kind: 'health', url: '${PROD_URL}/api/health'},
			{kind: 'dns', host: '${PROD_URL}'},
			// The TLS check keeps the schema's 30 days, the run sheet's number.
			{kind: 'tls', host: '${PROD_URL}'},
			{kind: 'alarms-ok'},
			{kind: 'rollback-configured'},
		]);
		expect(gateItems(plan, 'G').map((g) => g.kind)).toEqual(['auto', 'manual']);
		for (const [gate, percent] of [
			['C', 10],
			['D', 30],
			['E', 50],
			['F', 100],
		] as const) {
			expect(gateItems(plan, gate).map((g) => g.kind === 'auto' && g.check)).toEqual([{kind: 'canary-stage', percent}]);
		}
		// Secrets only in headers, as ${…}.
		expect(plan.probes[0]!.headers).toEqual({Authorization: 'Bearer ${API_TOKEN}'});
	});
});

describe('demo plan', () => {
	const plan = demoPlan({serviceUrl: 'http://127.0.0.1:41234/', cloudwatchUrl: 'http://127.0.0.1:41235'});

	test('validates as is (no ${…}, nothing left to fill)', () => {
		const loaded = validatePlan(plan, {});
		if (!loaded.ok) throw new Error(formatPlanErrors(loaded.errors));
		expect(loaded.plan).toEqual(plan);
	});

	test('is time-compressed: healthy budget under 90 s, windows 8 s / 20 s', () => {
		const {stages, stageDurationMs, stabilizationMs, checkIntervalMs} = plan.canary;
		expect(stages).toEqual([10, 30, 50, 100]);
		expect(checkIntervalMs).toBe(1000);
		// Time to success if every check is green from the first: every stage held, then Gate G.
		expect(stages.length * stageDurationMs + stabilizationMs).toBeLessThanOrEqual(60_000);
		expect(plan.windowsMs).toEqual({'1m': 8000, '5m': 20_000});
		expect(plan.triggers.sloBreachForMs).toBe(5000);
		expect(plan.triggers.errorBurst).toEqual({threshold: 0.02, intervals: 3});
		expect(plan.environments['demo']!.baseUrl).toBe('http://127.0.0.1:41234');
		expect(plan.cloudwatch).toMatchObject({endpoint: 'http://127.0.0.1:41235', region: 'us-east-1', pollIntervalMs: 2000, alarms: {prefix: 'statusboard-'}});
		expect(Object.fromEntries(plan.probes.map((p) => [p.id, p.ratePerSec]))).toEqual({board: 20, drawer: 20, stats: 5, move: 10, health: 2});
		expect(plan.probes.find((p) => p.id === 'move')).toMatchObject({kind: 'occ-move', method: 'PATCH', path: '/api/admin/appointments/{id}/move'});
		expect(plan.probes.find((p) => p.id === 'drawer')?.ids).toHaveLength(150);
	});
});

function capture(): {stream: PassThrough; text: () => string} {
	const stream = new PassThrough();
	const chunks: Buffer[] = [];
	stream.on('data', (c: Buffer) => chunks.push(c));
	return {stream, text: () => Buffer.concat(chunks).toString('utf8')};
}

describe('golive init', () => {
	test('writes golive.json from the statusboard preset that loads, and says what to edit', async () => {
		const cwd = mkdtempSync(path.join(dir, 'a-'));
		const out = capture();
		const err = capture();
		const code = await runInitCommand([], {stdout: out.stream, stderr: err.stream, env: {}, cwd});
		expect(code).toBe(0);
		expect(err.text()).toBe('');
		const loaded = loadPlan(path.join(cwd, 'golive.json'), env);
		if (!loaded.ok) throw new Error(formatPlanErrors(loaded.errors));
		expect(loaded.plan.service).toBe('StatusBoardV2');
		expect(out.text()).toContain('Export the variables it reads: STAGING_URL, PROD_URL (and API_TOKEN for request headers');
		expect(out.text()).toContain('golive check --gate A --sign-off product_owner="Name" --sign-off eng_lead="Name"');
	});

	test('refuses to overwrite without --force; --force overwrites', async () => {
		const cwd = mkdtempSync(path.join(dir, 'b-'));
		const file = path.join(cwd, 'my-plan.json');
		writeFileSync(file, 'keep me');
		const err = capture();
		const refused = await runInitCommand(['--out', 'my-plan.json', '--preset', 'teei'], {stdout: capture().stream, stderr: err.stream, env: {}, cwd});
		expect(refused).toBe(1);
		expect(err.text()).toContain('my-plan.json already exists');
		expect(readFileSync(file, 'utf8')).toBe('keep me');
		const forced = await runInitCommand(['--out', 'my-plan.json', '--preset', 'teei', '--force'], {
			stdout: capture().stream,
			stderr: capture().stream,
			env: {},
			cwd,
		});
		expect(forced).toBe(0);
		expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(teeiPreset());
	});

	test('unknown preset or flag → exit 2 with a hint', async () => {
		const err = capture();
		expect(await runInitCommand(['--preset', 'nope'], {stdout: capture().stream, stderr: err.stream, env: {}, cwd: dir})).toBe(2);
		expect(err.text()).toContain('unknown preset "nope" (expected one of: statusboard, commander, fleet-manager, teei)');
		expect(await runInitCommand(['--bogus'], {stdout: capture().stream, stderr: capture().stream, env: {}, cwd: dir})).toBe(2);
	});
});
