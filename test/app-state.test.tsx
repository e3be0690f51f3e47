/** The UI reducer, without rendering: key events in, state and at most one command out. */
import {describe, expect, test} from 'vitest';
import {initialUiState, uiReducer, type UiEvent, type UiState} from '../source/app-state.js';
import {promoteTarget} from '../source/live-keys.js';
import {decodeKey} from '../source/key-decoding.js';
import {dialogView} from '../source/dialog-text.js';
import type {Snapshot} from '../source/core/snapshot.js';
import type {OperatorCommand} from '../source/core/operator-commands.js';
import * as fx from './helpers/snapshot-fixtures.js';

/** Runs events through the reducer, collecting every command it emits. */
function run(snapshot: Snapshot, events: UiEvent[], from: UiState = initialUiState) {
	let state = from;
	const sent: OperatorCommand[] = [];
	let quit = false;
	for (const e of events) {
		const step = uiReducer(state, e, snapshot);
		state = step.state;
		if (step.send) sent.push(step.send);
		quit ||= step.quit;
	}
	return {state, sent, quit};
}

const type = (text: string): UiEvent[] => Array.from(text, (ch) => ({type: 'text', text: ch}) as const);

/** 30 % that has held its 10 minutes of green: promoting is not a skip. */
function held(): Snapshot {
	const s = fx.stage30Green();
	return {...s, canary: {...s.canary, phase: {kind: 'stage', index: 1, percent: 30, enteredAt: s.at - 11 * 60_000, greenSince: s.at - 11 * 60_000}}};
}

describe('promote', () => {
	test('p opens a confirm that names the flag and the next stage; Enter sends one promote', () => {
		const s = held();
		const opened = run(s, [{type: 'action', action: 'promote'}]);
		expect(opened.sent).toEqual([]);
		expect(dialogView(opened.state.overlay, s)?.lines[0]).toBe('Set STATUS_BOARD_V2_ENABLED to 50 % (now 30 %)');
		const done = run(s, [{type: 'submit'}, {type: 'submit'}], opened.state);
		expect(done.sent).toEqual([{type: 'promote', to: 50}]);
		expect(done.state.overlay.kind).toBe('none');
	});
	test('the canary moved while the dialog was open (auto-advance): Enter sends nothing', () => {
		const s = held();
		const opened = run(s, [{type: 'action', action: 'promote'}]);
		const moved: Snapshot = {
			...s,
			at: s.at + 1000,
			flagPercent: 50,
			canary: {...s.canary, phase: {kind: 'stage', index: 2, percent: 50, enteredAt: s.at, greenSince: s.at}},
		};
		const r = run(moved, [{type: 'submit'}], opened.state);
		expect(r.sent).toEqual([]);
		expect(r.state.flash).toBe('not sent: the canary moved while you confirmed (50 % now); press p again');
	});
	test('n or Esc cancels without sending', () => {
		const s = fx.stage30Green();
		expect(
			run(s, [
				{type: 'action', action: 'promote'},
				{type: 'text', text: 'n'},
			]).sent,
		).toEqual([]);
		const esc = run(s, [{type: 'action', action: 'promote'}, {type: 'cancel'}]);
		expect(esc.sent).toEqual([]);
		expect(esc.state.flash).toBe('cancelled: nothing was sent');
	});
	test('targets: pre → first stage, last stage → nothing, disarmed → re-arm first', () => {
		expect(promoteTarget(fx.preLaunch())).toMatchObject({ok: true, to: 10, from: null, skip: null});
		const s = fx.stage30Green();
		expect(promoteTarget({...s, canary: {...s.canary, phase: {kind: 'stage', index: 3, percent: 100, enteredAt: s.at, greenSince: s.at}}})).toMatchObject({
			ok: false,
		});
		const r = run(fx.rolledBack(), [{type: 'action', action: 'promote'}]);
		expect(r.sent).toEqual([]);
		expect(r.state.overlay.kind).toBe('none');
		expect(r.state.flash).toContain('re-arm');
		expect(run(fx.succeeded(), [{type: 'action', action: 'promote'}]).state.flash).toContain('nothing to promote');
	});
	test('a dangerous key while an action is in flight is ignored and says so', () => {
		const s = fx.promoteInFlight();
		for (const action of ['promote', 'rearm'] as const) {
			const r = run(s, [{type: 'action', action}]);
			expect(r.sent).toEqual([]);
			expect(r.state.overlay.kind).toBe('none');
			expect(r.state.flash).toBe('ignored: promote already in flight');
		}
		const rb = fx.stage30Green();
		const rollbackInFlight: Snapshot = {...rb, action: {kind: 'in_flight', action: 'emergency_rollback', targetPercent: 0, since: rb.at}};
		for (const action of ['promote', 'emergency_rollback', 'full_rollback'] as const) {
			const r = run(rollbackInFlight, [{type: 'action', action}]);
			expect(r.sent).toEqual([]);
			expect(r.state.flash).toBe('ignored: emergency rollback already in flight');
		}
	});
	test('rollback beats promote: a rollback is not held back by a promote in flight', () => {
		const r = run(fx.promoteInFlight(), [{type: 'action', action: 'emergency_rollback'}, ...type('p95'), {type: 'submit'}]);
		expect(r.sent).toEqual([{type: 'emergency_rollback', reason: 'p95'}]);
	});
	test('an action going in flight while the dialog is open: Enter sends nothing', () => {
		const opened = run(fx.stage30Green(), [{type: 'action', action: 'promote'}]);
		const r = run(fx.promoteInFlight(), [{type: 'submit'}], opened.state);
		expect(r.sent).toEqual([]);
		expect(r.state.flash).toContain('already in flight');
	});
});

describe('rollbacks', () => {
	test('r + reason + Enter → one emergency_rollback with the reason; the dialog says what happens', () => {
		const s = fx.stage30Green();
		const typing = run(s, [{type: 'action', action: 'emergency_rollback'}, ...type('p95 spikx'), {type: 'backspace'}, ...type('e')]);
		expect(typing.sent).toEqual([]);
		expect(dialogView(typing.state.overlay, s)?.lines[0]).toBe('Set STATUS_BOARD_V2_ENABLED to 0 % (emergency rollback) — reason: p95 spike');
		const done = run(s, [{type: 'submit'}], typing.state);
		expect(done.sent).toEqual([{type: 'emergency_rollback', reason: 'p95 spike'}]);
	});
	test('an empty reason is refused', () => {
		const r = run(fx.stage30Green(), [{type: 'action', action: 'emergency_rollback'}, ...type('   '), {type: 'submit'}]);
		expect(r.sent).toEqual([]);
		expect(r.state.overlay.kind).toBe('reason');
		expect(r.state.flash).toContain('reason is required');
	});
	test('R: reason, then the typed confirmation must be the service name or ROLLBACK', () => {
		const s = fx.stage30Green();
		const wrong = run(s, [{type: 'action', action: 'full_rollback'}, ...type('data corruption'), {type: 'submit'}, ...type('yes'), {type: 'submit'}]);
		expect(wrong.sent).toEqual([]);
		expect(wrong.state.overlay.kind).toBe('typed_confirm');
		expect(wrong.state.flash).toBe('type StatusBoardV2 or ROLLBACK to confirm');
		const right = run(s, [...type('StatusBoardV2'), {type: 'submit'}], wrong.state);
		expect(right.sent).toEqual([{type: 'full_rollback', reason: 'data corruption'}]);
		const word = run(s, [{type: 'action', action: 'full_rollback'}, ...type('x'), {type: 'submit'}, ...type('ROLLBACK'), {type: 'submit'}]);
		expect(word.sent).toEqual([{type: 'full_rollback', reason: 'x'}]);
	});
	test('re-arm after a rollback confirms; when armed it says so', () => {
		const r = run(fx.rolledBack(), [{type: 'action', action: 'rearm'}]);
		expect(dialogView(r.state.overlay, fx.rolledBack())?.lines[0]).toBe(
			'Re-arm STATUS_BOARD_V2_ENABLED: promotion allowed again from 0 % (auto-advance as before)',
		);
		expect(run(fx.rolledBack(), [{type: 'text', text: 'y'}], r.state).sent).toEqual([{type: 'rearm'}]);
		expect(run(fx.stage30Green(), [{type: 'action', action: 'rearm'}]).state.flash).toBe('re-arm: already armed');
	});
});

describe('other keys', () => {
	test('space pauses, and resumes when paused', () => {
		const s = fx.stage30Green();
		expect(run(s, [{type: 'action', action: 'pause'}]).sent).toEqual([{type: 'pause'}]);
		expect(run({...s, canary: {...s.canary, paused: true}}, [{type: 'action', action: 'pause'}]).sent).toEqual([{type: 'resume'}]);
	});
	test('sign-off: choose the item, Tab through roles, type a name', () => {
		const s = fx.preLaunch();
		const r = run(s, [{type: 'action', action: 'sign_off'}]);
		expect(dialogView(r.state.overlay, s)?.choices?.[0]).toEqual({label: 'UAT sign-offs — 1 of 2 approvals (product)', selected: true});
		const done = run(s, [{type: 'submit'}, {type: 'next'}, {type: 'submit'}, ...type('Dana QA'), {type: 'submit'}], r.state);
		expect(done.sent).toEqual([{type: 'sign_off', itemId: 'a-uat', role: 'qa_lead', name: 'Dana QA'}]);
		expect(run(fx.succeeded(), [{type: 'action', action: 'sign_off'}]).state.flash).toContain('no manual gate item');
	});
	test('note: typed text is sent once; empty sends nothing', () => {
		const s = fx.stage30Green();
		expect(run(s, [{type: 'action', action: 'note'}, ...type('CS reports OK'), {type: 'submit'}, {type: 'submit'}]).sent).toEqual([
			{type: 'note', text: 'CS reports OK'},
		]);
		expect(run(s, [{type: 'action', action: 'note'}, {type: 'submit'}]).sent).toEqual([]);
	});
	test('quit: immediate when nothing is live, confirmed while a canary is live', () => {
		expect(run(fx.succeeded(), [{type: 'action', action: 'quit'}]).quit).toBe(true);
		const s = fx.stage30Green();
		const asked = run(s, [{type: 'action', action: 'quit'}]);
		expect(asked.quit).toBe(false);
		expect(dialogView(asked.state.overlay, s)?.lines[0]).toContain('STATUS_BOARD_V2_ENABLED stays at 30 %');
		expect(run(s, [{type: 'text', text: 'n'}], asked.state).quit).toBe(false);
		expect(run(s, [{type: 'submit'}], asked.state).quit).toBe(true);
	});
	test('help toggles', () => {
		const s = fx.stage30Green();
		expect(
			run(s, [
				{type: 'action', action: 'help'},
				{type: 'action', action: 'help'},
			]).state.overlay.kind,
		).toBe('none');
	});
});

describe('decodeKey', () => {
	const none = initialUiState;
	const typing: UiState = {overlay: {kind: 'reason', action: 'emergency_rollback', text: ''}, flash: null};
	test('keys map through the keymap only when no dialog is open', () => {
		expect(decodeKey(none, 'p', {})).toEqual({type: 'action', action: 'promote'});
		expect(decodeKey(typing, 'p', {})).toEqual({type: 'text', text: 'p'});
		expect(decodeKey(typing, 'q', {})).toEqual({type: 'text', text: 'q'});
	});
	test('Enter, Esc, Backspace, Ctrl-C in a dialog', () => {
		expect(decodeKey(typing, '', {return: true})).toEqual({type: 'submit'});
		expect(decodeKey(typing, '', {escape: true})).toEqual({type: 'cancel'});
		expect(decodeKey(typing, '', {backspace: true})).toEqual({type: 'backspace'});
		expect(decodeKey(typing, 'c', {ctrl: true})).toEqual({type: 'cancel'});
		expect(decodeKey({overlay: {kind: 'quit_confirm', summary: ''}, flash: null}, 'c', {ctrl: true})).toEqual({type: 'submit'});
		expect(decodeKey(none, 'c', {ctrl: true})).toEqual({type: 'action', action: 'quit'});
	});
	test('pasted escape sequences and controls never reach a field', () => {
		expect(decodeKey(typing, '\u001b[31mred\u0007', {})).toEqual({type: 'text', text: '[31mred'});
		expect(decodeKey(typing, '\u202e', {})).toBeUndefined();
	});
});

describe('double press', () => {
	test('p Enter p before the engine answers: the second p is ignored; after a newer snapshot it works again', () => {
		const s = held();
		const first = run(s, [{type: 'action', action: 'promote'}, {type: 'submit'}, {type: 'action', action: 'promote'}, {type: 'submit'}]);
		expect(first.sent).toEqual([{type: 'promote', to: 50}]);
		expect(first.state.flash).toBe('ignored: promote just sent, waiting for the engine');
		const later = run({...s, at: s.at + 1000}, [{type: 'action', action: 'promote'}], first.state);
		expect(later.state.overlay.kind).toBe('promote');
	});
	test('a rollback right after a promote is never held back by it', () => {
		const s = held();
		const r = run(s, [{type: 'action', action: 'promote'}, {type: 'submit'}, {type: 'action', action: 'emergency_rollback'}, ...type('bad'), {type: 'submit'}]);
		expect(r.sent).toEqual([
			{type: 'promote', to: 50},
			{type: 'emergency_rollback', reason: 'bad'},
		]);
	});
});
