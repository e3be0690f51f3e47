import {describe, expect, it} from 'vitest';
import {buildCheckInput} from '../source/core/check-input.js';
import {evaluateRule, evaluateRules} from '../source/core/rules.js';
import type {SloRule} from '../source/core/plan-types.js';
import {cloudwatchSnapshot, healthyProbes, minute, probeSnapshot, seedPlan, t0} from './helpers/plan-fixture.js';

const plan = seedPlan();
const ruleOf = (id: string): SloRule => plan.slos.find((r) => r.id === id)!;
const boardP95 = ruleOf('board_p95');
const drawerAvg = ruleOf('drawer_avg');
const errorRate = ruleOf('error_rate');
const occ = ruleOf('occ_conflicts');
const apiP95 = ruleOf('api_p95');

function board(values: Parameters<typeof probeSnapshot>[2], valid = true) {
	return {probes: [probeSnapshot('board', t0, values, values, valid)], cloudwatch: null};
}

describe('evaluateRule: run-sheet boundaries', () => {
	it.each([
		[799, 'PASS'],
		[799.999, 'PASS'],
		[800, 'BREACH'],
		[912.4, 'BREACH'],
	] as const)('board p95 %s ms vs < 800 ms → %s', (p95, status) => {
		const r = evaluateRule(boardP95, board({latencyMs: {p95}}), t0);
		expect(r.status).toBe(status);
		expect(r.value).toBe(p95);
		expect(r.threshold).toBe(800);
		expect(r.samples).toBe(1500);
		expect(r.ageMs).toBe(500);
		expect(r.source).toBe('probe:board');
	});

	it('op <= passes at the threshold itself', () => {
		expect(evaluateRule({...boardP95, op: '<='}, board({latencyMs: {p95: 800}}), t0).status).toBe('PASS');
		expect(evaluateRule({...boardP95, op: '<='}, board({latencyMs: {p95: 800.001}}), t0).status).toBe('BREACH');
	});

	it.each([
		[199, 'PASS'],
		[200, 'BREACH'],
	] as const)('drawer avg %s ms → %s', (mean, status) => {
		const r = evaluateRule(drawerAvg, {probes: [probeSnapshot('drawer', t0, {latencyMs: {mean}})], cloudwatch: null}, t0);
		expect(r.status).toBe(status);
	});

	it.each([
		[14, 'PASS'],
		[15, 'BREACH'],
	] as const)('error rate %s errors of 1500 (5m) vs < 1 %% → %s', (errors, status) => {
		expect(evaluateRule(errorRate, board({errors}), t0).status).toBe(status);
	});

	it.each([
		[29, 'PASS'],
		[30, 'BREACH'],
	] as const)('OCC conflicts %s per 5 min vs < 30 → %s', (conflicts, status) => {
		const r = evaluateRule(occ, {probes: [probeSnapshot('move', t0, {conflicts})]} as never, t0);
		expect(r.status).toBe(status);
	});

	it('OCC conflicts count answers only: a frozen service (every move timed out) is NO DATA, never PASS 0', () => {
		const frozen = evaluateRule(occ, {probes: [probeSnapshot('move', t0, {requests: 40, errors: 40, conflicts: 0})]} as never, t0);
		expect(frozen.status).toBe('NO_DATA');
		expect(frozen.note).toBe('no answer to count conflicts in (40 sent, none answered)');
		// Half answered: the samples are the answers, not the sends.
		const half = evaluateRule(occ, {probes: [probeSnapshot('move', t0, {requests: 40, errors: 20, conflicts: 0})]} as never, t0);
		expect(half.samples).toBe(20);
	});
});

describe('evaluateRule: NO_DATA, never PASS on unusable data', () => {
	const cases: Array<[string, Parameters<typeof probeSnapshot>[2], RegExp, boolean?]> = [
		['empty window', {requests: 0, latencyMs: {p95: Number.NaN}, lastSampleAt: null}, /empty window/],
		['NaN value', {latencyMs: {p95: Number.NaN}}, /NaN/],
		['+Infinity', {latencyMs: {p95: Number.POSITIVE_INFINITY}}, /Infinity/],
		['-Infinity (would pass < 800)', {latencyMs: {p95: Number.NEGATIVE_INFINITY}}, /-Infinity/],
		['no sample timestamp', {lastSampleAt: null}, /no sample timestamp/],
		['too few samples (19 < 20)', {requests: 19}, /too few samples \(19 < 20\)/],
		['scheduler invalid', {}, /scheduler/, false],
	];
	it.each(cases)('%s', (_name, values, note, valid = true) => {
		const r = evaluateRule(boardP95, board(values, valid), t0);
		expect(r.status).toBe('NO_DATA');
		expect(r.note).toMatch(note);
	});

	it('a value older than maxAgeMs (3 check intervals) is STALE, never PASS, and says how old', () => {
		const r = evaluateRule(boardP95, board({lastSampleAt: t0 - 3 * minute - 1}), t0);
		expect(r.status).toBe('STALE');
		expect(Number.isFinite(r.value)).toBe(true);
		expect(r.note).toBe('stale: newest data 3min old > 3min');
	});

	it('a stale CloudWatch value stays STALE while the source is down, naming both', () => {
		const metrics = [{id: 'api_p95', label: 'x', value: 10, timestamp: t0 - 4 * minute, statusCode: 'Complete'}];
		expect(evaluateRule(apiP95, {probes: [], cloudwatch: cloudwatchSnapshot(t0, {metrics})}, t0).status).toBe('STALE');
		const down = evaluateRule(
			apiP95,
			{probes: [], cloudwatch: cloudwatchSnapshot(t0, {metrics, state: {kind: 'error', code: 'unreachable', message: 'connect ECONNREFUSED'}})},
			t0,
		);
		expect(down.status).toBe('STALE');
		expect(down.note).toMatch(/^stale: newest data 4min old > \d+min; CloudWatch error \(unreachable/);
	});

	it('fresh at exactly maxAgeMs passes; 20 samples pass', () => {
		expect(evaluateRule(boardP95, board({lastSampleAt: t0 - 3 * minute}), t0).status).toBe('PASS');
		expect(evaluateRule(boardP95, board({requests: 20}), t0).status).toBe('PASS');
	});

	it('missing probe is NO_DATA', () => {
		const r = evaluateRule(boardP95, {probes: [], cloudwatch: null}, t0);
		expect(r).toMatchObject({status: 'NO_DATA', samples: 0, ageMs: null});
		expect(r.note).toMatch(/no data from probe board/);
	});

	it("onNoData 'fail' turns no data into BREACH with a note", () => {
		const r = evaluateRule({...boardP95, onNoData: 'fail'}, board({latencyMs: {p95: Number.NaN}}), t0);
		expect(r.status).toBe('BREACH');
		expect(r.note).toMatch(/onNoData: fail/);
	});
});

describe('evaluateRule: CloudWatch sources', () => {
	it('a Complete fresh datapoint passes as 1 sample', () => {
		const r = evaluateRule(apiP95, {probes: [], cloudwatch: cloudwatchSnapshot(t0)}, t0);
		expect(r).toMatchObject({status: 'PASS', samples: 1, value: 300, ageMs: minute, source: 'cloudwatch:api_p95'});
	});

	it('breach at the threshold', () => {
		const cw = cloudwatchSnapshot(t0, {metrics: [{id: 'api_p95', label: 'x', value: 1000, timestamp: t0 - 1000, statusCode: 'Complete'}]});
		expect(evaluateRule(apiP95, {probes: [], cloudwatch: cw}, t0).status).toBe('BREACH');
	});

	it.each([
		['PartialData', {metrics: [{id: 'api_p95', label: 'x', value: 10, timestamp: t0 - 1000, statusCode: 'PartialData'}]}, /PartialData/],
		['no datapoint', {metrics: [{id: 'api_p95', label: 'x', value: Number.NaN, timestamp: null, statusCode: 'Complete'}]}, /empty window/],
		['source error', {state: {kind: 'error', code: 'expired_token', message: 'token expired'}}, /expired_token/],
		['metric missing', {metrics: []}, /no metric api_p95/],
	] as const)('%s → NO_DATA', (_name, overrides, note) => {
		const r = evaluateRule(apiP95, {probes: [], cloudwatch: cloudwatchSnapshot(t0, overrides as never)}, t0);
		expect(r.status).toBe('NO_DATA');
		expect(r.note).toMatch(note);
	});

	it('minSamples above 1 can never be met by one datapoint', () => {
		const r = evaluateRule({...apiP95, minSamples: 2}, {probes: [], cloudwatch: cloudwatchSnapshot(t0)}, t0);
		expect(r.status).toBe('NO_DATA');
	});

	it('no snapshot → NO_DATA', () => {
		expect(evaluateRule(apiP95, {probes: [], cloudwatch: null}, t0).status).toBe('NO_DATA');
	});
});

describe('buildCheckInput', () => {
	it('blends the error rate over the 1m windows weighted by requests', () => {
		const probes = [
			probeSnapshot('board', t0, {requests: 300, errors: 3}),
			probeSnapshot('drawer', t0, {requests: 100, errors: 5}),
			probeSnapshot('move', t0, {requests: 100, errors: 0}),
		];
		const input = buildCheckInput(plan, {probes, cloudwatch: cloudwatchSnapshot(t0)}, t0);
		expect(input.errorRate).toBeCloseTo(8 / 500, 12);
		expect(input.errorRateSamples).toBe(500);
		expect(input.latencyMs).toBe(200);
		expect(input.alarmsKnown).toBe(true);
		// board's own 5m error rate is exactly 1 %: the rule (< 1 %) is breached while the blend is under.
		expect(input.rules.map((r) => r.status)).toEqual(['PASS', 'PASS', 'BREACH', 'PASS', 'PASS']);
		expect(buildCheckInput(plan, {probes: healthyProbes(t0), cloudwatch: cloudwatchSnapshot(t0)}, t0).rules.every((r) => r.status === 'PASS')).toBe(true);
	});

	it('unknown numbers are NaN, not 0', () => {
		const input = buildCheckInput(plan, {probes: [], cloudwatch: null}, t0);
		expect(input.errorRate).toBeNaN();
		expect(input.latencyMs).toBeNaN();
		expect(input.alarmsKnown).toBe(false);
		expect(evaluateRules(plan, {probes: [], cloudwatch: null}, t0).every((r) => r.status === 'NO_DATA')).toBe(true);
	});

	it('leaves out stale probes but keeps errors seen on fresh ones', () => {
		const probes = [
			probeSnapshot('board', t0, {requests: 100, errors: 50}),
			probeSnapshot('drawer', t0, {requests: 1000, errors: 0, lastSampleAt: t0 - 10 * minute}),
		];
		const input = buildCheckInput(plan, {probes, cloudwatch: null}, t0);
		expect(input.errorRate).toBe(0.5);
	});

	it('alarms are unknown when a plan alarm is missing or CloudWatch errs', () => {
		expect(buildCheckInput(plan, {probes: healthyProbes(t0), cloudwatch: cloudwatchSnapshot(t0, {missingAlarms: ['sb-5xx']})}, t0).alarmsKnown).toBe(false);
		expect(
			buildCheckInput(plan, {probes: healthyProbes(t0), cloudwatch: cloudwatchSnapshot(t0, {state: {kind: 'degraded', why: 'throttled', retryInMs: 5000}})}, t0)
				.alarmsKnown,
		).toBe(false);
	});
});
