/** Keys in order, the skip confirmation, --manual, the log cursor and the end: the UI reducer and decoder without rendering. */
import {describe, expect, test} from 'vitest';
import {initialUiState, uiReducer, type UiEvent, type UiState} from '../source/app-state.js';
import {isLiveKey} from '../source/live-keys.js';
import {decodeKey, splitKeys} from '../source/key-decoding.js';
import {dialogView, fullRollbackText} from '../source/dialog-text.js';
import {helpItems} from '../source/keymap.js';
import type {Snapshot} from '../source/core/snapshot.js';
import type {OperatorCommand} from '../source/core/operator-commands.js';
import * as fx from './helpers/snapshot-fixtures.js';

/** Types a raw terminal string as Ink hands it over (one burst), through the decoder and the reducer, in order. */
function typeRaw(snapshot: Snapshot, raw: string, from: UiState = initialUiState) {
	let state = from;
	const sent: OperatorCommand[] = [];
	for (const press of splitKeys(raw, {})) {
		const event = decodeKey(state, press.input, press.key);
		if (!event) continue;
		const step = uiReducer(state, event, snapshot);
		state = step.state;
		if (step.send) sent.push(step.send);
	}
	return {state, sent};
}

function run(snapshot: Snapshot, events: UiEvent[], from: UiState = initialUiState) {
	let state = from;
	const sent: OperatorCommand[] = [];
	for (const e of events) {
		const step = uiReducer(state, e, snapshot);
		state = step.state;
		if (step.send) sent.push(step.send);
	}
	return {state, sent};
}

describe('keys arriving together are handled one by one, in order', () => {
	test('splitKeys: a burst becomes single presses; Enter, Tab, Backspace and Ctrl keys keep their meaning', () => {
		expect(splitKeys('rr', {})).toEqual([
			{input: 'r', key: {}},
			{input: 'r', key: {}},
		]);
		expect(
			splitKeys('p\r\rp\r', {})
				.map((k) => (k.key.return ? '⏎' : k.input))
				.join(''),
		).toBe('p⏎⏎p⏎');
		expect(splitKeys('a\tb\u007f\u0003', {}).map((k) => k.key)).toEqual([{}, {tab: true}, {}, {backspace: true}, {ctrl: true}]);
		expect(splitKeys('[A', {upArrow: true})).toEqual([{input: '[A', key: {upArrow: true}}]);
	});
	test('rr opens the rollback dialog; the second r goes into its reason field', () => {
		const r = typeRaw(fx.stage30Green(), 'rr');
		expect(r.state.overlay).toEqual({kind: 'reason', action: 'emergency_rollback', text: 'r'});
		expect(r.sent).toEqual([]);
	});
	test('p⏎⏎p⏎ at a stage that has not held its time sends nothing and asks for SKIP', () => {
		const s = fx.stage30Green();
		const r = typeRaw(s, 'p\r\rp\r');
		expect(r.sent).toEqual([]);
		expect(r.state.overlay.kind).toBe('promote');
		expect(r.state.flash).toBe('type SKIP (capitals) to promote before the stage held its time, or Esc');
		expect(dialogView(r.state.overlay, s)?.lines[1]).toBe(
			'⚠ 30 % has held 4:12 of 10:00 green — type SKIP to promote anyway (journaled and reported as skipped, never passed)',
		);
	});
	test('typing SKIP sends one promote that carries skip=true', () => {
		const r = typeRaw(fx.stage30Green(), 'pSKIP\r');
		expect(r.sent).toEqual([{type: 'promote', to: 50, skip: true}]);
		expect(typeRaw(fx.stage30Green(), 'pskip\r').sent).toEqual([]);
	});
	test('Tab chooses a later stage in the same dialog; jumping a stage always needs SKIP', () => {
		const s = fx.stage30Green();
		const r = typeRaw(s, 'p\t');
		expect(r.state.overlay).toMatchObject({kind: 'promote', to: 100});
		expect(dialogView(r.state.overlay, s)?.choices).toEqual([
			{label: '50 %', selected: false},
			{label: '100 %', selected: true},
		]);
		expect(dialogView(r.state.overlay, s)?.lines[1]).toContain('50 % never held');
		expect(typeRaw(s, 'SKIP\r', r.state).sent).toEqual([{type: 'promote', to: 100, skip: true}]);
	});
	test('an unknown key says so for a moment, naming the key', () => {
		// x is the re-run step key: w is bound to nothing.
		expect(typeRaw(fx.stage30Green(), 'w').state.flash).toBe('w: unknown key — ? for help');
	});
});

describe('--manual', () => {
	const manual = (): Snapshot => {
		const s = fx.stage30Green();
		return {...s, canary: {...s.canary, paused: true, launchPolicy: {autoStart: false, startedAt: s.startedAt, preLaunchTimeoutMs: null}}};
	};
	test('space never sends resume (nothing auto-advances) and says what p does', () => {
		const r = typeRaw(manual(), '    ');
		expect(r.sent).toEqual([]);
		expect(r.state.flash).toBe('--manual: nothing auto-advances, so there is nothing to pause or resume; p promotes');
	});
	test('the help bar leaves out pause in --manual; re-arm and promote only when they do something', () => {
		const bar = (s: Snapshot, ended = false) => helpItems((a) => isLiveKey(a, s, ended)).map((i) => i.label);
		expect(bar(manual())).not.toContain('pause');
		expect(bar(fx.stage30Green())).toEqual(['promote', 'rollback', 'full rollback', 'pause', 'sign off', 'note', 'help', 'quit']);
		expect(bar(fx.rolledBack())).toContain('re-arm');
		expect(bar(fx.rolledBack())).not.toContain('promote');
		expect(bar(fx.succeeded(), true)).toEqual(['help', 'quit']);
	});
});

describe('the end of the launch', () => {
	const end = {outcome: 'rolled_back' as const, exitCode: 1, reason: 'board_p95 breach', reportFile: '/tmp/x.report.md', journalFile: '/tmp/x.jsonl'};
	test('after the end only viewing keys, help and quit do something; q quits at once', () => {
		const ended = run(fx.rolledBack(), [{type: 'ended', end}]).state;
		const r = typeRaw(fx.rolledBack(), 'a', ended);
		expect(r.sent).toEqual([]);
		expect(r.state.flash).toBe('the launch has ended (rolled back): re-arm does nothing now — q to exit');
		const q = uiReducer(ended, {type: 'action', action: 'quit'}, fx.stage30Green());
		expect(q.quit).toBe(true);
	});
});

describe('the event log cursor', () => {
	const log = Array.from({length: 30}, (_, i) => ({
		at: 1_000 + i,
		level: 'info' as const,
		text: `line ${i}`,
		...(i === 7 ? {message: 'Canary 10% PASSED - paste me'} : {}),
	}));
	const s = {...fx.stage30Green(), log};
	test('k/↑ go back, PgUp a page, j/PgDn forward; reaching the newest follows again', () => {
		const up = typeRaw(s, 'kk');
		expect(up.state.logMark).toEqual({at: 1_027, text: 'line 27'});
		const page = run(s, [{type: 'action', action: 'log_page_up'}], up.state);
		expect(page.state.logMark).toEqual({at: 1_017, text: 'line 17'});
		const back = run(
			s,
			[
				{type: 'action', action: 'log_page_down'},
				{type: 'action', action: 'log_page_down'},
			],
			page.state,
		);
		expect(back.state.logMark).toBeNull();
	});
	test('Enter opens the selected line in full with its ready-to-paste message', () => {
		const at7 = run(s, [
			{type: 'action', action: 'log_page_up'},
			{type: 'action', action: 'log_page_up'},
			{type: 'action', action: 'log_up'},
			{type: 'action', action: 'log_up'},
		]);
		expect(at7.state.logMark?.text).toBe('line 7');
		const open = run(s, [decodeKey(at7.state, '', {return: true})!], at7.state);
		expect(dialogView(open.state.overlay, s)?.lines.slice(1)).toEqual(['line 7', '', 'Ready to paste:', 'Canary 10% PASSED - paste me']);
	});
	test('/ filters; Esc clears', () => {
		const f = typeRaw(s, '/line 2\r');
		expect(f.state.logFilter).toBe('line 2');
		const cleared = run(s, [{type: 'cancel'}], f.state);
		expect(cleared.state.logFilter).toBe('');
	});
});

describe('the R dialog says exactly what runs', () => {
	test('no command configured: the flag only', () => {
		const s = {...fx.stage30Green(), fullRollback: null};
		expect(fullRollbackText(s)).toBe('set STATUS_BOARD_V2_ENABLED to 0 % only: no rollback command configured');
		const r = typeRaw(s, 'R');
		expect(dialogView(r.state.overlay, s)?.lines[0]).toBe(
			'Full rollback of StatusBoardV2: set STATUS_BOARD_V2_ENABLED to 0 % only: no rollback command configured — reason: …',
		);
	});
	test('a configured command is named', () => {
		const s = {...fx.stage30Green(), fullRollback: './rollback.sh full'};
		expect(fullRollbackText(s)).toBe('set STATUS_BOARD_V2_ENABLED to 0 %, then run: ./rollback.sh full');
	});
});
