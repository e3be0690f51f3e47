import {describe, expect, it} from 'vitest';
import type {RuleResult} from '../source/core/decision-types.js';
import {formatAge, formatClock, formatRuleResult, formatValue} from '../source/core/format.js';
import {minute} from './helpers/plan-fixture.js';

const board: RuleResult = {
	ruleId: 'board_p95',
	label: 'Board p95',
	status: 'BREACH',
	value: 912.4,
	threshold: 800,
	op: '<',
	unit: 'ms',
	window: '5m',
	samples: 3120,
	ageMs: 2000,
	source: 'probe:board',
};

describe('rule lines', () => {
	it('BREACH / PASS / NO_DATA', () => {
		expect(formatRuleResult(board)).toBe('board_p95 BREACH 912.4 ms ≥ 800 ms (5m, 3120 samples, age 2s)');
		expect(formatRuleResult({...board, status: 'PASS', value: 412})).toBe('board_p95 PASS 412 ms < 800 ms (5m, 3120 samples, age 2s)');
		expect(formatRuleResult({...board, status: 'NO_DATA', value: Number.NaN, samples: 0, ageMs: null, note: 'empty window'})).toBe(
			'board_p95 NO_DATA: empty window (5m, 0 samples, age —)',
		);
		expect(formatRuleResult({...board, op: '<=', unit: 'ratio', value: 0.0125, threshold: 0.01})).toBe(
			'board_p95 BREACH 1.25 % > 1.00 % (5m, 3120 samples, age 2s)',
		);
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
