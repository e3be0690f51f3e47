/** The whole screen at the two sizes, with and without a dialog (renderToString: no terminal needed). */
import React from 'react';
import {describe, expect, test} from 'vitest';
import {renderToString} from 'ink';
import stringWidth from 'string-width';
import {Dashboard, layoutFor, whyDecision} from '../widgets/dashboard.js';
import {ColorProvider} from '../widgets/theme.js';
import {helpItems} from '../source/keymap.js';
import {initialUiState, uiReducer} from '../source/app-state.js';
import {dialogView} from '../source/dialog-text.js';
import type {Snapshot} from '../source/core/snapshot.js';
import type {DialogView} from '../widgets/dialog.js';
import * as fx from './helpers/snapshot-fixtures.js';

function frame(s: Snapshot, w: number, h: number, extra: {dialog?: DialogView | null; flash?: string; showHelp?: boolean} = {}): string {
	return renderToString(
		<ColorProvider enabled={false}>
			<Dashboard snapshot={s} width={w} height={h - 1} help={helpItems()} {...extra} />
		</ColorProvider>,
		{columns: w},
	);
}

function expectFits(text: string, w: number, h: number): void {
	const lines = text.split('\n');
	expect(lines.length).toBeLessThanOrEqual(h);
	for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(w);
}

describe('dashboard', () => {
	test('layout choice by size', () => {
		expect(layoutFor(80, 23)).toEqual({mode: 'compact', chartHeight: 0});
		expect(layoutFor(160, 47)).toEqual({mode: 'rich', chartHeight: 5});
		expect(layoutFor(120, 36).mode).toBe('rich');
	});

	test('while rolled back, "Why" is the rollback, not the engine\'s later hold', () => {
		const s = fx.rolledBack();
		const later = {...s, decision: {kind: 'hold' as const, at: s.at, reason: 'read back at 0%: waiting for the probes to confirm', evidence: []}};
		expect(whyDecision(later)?.kind).toBe('rollback');
		const text = frame(later, 80, 24);
		expect(text).toContain('Why (ROLLBACK): error rate 2.8 % > 2 % for 3 consecutive');
		expect(whyDecision(fx.stage30Green())?.reason).toContain('hold: 30 % green');
	});

	test('with no decision the Why says why: before the first check, or --manual after it (seen in tmux: "waiting for the first check" at T+0:08)', () => {
		const pre = fx.preLaunch();
		const manual = (lastCheckAt: number | null) => ({
			...pre,
			decision: null,
			canary: {...pre.canary, lastDecision: null, lastCheckAt, launchPolicy: {autoStart: false, startedAt: pre.startedAt, preLaunchTimeoutMs: null}},
		});
		expect(frame(manual(null), 120, 40)).toContain('Why: no decision yet (waiting for the first check)');
		const checked = frame(manual(pre.at - 1000), 120, 40);
		expect(checked).toContain('Why: --manual: golive starts and promotes nothing by itself, it only rolls back');
		expect(checked).not.toContain('waiting for the first check');
	});

	test('80×24 with the emergency-rollback dialog: the numbers stay visible above it', () => {
		const s = fx.stage30Green();
		let st = uiReducer(initialUiState, {type: 'action', action: 'emergency_rollback'}, s).state;
		for (const ch of 'p95 spike') st = uiReducer(st, {type: 'text', text: ch}, s).state;
		const text = frame(s, 80, 24, {dialog: dialogView(st.overlay, s)});
		expectFits(text, 80, 24);
		expect(text).toMatch(/✓ PASS\s+Board p95\s+413 ms need < 800 ms/);
		expect(text).toContain('⚠ EMERGENCY ROLLBACK');
		expect(text).toContain('Set STATUS_BOARD_V2_ENABLED to 0 % (emergency rollback) — reason: p95 spike');
	});

	test('160×48 with the promote dialog and a notice', () => {
		const s = fx.stage30Green();
		const st = uiReducer(initialUiState, {type: 'action', action: 'promote'}, s).state;
		const text = frame(s, 160, 48, {dialog: dialogView(st.overlay, s), flash: 'ignored: promote already in flight'});
		expectFits(text, 160, 48);
		expect(text).toContain('Set STATUS_BOARD_V2_ENABLED to 50 % (now 30 %)');
		expect(text).toContain('ignored: promote already in flight');
		expect(text).toMatch(/413 ms need < 800 ms/);
	});

	test('help overlay at both sizes', () => {
		for (const [w, h] of [
			[80, 24],
			[160, 48],
		] as const) {
			const text = frame(fx.stage30Green(), w, h, {showHelp: true});
			expectFits(text, w, h);
			expect(text).toContain('Emergency rollback: flag to 0 % now');
		}
	});

	test('160×48 rich: grid table of CloudWatch rows, problems first', () => {
		const text = frame(fx.cloudwatchNoCredentials(), 160, 48);
		expectFits(text, 160, 48);
		expect(text).toContain('CloudWatch ✗ no credentials');
		expect(text).toMatch(/│ statusboard-api-5xx\s+│ ✗ MISSING\s+│ not found in CloudWatch/);
	});
});
