/**
 * The header's rollback truth, one frame per `RollbackState` phase: the words
 * come from `snapshot.mitigation.rollback` (read-backs and probe measurements),
 * so a failing or abandoned rollback can never read "ROLLED BACK".
 */
import React from 'react';
import {describe, expect, test} from 'vitest';
import {render} from 'ink-testing-library';
import {Header} from '../widgets/header.js';
import {Dashboard} from '../widgets/dashboard.js';
import {ColorProvider} from '../widgets/theme.js';
import {helpItems} from '../source/keymap.js';
import {rollbackText, flagText} from '../widgets/launch-state-text.js';
import type {RollbackState, Snapshot} from '../source/core/snapshot.js';
import * as fx from './helpers/snapshot-fixtures.js';

function mono(node: React.ReactElement): string {
	const {lastFrame, unmount} = render(<ColorProvider enabled={false}>{node}</ColorProvider>);
	const frame = lastFrame() ?? '';
	unmount();
	return frame;
}

function withRollback(rollback: RollbackState, flagPercent: number | null = 0): Snapshot {
	const s = fx.rolledBack();
	return {
		...s,
		flagPercent,
		mitigation: {kind: 'emergency', triggeredAt: s.at - 30_000, confirmedAt: rollback.phase === 'verified' ? s.at - 21_000 : null, rollback},
	};
}

describe('rollback truth in the header, every phase', () => {
	const s = fx.rolledBack();
	const cases: Array<[string, RollbackState, number | null, string, boolean]> = [
		['writing', {phase: 'writing', tries: 1}, 50, 'ROLLING BACK (emergency) — writing STATUS_BOARD_V2_ENABLED → 0 %, try 1', false],
		[
			'failing',
			{phase: 'failing', tries: 3, nextTryAt: s.at + 8_000, flagReadPercent: 30, detail: 'HTTP 503'},
			30,
			'ROLLBACK FAILING — flag reads 30 %, try 3 failed, next try in 8 s: HTTP 503',
			false,
		],
		[
			// The next try going out: still FAILING (a failed try stands until a read-back says 0 %), never "writing … try 4".
			'failing, next try in flight',
			{phase: 'failing', tries: 3, nextTryAt: null, flagReadPercent: 30, detail: 'HTTP 503'},
			30,
			'ROLLBACK FAILING — flag reads 30 %, try 3 failed, try 4 going out now: HTTP 503',
			false,
		],
		[
			'gave_up',
			{phase: 'gave_up', tries: 12, flagReadPercent: 30, detail: 'timeout after 300 s'},
			30,
			'ROLLBACK FAILED after 12 tries — flag reads 30 %: set STATUS_BOARD_V2_ENABLED to 0 % by hand',
			false,
		],
		['applied', {phase: 'applied', appliedAt: s.at - 27_000}, 0, 'ROLLED BACK (emergency) — flag reads 0 %, verifying health 0:27', true],
		[
			'verified',
			{phase: 'verified', appliedAt: s.at - 27_000, healthyAt: s.at - 21_000, detail: '20 successful responses in a row'},
			0,
			'ROLLED BACK (emergency) — healthy, rollback confirmed in 9.0 s: 20 successful responses in a row',
			true,
		],
		[
			'not_healthy',
			{phase: 'not_healthy', appliedAt: s.at - 600_000, detail: 'board p95 912 ms ≥ 800 ms 10 min after the flag read 0 %'},
			0,
			'ROLLED BACK — NOT HEALTHY: board p95 912 ms ≥ 800 ms',
			true,
		],
	];
	test.each(cases)('%s', (_phase, rollback, flag, words, rolledBack) => {
		const snapshot = withRollback(rollback, flag);
		const frame = mono(<Header snapshot={snapshot} width={200} />);
		expect(frame).toContain(words);
		// "ROLLED BACK" only once the flag read back 0 %.
		expect(frame.includes('ROLLED BACK')).toBe(rolledBack);
		expect(frame).toContain('⛔ DISARMED');
	});
	test('with the flag API unreachable, the header names the last good read as such, not as what the flag reads now', () => {
		const failing = withRollback({phase: 'gave_up', tries: 7, flagReadPercent: 30, detail: 'ECONNREFUSED'}, 30);
		const down = {...failing, sources: {...failing.sources, flag: {kind: 'error' as const, code: 'unreachable' as const, message: 'ECONNREFUSED'}}};
		expect(rollbackText(down)?.text).toMatch(/^ROLLBACK FAILED after 7 tries — flag last read 30 %: set/);
	});
	test('without a mitigation record, an unconfirmed rollback decision never reads ROLLED BACK', () => {
		const base = fx.rolledBack();
		const phase = base.canary.phase.kind === 'rolled_back' ? {...base.canary.phase, flagReadBackAt: null} : base.canary.phase;
		const s = {...base, mitigation: null, flagPercent: 50, canary: {...base.canary, phase}};
		expect(rollbackText(s)?.text).toBe('ROLLING BACK (emergency) — STATUS_BOARD_V2_ENABLED not read back at 0 % yet');
		expect(mono(<Header snapshot={s} width={160} />)).not.toContain('ROLLED BACK');
	});
	test('the rollback line survives 80 columns, beside the Why, in the whole frame', () => {
		const snapshot = withRollback({phase: 'failing', tries: 3, nextTryAt: fx.rolledBack().at + 8_000, flagReadPercent: 30, detail: 'HTTP 503'}, 30);
		const frame = mono(<Dashboard snapshot={snapshot} width={80} height={23} help={helpItems()} />);
		const lines = frame.split('\n');
		expect(lines.length).toBeLessThanOrEqual(23);
		expect(lines.some((l) => l.includes('ROLLBACK FAILING — flag reads 30 %, try 3 failed, next try in 8 s'))).toBe(true);
		expect(lines.some((l) => l.startsWith('Why (ROLLBACK): error rate 2.8 %'))).toBe(true);
	});
});

describe('the flag as observed', () => {
	test('a flag changed outside golive is said; an unreachable flag API shows the last read and its age', () => {
		const s = fx.stage30Green();
		const outside = {...s, flagObservation: {percent: 0, readAt: s.at - 2_000, outsideChange: {from: 30, to: 0, at: s.at - 2_000, acknowledged: false}}};
		expect(flagText(outside)).toBe('0 % ⚠ changed outside golive: 30 % → 0 %');
		const down = {
			...s,
			sources: {...s.sources, flag: {kind: 'error' as const, code: 'unreachable' as const, message: 'connect ECONNREFUSED'}},
			flagObservation: {percent: 30, readAt: s.at - 42_000, outsideChange: null},
		};
		expect(flagText(down)).toBe('last read 30 % 42s ago');
		expect(mono(<Header snapshot={down} width={200} />)).toContain('flag ✗ unreachable: connect ECONNREFUSED · last read 30 % 42s ago');
	});
});
