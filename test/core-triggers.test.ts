import {describe, expect, it} from 'vitest';
import {initialCanaryState, reduceCanary} from '../source/core/canary-machine.js';
import type {CanaryEvent, CanaryState, CheckInput} from '../source/core/canary-types.js';
import type {RuleResult} from '../source/core/decision-types.js';
import {canaryAbortDecisions, evaluateTriggers, updateBreachSince, updateErrorBurst} from '../source/core/triggers.js';
import {alarm, greenInput, minute, seedPlan, t0} from './helpers/plan-fixture.js';

const plan = seedPlan();

function withRule(input: CheckInput, ruleId: string, patch: Partial<RuleResult>): CheckInput {
	return {...input, rules: input.rules.map((r) => (r.ruleId === ruleId ? {...r, ...patch} : r))};
}

const breach = (at: number) => withRule(greenInput(plan, at, {latencyMs: 900}), 'board_p95', {status: 'BREACH', value: 912.4, samples: 3120, ageMs: 2000});
const noData = (at: number) =>
	withRule(greenInput(plan, at, {errorRate: Number.NaN, latencyMs: Number.NaN}), 'board_p95', {status: 'NO_DATA', value: Number.NaN, note: 'stale'});

/** A canary live at 10 % (flag confirmed) at t0. */
function liveAt10(): CanaryState {
	let state = initialCanaryState();
	state = reduceCanary(plan, state, {type: 'check', input: greenInput(plan, t0 - minute)}).state;
	state = reduceCanary(plan, state, {type: 'start', at: t0 - minute + 1}).state;
	state = reduceCanary(plan, state, {type: 'flag_confirmed', at: t0 - minute + 2, percent: 10}).state;
	expect(state.phase.kind).toBe('stage');
	return state;
}

function feed(state: CanaryState, events: CanaryEvent[]) {
	let s = state;
	const effects = [];
	for (const e of events) {
		const step = reduceCanary(plan, s, e);
		s = step.state;
		effects.push(...step.effects);
	}

	return {state: s, effects};
}

describe('sustained SLO breach: 9:59 vs 10:00', () => {
	it('does not fire at 9:59, fires at 10:00 with the rule named', () => {
		const start = liveAt10();
		const atNineFiftyNine = feed(start, [
			{type: 'check', input: breach(t0)},
			{type: 'check', input: breach(t0 + 59_000)},
			...Array.from({length: 9}, (_, i) => ({type: 'check' as const, input: breach(t0 + (i + 1) * minute - 1000)})),
		]);
		expect(atNineFiftyNine.state.breachSince.board_p95).toBe(t0);
		// Last check above is at t0 + 8:59; now 9:59 exactly.
		const nine59 = reduceCanary(plan, atNineFiftyNine.state, {type: 'check', input: breach(t0 + 9 * minute + 59_000)});
		expect(nine59.state.phase.kind).toBe('stage');
		expect(nine59.effects).toEqual([]);
		const ten = reduceCanary(plan, nine59.state, {type: 'check', input: breach(t0 + 10 * minute)});
		expect(ten.state.phase.kind).toBe('rolled_back');
		expect(ten.effects[0]).toMatchObject({kind: 'set_flag', percent: 0});
		const d = ten.state.lastDecision!;
		expect(d).toMatchObject({kind: 'rollback', trigger: 'slo_breach_sustained', fromPercent: 10, toPercent: 0});
		expect(d.reason).toBe('board_p95 breached for 10:00 (limit 10:00): board_p95 BREACH 912 ms ≥ 800 ms (5m, 3120 samples, age 2s)');
		expect(d.evidence[0]).toMatchObject({ruleId: 'board_p95', window: '5m', value: 912.4, threshold: 800, samples: 3120, ageMs: 2000});
		expect(ten.effects.find((e) => e.kind === 'announce')?.decision.reason).toBe(
			'Canary 10% FAILED - board_p95 breach detected: board_p95 912ms vs 800ms (5m, 3120 samples). Executing emergency rollback immediately.',
		);
	});

	it('a PASS ends the breach; NO_DATA does not', () => {
		const rules = (status: RuleResult['status']) => withRule(greenInput(plan, 0), 'board_p95', {status}).rules;
		let since = updateBreachSince({}, rules('BREACH'), t0);
		since = updateBreachSince(since, rules('NO_DATA'), t0 + minute);
		expect(since.board_p95).toBe(t0);
		since = updateBreachSince(since, rules('BREACH'), t0 + 2 * minute);
		expect(since.board_p95).toBe(t0);
		since = updateBreachSince(since, rules('PASS'), t0 + 3 * minute);
		expect(since.board_p95).toBeUndefined();
		// NO_DATA alone never starts one.
		expect(updateBreachSince({}, rules('NO_DATA'), t0)).toEqual({});
	});
});

describe('error burst: 3rd vs 2nd consecutive interval', () => {
	const burst = (at: number, rate: number) => greenInput(plan, at, {errorRate: rate, errorRateSamples: 600});

	it('holds after 2 intervals > 2 %, rolls back at the 3rd', () => {
		// The canary abort (> 1 %) would fire first in a stage, so test the burst on its own tracking.
		let tracking = {breachSince: {}, errorBurstCount: 0};
		const fired: string[][] = [];
		for (const [i, rate] of [0.021, 0.025, 0.03].entries()) {
			const r = evaluateTriggers({...plan, canary: {...plan.canary, abort: {...plan.canary.abort, errorRate: 1}}}, tracking, burst(t0 + i * minute, rate), 30);
			tracking = r;
			fired.push(r.fired.map((d) => d.trigger!));
		}

		expect(fired).toEqual([[], [], ['error_burst']]);
		expect(tracking.errorBurstCount).toBe(3);
	});

	it('exactly 2 % does not count; a known good interval resets; NO_DATA neither counts nor resets', () => {
		expect(updateErrorBurst(2, 0.02, 0.02)).toBe(0);
		expect(updateErrorBurst(2, 0.0201, 0.02)).toBe(3);
		expect(updateErrorBurst(2, 0.001, 0.02)).toBe(0);
		expect(updateErrorBurst(2, Number.NaN, 0.02)).toBe(2);
		expect(updateErrorBurst(2, Number.POSITIVE_INFINITY, 0.02)).toBe(2);
	});
});

describe('canary abort at a check', () => {
	it.each([
		[0.01, 412, []],
		[0.0101, 412, ['canary_error_rate']],
		[0.002, 2000, []],
		[0.002, 2001, ['canary_latency']],
		[0.05, 2500, ['canary_error_rate', 'canary_latency']],
		[Number.NaN, Number.NaN, []],
	] as const)('error %s, latency %s ms → %j', (errorRate, latencyMs, expected) => {
		const decisions = canaryAbortDecisions(plan, greenInput(plan, t0, {errorRate, latencyMs}), 30);
		expect(decisions.map((d) => d.trigger)).toEqual(expected);
	});

	it('1.01 % at 30 % rolls back at once with the number in the reason', () => {
		const {state} = feed(liveAt10(), []);
		const step = reduceCanary(plan, state, {type: 'check', input: greenInput(plan, t0, {errorRate: 0.0101, errorRateSamples: 990, errorRateAgeMs: 1000})});
		expect(step.state.phase.kind).toBe('rolled_back');
		expect(step.state.lastDecision?.reason).toBe('canary error rate 1.01 % > 1 % at 10% (1m, 990 samples, age 1s)');
		expect(step.effects.filter((e) => e.kind === 'set_flag')).toEqual([expect.objectContaining({percent: 0})]);
	});

	it('2001 ms rolls back, 2000 ms does not', () => {
		const live = liveAt10();
		expect(reduceCanary(plan, live, {type: 'check', input: greenInput(plan, t0, {latencyMs: 2000})}).state.phase.kind).toBe('stage');
		expect(reduceCanary(plan, live, {type: 'check', input: greenInput(plan, t0, {latencyMs: 2001})}).state.lastDecision?.trigger).toBe('canary_latency');
	});
});

describe('alarm trigger', () => {
	it('names the alarm', () => {
		const step = reduceCanary(plan, liveAt10(), {type: 'check', input: greenInput(plan, t0, {alarms: [alarm('sb-5xx', 'ALARM', t0)]})});
		expect(step.state.phase.kind).toBe('rolled_back');
		expect(step.state.lastDecision).toMatchObject({trigger: 'alarm'});
		expect(step.state.lastDecision?.reason).toMatch(/^alarm sb-5xx in ALARM/);
		expect(step.effects.find((e) => e.kind === 'announce')?.decision.reason).toBe(
			'Canary 10% FAILED - alarm:sb-5xx breach detected: sb-5xx in ALARM. Executing emergency rollback immediately.',
		);
	});

	it('INSUFFICIENT_DATA holds but does not roll back', () => {
		const step = reduceCanary(plan, liveAt10(), {type: 'check', input: greenInput(plan, t0, {alarms: [alarm('sb-5xx', 'INSUFFICIENT_DATA', t0)]})});
		expect(step.state.phase).toMatchObject({kind: 'stage', greenSince: null});
		expect(step.state.lastDecision?.reason).toMatch(/INSUFFICIENT_DATA/);
	});

	it('triggers.alarm false: ALARM holds, no rollback', () => {
		const p = seedPlan({triggers: {...plan.triggers, alarm: false}});
		const step = reduceCanary(p, liveAt10(), {type: 'check', input: greenInput(p, t0, {alarms: [alarm('sb-5xx', 'ALARM', t0)]})});
		expect(step.state.phase.kind).toBe('stage');
		expect(step.effects).toEqual([]);
	});
});

describe('multiple triggers', () => {
	it('fold into one rollback, alarm first, all evidence kept', () => {
		const step = reduceCanary(plan, liveAt10(), {
			type: 'check',
			input: greenInput(plan, t0, {errorRate: 0.5, latencyMs: 3000, alarms: [alarm('sb-5xx', 'ALARM', t0)]}),
		});
		expect(step.effects.filter((e) => e.kind === 'set_flag')).toHaveLength(1);
		expect(step.state.lastDecision?.trigger).toBe('alarm');
		expect(step.state.lastDecision?.reason).toMatch(/\+2 more: canary_error_rate, canary_latency/);
		expect(step.state.lastDecision?.evidence.map((e) => e.ruleId)).toEqual(['alarm:sb-5xx', 'error_rate', 'board_p95']);
	});

	it('noData leaves the stage holding, no rollback', () => {
		const step = reduceCanary(plan, liveAt10(), {type: 'check', input: noData(t0)});
		expect(step.state.phase).toMatchObject({kind: 'stage', greenSince: null});
		expect(step.effects).toEqual([]);
	});
});
