import {describe, expect, test} from 'vitest';
import {bindingFor, helpItems, keyName, keyTableMarkdown, keymap, lookupKey} from '../source/keymap.js';
import {initialUiState, uiReducer} from '../source/app-state.js';
import * as fx from './helpers/snapshot-fixtures.js';

describe('keymap', () => {
	test('every key is bound once, every action once', () => {
		const keys = keymap.flatMap((b) => b.keys);
		expect(new Set(keys).size).toBe(keys.length);
		expect(new Set(keymap.map((b) => b.id)).size).toBe(keymap.length);
	});
	test("the issue's keys", () => {
		expect(lookupKey('p', {})).toBe('promote');
		expect(lookupKey('r', {})).toBe('emergency_rollback');
		expect(lookupKey('R', {})).toBe('full_rollback');
		expect(lookupKey(' ', {})).toBe('pause');
		expect(lookupKey('s', {})).toBe('sign_off');
		expect(lookupKey('n', {})).toBe('note');
		expect(lookupKey('a', {})).toBe('rearm');
		expect(lookupKey('?', {})).toBe('help');
		expect(lookupKey('q', {})).toBe('quit');
		expect(lookupKey('c', {ctrl: true})).toBe('quit');
		expect(lookupKey('c', {})).toBeUndefined();
		expect(lookupKey('x', {})).toBe('rerun_step');
		expect(lookupKey('', {return: true})).toBe('log_open');
		expect(lookupKey('', {upArrow: true})).toBe('log_up');
		expect(lookupKey('j', {})).toBe('log_down');
		expect(lookupKey('', {pageUp: true})).toBe('log_page_up');
		expect(lookupKey('/', {})).toBe('log_filter');
		expect(lookupKey('z', {})).toBe('zoom');
		expect(keyName('', {escape: true})).toBe('escape');
	});
	test('promote and both rollbacks are dangerous; help and quit are allowed read-only', () => {
		expect(bindingFor('promote').dangerous).toBe(true);
		expect(bindingFor('emergency_rollback').dangerous).toBe(true);
		expect(bindingFor('full_rollback').dangerous).toBe(true);
		expect(bindingFor('rearm').dangerous).toBe(true);
		expect(keymap.filter((b) => b.readOnlyOk && !b.view).map((b) => b.id)).toEqual(['help', 'quit']);
		expect(keymap.filter((b) => b.view && (b.dangerous || !b.readOnlyOk))).toEqual([]);
		expect(keymap.filter((b) => b.dangerous && b.readOnlyOk)).toEqual([]);
	});
	test('every dangerous action opens a dialog first and sends nothing on its key alone', () => {
		const s = fx.stage30Green();
		for (const b of keymap.filter((k) => k.dangerous)) {
			// Re-arm needs a disarmed canary to have anything to confirm.
			// Re-running needs a failed step.
			const failedStep = {
				...s,
				gates: s.gates.map((g) =>
					g.gate === 'A'
						? {...g, items: [...g.items, {id: 'a_deploy', label: 'Deploy staging', kind: 'step' as const, status: 'fail' as const, detail: 'exit 1'}]}
						: g,
				),
			};
			// Acknowledging needs a flag change made outside golive.
			const outside = {
				...s,
				canary: {...s.canary, armed: false, phase: {kind: 'aborted' as const, at: s.at, reason: 'changed outside golive', outside: {from: 30, to: 0}}},
				flagObservation: {percent: 0, readAt: s.at, outsideChange: {from: 30, to: 0, at: s.at, acknowledged: false}},
			};
			const snapshot = b.id === 'rearm' ? fx.rolledBack() : b.id === 'rerun_step' ? failedStep : b.id === 'acknowledge' ? outside : s;
			const step = uiReducer(initialUiState, {type: 'action', action: b.id}, snapshot);
			expect(step.send, b.id).toBeNull();
			expect(step.state.overlay.kind, b.id).not.toBe('none');
		}
	});
	test('help items and the README table come from the table', () => {
		expect(helpItems()).toHaveLength(keymap.length);
		const md = keyTableMarkdown();
		expect(md.split('\n')).toHaveLength(keymap.length + 2);
		expect(md).toContain(
			"| `R` | Full rollback: flag to 0 % and the plan's rollback command, which the dialog names (type the service name or ROLLBACK) | yes — confirms | no |",
		);
		expect(md).toContain('| `q`, `ctrl+c` |');
	});
});
