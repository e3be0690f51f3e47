/**
 * The pure decisions behind "the rollback held" and "health is back": the
 * backoff schedule, the retry budget, the clean-response run and the
 * mitigation verdict. No I/O, clock injected.
 */
import {describe, expect, it} from 'vitest';
import {initialCanaryState, reduceCanary} from '../source/core/canary-machine.js';
import type {CanaryEvent, CanaryState} from '../source/core/canary-types.js';
import type {RuleResult} from '../source/core/decision-types.js';
import {advanceCleanRun, mitigationVerdict, startCleanRun} from '../source/core/mitigation-verdict.js';
import {rollbackBackoff, rollbackRetryDelayMs} from '../source/core/rollback-retry.js';
import {greenInput, seedPlan, t0} from './helpers/plan-fixture.js';

const plan = {...seedPlan(), actions: {...seedPlan().actions, rollbackRetryForMs: 20_000, postRollbackWatchMs: 60_000}};

describe('rollback backoff', () => {
	it('doubles from 0.5 s to a 10 s cap, jittered into [base/2, base]', () => {
		expect([1, 2, 3, 4, 5, 6, 7, 30].map((n) => rollbackRetryDelayMs(n, 1))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
		expect([1, 2, 6].map((n) => rollbackRetryDelayMs(n, 0))).toEqual([250, 500, 5000]);
		for (let n = 1; n < 40; n++) {
			for (const j of [0, 0.3, 0.99, Number.NaN, -5, 7]) {
				const d = rollbackRetryDelayMs(n, j);
				expect(d).toBeGreaterThanOrEqual(rollbackBackoff.firstMs / 2);
				expect(d).toBeLessThanOrEqual(rollbackBackoff.capMs);
			}
		}
	});
});

describe('a rollback that keeps failing', () => {
	const run = (events: CanaryEvent[], from: CanaryState) => events.reduce((s, e) => reduceCanary(plan, s, e).state, from);
	const live = run(
		[
			{type: 'check', input: greenInput(plan, t0)},
			{type: 'start', at: t0 + 1},
			{type: 'flag_confirmed', at: t0 + 2, percent: 10},
		],
		initialCanaryState(),
	);

	it('retries on its schedule for rollbackRetryForMs, then gives up once (headless exit 4) and keeps retrying', () => {
		let state = reduceCanary(plan, live, {type: 'rollback', at: t0 + 10, rollback: 'emergency', reason: 'x', by: 'operator'}).state;
		let at = t0 + 20;
		let writes = 1;
		let announcements = 0;
		while (at < t0 + 40_000) {
			const failed = reduceCanary(plan, state, {type: 'action_failed', at, action: 'set_flag', detail: 'HTTP 500; flag reads 30 %', requested: 0, jitter: 0.5});
			announcements += failed.effects.filter((e) => e.kind === 'announce').length;
			state = failed.state;
			expect(state.pending?.nextTryAt).toBeGreaterThan(at);
			at = state.pending!.nextTryAt!;
			const due = reduceCanary(plan, state, {type: 'retry_due', at});
			writes += due.effects.filter((e) => e.kind === 'set_flag').length;
			state = due.state;
		}
		// 0.375 s, 0.75, 1.5, 3, 6, 7.5, 7.5 … (jitter 0.5): about ten tries in 40 s, not three in 35 ms.
		expect(writes).toBeGreaterThanOrEqual(6);
		expect(writes).toBeLessThanOrEqual(14);
		expect(state.pending).toMatchObject({purpose: 'rollback', gaveUp: true});
		expect(state.phase.kind).toBe('rolled_back');
		expect(announcements).toBe(1);
		expect(state.lastDecision?.kind).toBe('abort');
		expect(state.lastDecision?.reason).toMatch(
			/^ROLLBACK FAILED after \d+ tries over \d+ s \(HTTP 500; flag reads 30 %\): set STATUS_BOARD_V2_ENABLED to 0% by hand now; golive keeps retrying$/,
		);
		// It still holds when the flag API comes back.
		const held = reduceCanary(plan, state, {type: 'flag_confirmed', at: at + 1, percent: 0, requested: 0});
		expect(held.state.pending).toBeNull();
	});
});

function rule(id: string, status: RuleResult['status'], ageMs: number | null): RuleResult {
	return {ruleId: id, label: id, status, value: 1, threshold: 2, op: '<', unit: 'ms', window: '1m', samples: 50, ageMs, source: `probe:${id}`};
}

describe('clean responses in a row', () => {
	it('counts successes only; a timeout, a 5xx or a canary response restarts the run', () => {
		let run = startCleanRun({requests: 100, successes: 90, canary: 40});
		let step = advanceCleanRun(run, {requests: 130, successes: 120, canary: 40});
		expect(step.inARow).toBe(30);
		run = step.run;
		// 20 requests, 19 successes: one timed out.
		step = advanceCleanRun(run, {requests: 150, successes: 139, canary: 40});
		expect(step.inARow).toBe(0);
		step = advanceCleanRun(step.run, {requests: 160, successes: 149, canary: 40});
		expect(step.inARow).toBe(10);
		step = advanceCleanRun(step.run, {requests: 170, successes: 159, canary: 41});
		expect(step.inARow).toBe(0);
	});

	it('a hung service: requests sent but none answered is never a clean run', () => {
		const run = startCleanRun({requests: 100, successes: 100, canary: 0});
		// Every probe timed out: 57 requests, 0 successes.
		expect(advanceCleanRun(run, {requests: 157, successes: 100, canary: 0}).inARow).toBe(0);
	});
});

describe('mitigation verdict', () => {
	const rules = (status: RuleResult['status'], ageMs: number | null) => plan.slos.map((s) => rule(s.id, status, ageMs));
	const base = {appliedAt: t0, canaryVariant: 'v2'};

	it('verified only with enough clean responses and every rule passing on data since the rollback', () => {
		expect(mitigationVerdict(plan, {...base, at: t0 + 5000, inARow: 25, rules: rules('PASS', 100)})).toMatchObject({kind: 'verified'});
		expect(mitigationVerdict(plan, {...base, at: t0 + 5000, inARow: 19, rules: rules('PASS', 100)})).toMatchObject({
			kind: 'watching',
			why: expect.stringContaining('19 of 20 successful responses'),
		});
		expect(mitigationVerdict(plan, {...base, at: t0 + 5000, inARow: 25, rules: rules('NO_DATA', null)})).toMatchObject({kind: 'watching'});
		// Data older than the rollback proves nothing about the service after it.
		expect(mitigationVerdict(plan, {...base, at: t0 + 5000, inARow: 25, rules: rules('PASS', 6000)})).toMatchObject({
			kind: 'watching',
			why: expect.stringContaining('no data since the rollback'),
		});
		expect(mitigationVerdict(plan, {...base, at: t0 + 5000, inARow: 25, rules: rules('BREACH', 100)})).toMatchObject({kind: 'watching'});
	});

	it("an error-rate rule still breaching on the incident's own window is judged on the clean run since the rollback", () => {
		const errorRule = plan.slos.find((r) => r.source.kind === 'probe' && r.source.stat === 'errorRate')!;
		const mixed = plan.slos.map((s) => rule(s.id, s.id === errorRule.id ? 'BREACH' : 'PASS', 100));
		expect(mitigationVerdict(plan, {...base, at: t0 + 5000, inARow: 25, rules: mixed})).toMatchObject({kind: 'verified'});
		// Without the clean run the breach stands.
		expect(mitigationVerdict(plan, {...base, at: t0 + 5000, inARow: 3, rules: mixed})).toMatchObject({
			kind: 'watching',
			why: expect.stringContaining(`${errorRule.id} BREACH`),
		});
	});

	it('not healthy once postRollbackWatchMs passes without proof, saying why', () => {
		const verdict = mitigationVerdict(plan, {...base, at: t0 + 60_000, inARow: 0, rules: rules('NO_DATA', null)});
		expect(verdict).toMatchObject({kind: 'not_healthy'});
		expect(verdict.kind === 'not_healthy' && verdict.detail).toMatch(/0 of 20 successful responses/);
	});
});
