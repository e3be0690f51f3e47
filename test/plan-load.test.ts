import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {afterAll, describe, expect, test} from 'vitest';
import type {Plan} from '../source/core/plan-types.js';
import {defaultPlanFile, formatPlanErrors, loadPlan, parsePlanText, resolvePlanFile, validatePlan, type PlanError} from '../source/plan/load-plan.js';
import {interpolateString} from '../source/plan/interpolate.js';
import {findJsonSyntaxError} from '../source/plan/json-position.js';

const dir = mkdtempSync(path.join(tmpdir(), 'golive-plan-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const env = {STAGING_URL: 'https://staging.example.com', PROD_URL: 'https://example.com', API_TOKEN: 'tok-sEcReT-123456'};

/** A small plan as a user would write it: only required fields, defaults left out. */
function minimalPlan(): Record<string, unknown> {
	return {
		version: 1,
		service: 'StatusBoardV2',
		environment: 'staging',
		environments: {staging: {baseUrl: '${STAGING_URL}'}, production: {baseUrl: '${PROD_URL}'}},
		probes: [
			{id: 'board', label: 'Board', method: 'GET', path: '/api/admin/appointments/board', ratePerSec: 2, headers: {Authorization: 'Bearer ${API_TOKEN}'}},
			{id: 'drawer', label: 'Drawer', method: 'GET', path: '/api/admin/appointments/{id}', ids: ['apt-1001'], ratePerSec: 2},
		],
		slos: [
			{id: 'board_p95', label: 'Board p95', source: {kind: 'probe', probe: 'board', stat: 'p95'}, window: '1m', op: '<', threshold: 800, unit: 'ms'},
			{id: 'api_p95', label: 'API p95', source: {kind: 'cloudwatch', metric: 'api_p95'}, window: '5m', op: '<', threshold: 800, unit: 'ms'},
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
			setFlag: {
				kind: 'http',
				method: 'PUT',
				url: '${PROD_URL}/api/admin/feature-flags',
				headers: {Authorization: 'Bearer ${API_TOKEN}'},
				body: {flag: '{flag}', rolloutPercent: '{percent}'},
			},
			readBack: {url: '${PROD_URL}/api/admin/feature-flags', percentPath: 'flags.STATUS_BOARD_V2_ENABLED.rolloutPercent'},
			fullRollback: {kind: 'command', argv: ['./rollback.sh', 'full', '--reason', '{reason}']},
		},
		cloudwatch: {
			region: 'us-east-1',
			metrics: [{id: 'api_p95', label: 'Latency p95', namespace: 'AWS/ApiGateway', metricName: 'Latency', stat: 'p95', periodSec: 60}],
			alarms: {prefix: 'statusboard-'},
		},
		gates: [
			{id: 'a_uat', gate: 'A', label: 'UAT', kind: 'manual', roles: ['product_owner', 'eng_lead', 'qa_lead'], minApprovals: 2},
			{id: 'b_tls', gate: 'B', label: 'TLS', kind: 'auto', check: {kind: 'tls', host: '${PROD_URL}'}},
		],
	};
}

let fileCounter = 0;
function writePlan(content: unknown): string {
	const file = path.join(dir, `plan-${fileCounter++}.json`);
	writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
	return file;
}

function errorsOf(document: unknown, environment: NodeJS.ProcessEnv = env): PlanError[] {
	const result = validatePlan(document, environment, 'golive.json');
	if (result.ok) throw new Error('expected the plan to be rejected');
	return result.errors;
}

// Mutations write wrong types on purpose; `any` is the honest type for that.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function mutate(change: (plan: Record<string, any>) => void): Record<string, unknown> {
	const plan = minimalPlan();
	change(plan);
	return plan;
}

describe('loadPlan: a valid plan file', () => {
	test('loads, interpolates URLs, fills every documented default', () => {
		const result = loadPlan(writePlan(minimalPlan()), env);
		if (!result.ok) throw new Error(formatPlanErrors(result.errors));
		const plan: Plan = result.plan;
		expect(plan.environments['staging']!.baseUrl).toBe('https://staging.example.com');
		expect(plan.actions.setFlag.kind === 'http' && plan.actions.setFlag.url).toBe('https://example.com/api/admin/feature-flags');
		expect(plan.probes[0]!.timeoutMs).toBe(5000);
		expect(plan.probes[0]!.maxResponseBytes).toBe(1_048_576);
		expect(plan.probes[0]!.kind).toBe('read');
		expect(plan.slos[0]).toMatchObject({minSamples: 20, onNoData: 'hold', maxAgeMs: 180_000});
		expect(plan.canary.holdOnInsufficientData).toBe(true);
		expect(plan.triggers).toEqual({sloBreachForMs: 600_000, errorBurst: {threshold: 0.02, intervals: 3}, alarm: true});
		expect(plan.actions.setFlag.timeoutMs).toBe(5000);
		expect(plan.actions.readBack.timeoutMs).toBe(5000);
		expect(plan.actions.fullRollback?.timeoutMs).toBe(300_000);
		expect(plan.cloudwatch?.pollIntervalMs).toBe(60_000);
		// 3 × max(poll 60 s, period 60 s); a CloudWatch rule inherits it.
		expect(plan.cloudwatch?.maxAgeMs).toBe(180_000);
		expect(plan.slos[1]!.maxAgeMs).toBe(180_000);
		expect(plan.gates[1]!.kind === 'auto' && plan.gates[1]!.check).toEqual({kind: 'tls', host: 'https://example.com', minDays: 30});
	});

	test('header values keep their ${…} tokens: the secret never enters the Plan', () => {
		const result = loadPlan(writePlan(minimalPlan()), env);
		if (!result.ok) throw new Error(formatPlanErrors(result.errors));
		expect(result.plan.probes[0]!.headers).toEqual({Authorization: 'Bearer ${API_TOKEN}'});
		expect(result.plan.actions.setFlag.kind === 'http' && result.plan.actions.setFlag.headers).toEqual({Authorization: 'Bearer ${API_TOKEN}'});
		expect(JSON.stringify(result.plan)).not.toContain(env.API_TOKEN);
		// …and an unset header variable is not a load error (it is resolved, or refused, at request time).
		const withoutToken = loadPlan(writePlan(minimalPlan()), {STAGING_URL: env.STAGING_URL, PROD_URL: env.PROD_URL});
		expect(withoutToken.ok).toBe(true);
	});

	test('a UTF-8 BOM and an editor "$schema" key are accepted; $schema does not reach the Plan', () => {
		const file = writePlan(`\uFEFF${JSON.stringify({$schema: './golive.schema.json', ...minimalPlan()})}`);
		const result = loadPlan(file, env);
		if (!result.ok) throw new Error(formatPlanErrors(result.errors));
		expect('$schema' in result.plan).toBe(false);
	});

	test('does not modify the document it validates', () => {
		const document = minimalPlan();
		const before = JSON.stringify(document);
		expect(validatePlan(document, env).ok).toBe(true);
		expect(JSON.stringify(document)).toBe(before);
	});

	test(`the default plan file is ${defaultPlanFile} in the working directory`, () => {
		expect(resolvePlanFile(undefined, '/srv/launch')).toBe('/srv/launch/golive.json');
		expect(resolvePlanFile('plans/x.json', '/srv/launch')).toBe('/srv/launch/plans/x.json');
		expect(resolvePlanFile('/abs/p.json', '/srv/launch')).toBe('/abs/p.json');
	});
});

describe('loadPlan: errors name the file, the field and what was expected', () => {
	test('wrong type, formatted as one line', () => {
		const errors = errorsOf(mutate((p) => (p.slos[0].threshold = '800ms')));
		expect(formatPlanErrors(errors)).toBe('golive.json: /slos/0/threshold: must be number (got "800ms")');
	});

	test('unknown field, with the allowed ones', () => {
		const errors = errorsOf(mutate((p) => (p.canary.stagez = [10])));
		expect(errors).toHaveLength(1);
		expect(errors[0]!.path).toBe('/canary/stagez');
		expect(errors[0]!.message).toMatch(/^unknown field; expected one of: flag, stages, /);
	});

	test('"__proto__" is an unknown field, not a prototype swap', () => {
		const file = writePlan(JSON.stringify(minimalPlan()).replace('"version":1', '"__proto__":{"x":1},"version":1'));
		const result = loadPlan(file, env);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors.map((e) => e.path)).toContain('/__proto__');
	});

	test('missing required field', () => {
		const errors = errorsOf(mutate((p) => delete p.canary.stages));
		expect(formatPlanErrors(errors)).toBe('golive.json: /canary/stages: is required but missing');
	});

	test('bad enum and bad union tag list the allowed values', () => {
		const errors = errorsOf(
			mutate((p) => {
				p.slos[0].window = '10m';
				p.slos[0].source.kind = 'prometheus';
			}),
		);
		expect(formatPlanErrors(errors)).toContain('/slos/0/window: must be one of "1m", "5m" (got "10m")');
		expect(formatPlanErrors(errors)).toContain('/slos/0/source/kind: must be one of "probe", "cloudwatch", "fleet" (got "prometheus")');
	});

	test('a missing env var names the variable AND the field; ${NAME:-default} and $${ work', () => {
		const errors = errorsOf(minimalPlan(), {PROD_URL: env.PROD_URL});
		expect(errors).toEqual([
			{
				file: 'golive.json',
				path: '/environments/staging/baseUrl',
				message: 'environment variable STAGING_URL is not set (export STAGING_URL=… or write ${STAGING_URL:-default})',
			},
		]);
		const withDefault = validatePlan(
			mutate((p) => (p.environments.staging.baseUrl = '${STAGING_URL:-http://127.0.0.1:8080}')),
			{PROD_URL: env.PROD_URL},
		);
		expect(withDefault.ok && withDefault.plan.environments['staging']!.baseUrl).toBe('http://127.0.0.1:8080');
		expect(interpolateString('a $${X} b', {}, '/x')).toEqual({value: 'a ${X} b', errors: []});
		expect(interpolateString('${1BAD}', {}, '/x').errors[0]!.message).toContain('not a valid reference');
		expect(interpolateString('${OPEN', {}, '/x').errors[0]!.message).toContain('unterminated');
		// Empty counts as unset, so a blank URL cannot slip through.
		expect(interpolateString('${E}', {E: ''}, '/x').errors).toHaveLength(1);
	});

	test('stages must be strictly ascending, in (0, 100], ending at 100', () => {
		expect(formatPlanErrors(errorsOf(mutate((p) => (p.canary.stages = [10, 50, 30, 100]))))).toBe(
			'golive.json: /canary/stages/2: stages must be strictly ascending: 30 does not follow 50',
		);
		expect(formatPlanErrors(errorsOf(mutate((p) => (p.canary.stages = [10, 30, 50]))))).toBe(
			'golive.json: /canary/stages/2: the last stage must be 100 (got 50)',
		);
		expect(errorsOf(mutate((p) => (p.canary.stages = [0, 100])))[0]).toMatchObject({
			path: '/canary/stages/0',
			message: 'must be a percentage in (0, 100] (got 0)',
		});
		expect(errorsOf(mutate((p) => (p.canary.stages = [10, 10, 100])))[0]!.path).toBe('/canary/stages/1');
		expect(errorsOf(mutate((p) => (p.canary.stages = [50, 150])))[0]!.path).toBe('/canary/stages/1');
	});

	test('references must resolve and ids must be unique', () => {
		const errors = errorsOf(
			mutate((p) => {
				p.environment = 'prod';
				p.probes[1].id = 'board';
				p.slos[0].source.probe = 'bord';
				p.slos[1].source.metric = 'api_p99';
				p.gates[1].id = 'a_uat';
				p.canary.abort.latency.probe = 'nope';
			}),
		);
		const text = formatPlanErrors(errors);
		expect(text).toContain('/environment: must name a key of /environments: "staging", "production" (got "prod")');
		expect(text).toContain('/probes/1/id: duplicate probe id "board" (already used at /probes/0)');
		expect(text).toContain('/slos/0/source/probe: must name a probe in /probes');
		expect(text).toContain('/slos/1/source/metric: must name a metric in /cloudwatch/metrics: "api_p95" (got "api_p99")');
		expect(text).toContain('/gates/1/id: duplicate gate item id "a_uat"');
		expect(text).toContain('/canary/abort/latency/probe: must name a probe');
		const noCloudWatch = errorsOf(mutate((p) => delete p.cloudwatch));
		expect(noCloudWatch[0]).toMatchObject({
			path: '/slos/1/source/metric',
			message: 'reads CloudWatch metric "api_p95" but the plan has no /cloudwatch section',
		});
	});

	test('a health check URL must be absolute (it names the environment it checks)', () => {
		const errors = errorsOf(
			mutate((p) => p.gates.push({id: 'b_health', gate: 'B', label: 'Health', kind: 'auto', check: {kind: 'health', url: '/api/health'}})),
		);
		expect(formatPlanErrors(errors)).toBe('golive.json: /gates/2/check/url: must be an absolute http:// or https:// URL (got "/api/health")');
	});

	test('durations must be positive; ratios within [0, 1]', () => {
		const text = formatPlanErrors(
			errorsOf(
				mutate((p) => {
					p.canary.stageDurationMs = 0;
					p.canary.checkIntervalMs = -5;
					p.canary.abort.errorRate = 1.5;
				}),
			),
		);
		expect(text).toContain('/canary/stageDurationMs: must be > 0 (got 0)');
		expect(text).toContain('/canary/checkIntervalMs: must be > 0 (got -5)');
		expect(text).toContain('/canary/abort/errorRate: must be <= 1 (got 1.5)');
	});

	test('JSON syntax errors point at line:column', () => {
		const result = loadPlan(writePlan('{\n  "version": 1,\n}\n'), env);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors[0]).toMatchObject({line: 3, column: 1});
		expect(formatPlanErrors(result.errors)).toMatch(
			/^plan-\d+\.json:3:1: invalid JSON: expected a double-quoted property name, found "}\\n"$|:3:1: invalid JSON/,
		);
		const unclosed = parsePlanText('{"a": [1, 2', env, 'golive.json');
		expect(!unclosed.ok && formatPlanErrors(unclosed.errors)).toBe(
			"golive.json:1:12: invalid JSON: expected ',' or ']' after the array element, found end of file",
		);
	});

	test('a missing file says how to get one', () => {
		const result = loadPlan(path.join(dir, 'absent.json'), env);
		expect(!result.ok && result.errors[0]!.message).toContain('golive init');
	});

	test('never throws on arbitrary text; every syntax error is located inside the text', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.string({maxLength: 60}),
					fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1))),
				),
				(text) => {
					const result = parsePlanText(text, env, 'x.json');
					expect(result.ok).toBe(false);
					let valid = true;
					try {
						JSON.parse(text);
					} catch {
						valid = false;
					}
					const where = findJsonSyntaxError(text);
					// The scanner agrees with JSON.parse on validity…
					expect(where === null).toBe(valid);
					// …and points inside the text (or just past its end).
					if (where) expect(where.offset).toBeLessThanOrEqual(text.length);
				},
			),
			{numRuns: 500},
		);
	});
});
