import {describe, expect, it} from 'vitest';
import type {RuleResult} from '../source/core/decision-types.js';
import {formatDuration, formatRuleResult, formatRuleValue, formatRuleValueCompact, formatTimer, formatWallClock} from '../source/core/format.js';
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
		expect(formatRuleResult(board)).toBe('board_p95 BREACH 912 ms ≥ 800 ms (5m, 3120 samples, age 2s)');
		expect(formatRuleResult({...board, status: 'PASS', value: 412})).toBe('board_p95 PASS 412 ms < 800 ms (5m, 3120 samples, age 2s)');
		expect(formatRuleResult({...board, status: 'NO_DATA', value: Number.NaN, samples: 0, ageMs: null, note: 'empty window'})).toBe(
			'board_p95 NO_DATA: empty window (5m, 0 samples, age —)',
		);
		expect(formatRuleResult({...board, op: '<=', unit: 'ratio', value: 0.0125, threshold: 0.01})).toBe(
			'board_p95 BREACH 1.25 % > 1 % (5m, 3120 samples, age 2s)',
		);
	});

	it('never prints a digit for an unknown number', () => {
		for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
			expect(formatRuleValue(v, 'ms')).toBe('—');
			expect(formatRuleValue(v, 'ratio')).toBe('—');
		}
	});

	it('clock and ages', () => {
		expect(formatTimer(599_000)).toBe('9:59');
		expect(formatTimer(10 * minute)).toBe('10:00');
		expect(formatTimer(90 * minute)).toBe('1:30:00');
		expect(formatDuration(2000)).toBe('2s');
		expect(formatDuration(30 * minute)).toBe('30min');
		expect(formatDuration(null)).toBe('—');
		expect(formatDuration(450)).toBe('450ms');
		expect(formatDuration(90 * minute)).toBe('1h30min');
		expect(formatWallClock(Date.UTC(2026, 10, 23, 10, 0, 11))).toBe('10:00:11');
	});

	it('one rounding rule per unit: tenths of a ms below 100 ms, whole ms from there, percent to two decimals, trailing zeros dropped', () => {
		expect(formatRuleValue(99.96, 'ms')).toBe('100 ms');
		expect(formatRuleValue(800, 'ms')).toBe('800 ms');
		expect(formatRuleValue(94.04, 'ms')).toBe('94 ms');
		expect(formatRuleValue(0.002, 'ratio')).toBe('0.2 %');
		expect(formatRuleValue(3, 'count')).toBe('3');
		expect(formatRuleValueCompact(912.4, 'ms')).toBe('912ms');
		expect(formatRuleValueCompact(0.0021, 'ratio')).toBe('0.21%');
		expect(formatRuleValueCompact(Number.NaN, 'ratio')).toBe('—');
	});
});
