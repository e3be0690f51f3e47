/**
 * What each console dialog says, exactly: the widgets only draw this. A
 * dangerous dialog names the change it will make (the flag and the percent,
 * the command a full rollback runs, or that none is configured).
 */
import type {Snapshot} from './core/snapshot.js';
import type {DialogView} from './core/console-view.js';
import {skipText} from './core/soak.js';
import type {Overlay} from './app-state.js';
import {promoteTarget, signOffItems} from './live-keys.js';

/** The full-rollback promise: what R will run, never more than is configured. */
export function fullRollbackText(snapshot: Snapshot): string {
	return snapshot.fullRollback
		? `set ${snapshot.flag} to 0 %, then run: ${snapshot.fullRollback}`
		: `set ${snapshot.flag} to 0 % only: no rollback command configured`;
}

function promoteDialog(overlay: Extract<Overlay, {kind: 'promote'}>, snapshot: Snapshot): DialogView {
	const target = promoteTarget(snapshot, overlay.to);
	const from = overlay.from === null ? '' : ` (now ${overlay.from} %)`;
	const lines = [`Set ${snapshot.flag} to ${overlay.to} %${from}`];
	const skip = target.ok ? target.skip : null;
	if (skip) lines.push(`⚠ ${skipText(skip)} — type SKIP to promote anyway (journaled and reported as skipped, never passed)`);
	if (!target.ok) lines.push(`not possible now: ${target.why}`);
	const later = target.ok ? target.later : [];
	return {
		title: skip ? 'Promote the canary EARLY?' : 'Promote the canary?',
		lines,
		input: skip ? {label: 'Type SKIP', value: overlay.text} : null,
		hint: `${later.length > 1 ? 'Tab/↑/↓: choose the stage   ' : ''}${skip ? 'Enter: promote (after SKIP)' : 'y/Enter: promote'}   Esc: cancel`,
		danger: true,
		...(later.length > 1 ? {choices: later.map((p) => ({label: `${p} %`, selected: p === overlay.to}))} : {}),
	};
}

function signOffDialog(overlay: Extract<Overlay, {kind: 'sign_off'}>, snapshot: Snapshot): DialogView {
	const items = signOffItems(snapshot);
	const item = items[Math.min(overlay.itemIndex, items.length - 1)];
	const roles = item?.roles ?? [];
	if (overlay.step === 'item') {
		return {
			title: 'Sign off a manual gate item',
			lines: ['Choose the item:'],
			input: null,
			hint: '↑/↓: choose   Enter: next   Esc: cancel',
			danger: false,
			choices: items.map((it, i) => ({label: `${it.label} — ${it.detail}`, selected: i === overlay.itemIndex})),
		};
	}
	const itemLine = `Item: ${item?.label ?? '?'}`;
	if (overlay.step === 'role') {
		return {
			title: 'Sign off — role',
			lines: [itemLine, roles.length > 0 ? `Roles: ${roles.join(', ')} (Tab: next)` : 'Type your role.'],
			input: {label: 'Role', value: overlay.role},
			hint: 'Enter: next   Esc: cancel',
			danger: false,
		};
	}
	return {
		title: 'Sign off — name',
		lines: [itemLine, `Role: ${overlay.role}`],
		input: {label: 'Name', value: overlay.name},
		hint: 'Enter: sign off   Esc: cancel',
		danger: false,
	};
}

/** What the open dialog says; null when none is open (help and zoom are drawn by their own widgets). */
const confirmTitles = {rerun_step: 'Run the step again?', rearm: 'Re-arm the canary?', acknowledge: 'Acknowledge the outside flag change?'} as const;

export function dialogView(overlay: Overlay, snapshot: Snapshot): DialogView | null {
	switch (overlay.kind) {
		case 'none':
		case 'help':
		case 'zoom':
			return null;
		case 'promote':
			return promoteDialog(overlay, snapshot);
		case 'confirm':
			return {
				title: confirmTitles[overlay.action],
				lines: [overlay.summary],
				input: null,
				hint: 'y/Enter: do it   n/Esc: cancel',
				danger: true,
			};
		case 'reason': {
			const emergency = overlay.action === 'emergency_rollback';
			const what = emergency ? `Set ${snapshot.flag} to 0 % (emergency rollback)` : `Full rollback of ${snapshot.service}: ${fullRollbackText(snapshot)}`;
			return {
				title: emergency ? 'EMERGENCY ROLLBACK' : 'FULL ROLLBACK',
				lines: [`${what} — reason: ${overlay.text || '…'}`],
				input: {label: 'Reason', value: overlay.text},
				hint: emergency ? 'Enter: roll back now   Esc: cancel' : 'Enter: next   Esc: cancel',
				danger: true,
			};
		}
		case 'typed_confirm':
			return {
				title: 'FULL ROLLBACK — confirm',
				lines: [
					`Full rollback of ${snapshot.service}: ${fullRollbackText(snapshot)} — reason: ${overlay.reason}`,
					`Type ${snapshot.service} or ROLLBACK to confirm.`,
				],
				input: {label: 'Confirm', value: overlay.text},
				hint: 'Enter: run the full rollback   Esc: cancel',
				danger: true,
			};
		case 'note':
			return {
				title: 'Operator note',
				lines: ['Goes into the journal, the event log and the report.'],
				input: {label: 'Note', value: overlay.text},
				hint: 'Enter: add   Esc: cancel',
				danger: false,
			};
		case 'filter':
			return {
				title: 'Filter the event log',
				lines: ['Only lines containing this text (case-insensitive). Empty: all lines.'],
				input: {label: 'Filter', value: overlay.text},
				hint: 'Enter: apply   Esc: clear',
				danger: false,
			};
		case 'log_entry': {
			const {entry} = overlay;
			const lines = [`${new Date(entry.at).toISOString()} [${entry.level}]`, entry.text];
			if (entry.message) lines.push('', 'Ready to paste:', entry.message);
			return {title: 'Event', lines, input: null, hint: 'Enter/Esc: close   ↑/↓: another line', danger: false};
		}
		case 'sign_off':
			return signOffDialog(overlay, snapshot);
		case 'quit_confirm':
			return {title: 'Quit golive?', lines: [overlay.summary], input: null, hint: 'y/Enter or Ctrl-C: quit   n/Esc: stay', danger: true};
		default: {
			const _never: never = overlay;
			return _never;
		}
	}
}
