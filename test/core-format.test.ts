import {describe, expect, it} from 'vitest';
import type {RuleResult} from '../source/core/decision-types.js';
import {formatAge, formatClock, formatRuleResult, formatValue, gateGPassedMessage, rollbackCompleteMessage, stageFailedMessage, stagePassedMessage} from '../source/core/format.js';
import {greenInput, minute, seedPlan, t0} from './helpers/plan-fixture.js';

const plan = seedPlan();
const board: RuleResult = {ruleId: 'board_p95', label: 'Board p95', status: 'BREACH', value: 912.4, threshold: 800, op: '<', unit: 'ms', window: '5m', samples: 3120, ageMs: 2000, source: 'probe:board'};

describe('rule lines', () => {
	it('BREACH / PASS / NO_DATA', () => {
		expect(formatRuleResult(board)).toBe('board_p95 BREACH 912.4 ms ≥ 800 ms (5m, 3120 samples, age 2s)');
		expect(formatRuleResult({...board, status: 'PASS', value: 412})).toBe('board_p95 PASS 412 ms < 800 ms (5m, 3120 samples, age 2s)');
		expect(formatRuleResult({...board, status: 'NO_DATA', value: Number.NaN, samples: 0, ageMs: null, note: 'empty window'})).toBe('board_p95 NO_DATA: empty window (5m, 0 samples, age —)');
		expect(formatRuleResult({...board, op: '<=', unit: 'ratio', value: 0.0125, threshold: 0.01})).toBe('board_p95 BREACH 1.25 % > 1.00 % (5m, 3120 samples, age 2s)');
	});

	it('never prints a digit for an unknown number', () => {
		for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
			expect(formatValue(v, 'ms')).toBe('—');
			expect(formatValue(v, 'ratio')).toBe('—');
		}
	});

	it('clock and ages', () => {
		expect(formatClock(599_000)).toBe('9:59');
		expect(formatClock(10 * minute)).toBe('10:00');
		expect(formatClock(90 * minute)).toBe('1:30:00');
		expect(formatAge(2000)).toBe('2s');
		expect(formatAge(30 * minute)).toBe('30min');
		expect(formatAge(null)).toBe('—');
	});
});

describe("the seeds' status messages", () => {
	it('stage passed', () => {
		const input = greenInput(plan, t0, {errorRate: 0.002});
		input.rules = input.rules.map((r) => (r.ruleId === 'board_p95' ? {...r, value: 412.3} : r.ruleId === 'drawer_avg' ? {...r, value: 95} : r));
		const noCw = {...input, rules: input.rules.filter((r) => r.ruleId !== 'api_p95')};
		expect(stagePassedMessage(plan, 30, 50, noCw)).toBe('Canary 30% PASSED - Error: 0.2%, Board: 412ms, Drawer: 95ms. Advancing to 50%.');
		expect(stagePassedMessage(plan, 100, null, noCw)).toBe('Canary 100% PASSED - Error: 0.2%, Board: 412ms, Drawer: 95ms. Entering Gate G stabilization (30min).');
	});

	it('stage failed, rollback complete, Gate G passed', () => {
		expect(stageFailedMessage(30, 'board_p95')).toBe('Canary 30% FAILED - board_p95 breach detected. Executing emergency rollback immediately.');
		expect(rollbackCompleteMessage()).toBe('Emergency rollback COMPLETE. System restored to previous state. Health verified. Incident investigation initiated.');
		expect(gateGPassedMessage(plan)).toBe('Gate G PASSED - 30min stability confirmed. All SLOs green. StatusBoardV2 launch SUCCESSFUL!');
		expect(gateGPassedMessage(seedPlan({service: 'Fleet Manager', canary: {...plan.canary, stabilizationMs: 45 * minute}}))).toBe('Gate G PASSED - 45min stability confirmed. All SLOs green. Fleet Manager launch SUCCESSFUL!');
	});
});
