/**
 * The console's UI state: which dialog is open and what was typed. A pure
 * reducer over a discriminated union, tested without rendering. It never
 * decides the launch: it turns key presses into at most one `OperatorCommand`,
 * after a confirmation for anything dangerous.
 */
import type {Snapshot, ActionKind} from './core/snapshot.js';
import type {OperatorCommand} from './core/operator-commands.js';
import type {GateItemView} from './core/decision-types.js';
import type {DialogView} from '../widgets/dialog.js';
import {commandIdOf, isDangerous} from './core/commands.js';
import {bindingFor, lookupKey, type KeyAction, type KeyFlags} from './keymap.js';

export type {DialogView};

export type Overlay =
	| {kind: 'none'}
	| {kind: 'help'}
	/** Yes/no confirmation of an exact command (promote, re-arm, re-run a step). */
	| {
			kind: 'confirm';
			action: 'promote' | 'rearm' | 'rerun_step';
			command: OperatorCommand;
			summary: string;
			/** For promote: the percent the dialog promised; if the canary moved meanwhile, Enter sends nothing. */
			targetPercent?: number;
	  }
	/** A rollback reason being typed; Enter sends the emergency rollback, or moves on to the typed confirmation. */
	| {kind: 'reason'; action: 'emergency_rollback' | 'full_rollback'; text: string}
	/** Full rollback: type the service name or ROLLBACK. */
	| {kind: 'typed_confirm'; reason: string; text: string}
	| {kind: 'sign_off'; step: 'item' | 'role' | 'name'; itemIndex: number; role: string; name: string}
	| {kind: 'note'; text: string}
	| {kind: 'quit_confirm'; summary: string};

export type UiState = {
	overlay: Overlay;
	flash: string | null;
	/**
	 * The last dangerous command sent and the snapshot time it was sent at. Until
	 * a newer snapshot shows the engine took it, the same key is ignored: a fast
	 * double p + Enter must not become two promotions.
	 */
	lastSent?: {action: KeyAction; snapshotAt: number} | null;
};

export const initialUiState: UiState = {overlay: {kind: 'none'}, flash: null, lastSent: null};

export type UiEvent =
	| {type: 'action'; action: KeyAction}
	| {type: 'text'; text: string}
	| {type: 'backspace'}
	| {type: 'submit'}
	| {type: 'cancel'}
	| {type: 'next'}
	| {type: 'prev'}
	| {type: 'clear_flash'};

export type UiStep = {state: UiState; send: OperatorCommand | null; quit: boolean};

/** Ink's key flags the decoder reads. */
export type InputKey = KeyFlags & {
	backspace?: boolean;
	delete?: boolean;
	tab?: boolean;
	upArrow?: boolean;
	downArrow?: boolean;
	shift?: boolean;
};

/** Typed text is capped: a reason or a note is one line in the journal. */
export const maxInputLength = 200;

const actionWords: Record<ActionKind, string> = {
	promote: 'promote',
	emergency_rollback: 'emergency rollback',
	full_rollback: 'full rollback',
	hook: 'hook',
};

/** A canary is live: leaving the console would leave it unwatched. */
export function isLive(snapshot: Snapshot): boolean {
	const phase = snapshot.canary.phase.kind;
	return phase === 'stage' || phase === 'stabilizing' || snapshot.action.kind === 'in_flight';
}

/** Manual gate items still waiting for a sign-off, in gate order. */
export function signOffItems(snapshot: Snapshot): GateItemView[] {
	return snapshot.gates.flatMap((g) => g.items.filter((i) => i.kind === 'manual' && i.status !== 'pass'));
}

type PromotePlan = {ok: true; percent: number; from: number | null} | {ok: false; why: string};

/** Where a promote would take the flag, as the confirm dialog must say it. */
export function promoteTarget(snapshot: Snapshot): PromotePlan {
	const {phase, armed} = snapshot.canary;
	if (!armed) return {ok: false, why: 'disarmed after a rollback: press a to re-arm first'};
	switch (phase.kind) {
		case 'pre': {
			const first = snapshot.stages[0];
			return first === undefined ? {ok: false, why: 'the plan has no canary stages'} : {ok: true, percent: first, from: snapshot.flagPercent};
		}
		case 'stage': {
			const next = snapshot.stages[phase.index + 1];
			return next === undefined
				? {ok: false, why: `already at ${phase.percent} %: Gate G stabilization follows by itself`}
				: {ok: true, percent: next, from: phase.percent};
		}
		case 'stabilizing':
			return {ok: false, why: 'at 100 %, stabilizing (Gate G): nothing to promote'};
		case 'succeeded':
			return {ok: false, why: 'launch succeeded: nothing to promote'};
		case 'rolled_back':
			return {ok: false, why: 'rolled back: press a to re-arm first'};
		case 'aborted':
			return {ok: false, why: `launch aborted (${phase.reason}): nothing to promote`};
		default: {
			const _never: never = phase;
			return _never;
		}
	}
}

function step(state: UiState, send: OperatorCommand | null = null, quit = false): UiStep {
	return {state, send, quit};
}

const none: Overlay = {kind: 'none'};

function flash(text: string, overlay: Overlay = none): UiStep {
	return step({overlay, flash: text});
}

function percentText(p: number | null): string {
	return p === null ? 'unknown' : `${p} %`;
}

function onAction(state: UiState, action: KeyAction, snapshot: Snapshot): UiStep {
	const binding = bindingFor(action);
	if (snapshot.readOnly && !binding.readOnlyOk) return flash(`read-only: ${binding.label} is not available in a watcher console`);
	if (binding.dangerous && blockedByInFlight(action, snapshot)) return flash(`ignored: ${actionWords[snapshot.action.kind === 'in_flight' ? snapshot.action.action : 'hook']} already in flight`);
	if (binding.dangerous && state.lastSent?.action === action && snapshot.at <= state.lastSent.snapshotAt) return flash(`ignored: ${binding.label} just sent, waiting for the engine`);
	switch (action) {
		case 'help':
			return step({overlay: state.overlay.kind === 'help' ? none : {kind: 'help'}, flash: null});
		case 'quit':
			if (!isLive(snapshot)) return step(state, null, true);
			return step({overlay: {kind: 'quit_confirm', summary: quitSummary(snapshot)}, flash: null});
		case 'promote': {
			const plan = promoteTarget(snapshot);
			if (!plan.ok) return flash(`promote: ${plan.why}`);
			const from = plan.from === null ? '' : ` (now ${percentText(plan.from)})`;
			return step({
				overlay: {kind: 'confirm', action: 'promote', command: {type: 'promote'}, summary: `Set ${snapshot.flag} to ${plan.percent} %${from}`, targetPercent: plan.percent},
				flash: null,
			});
		}
		case 'emergency_rollback':
		case 'full_rollback':
			return step({overlay: {kind: 'reason', action, text: ''}, flash: null});
		case 'pause':
			return snapshot.canary.paused
				? step({overlay: none, flash: 'auto-advance resumed'}, {type: 'resume'})
				: step({overlay: none, flash: 'auto-advance paused (rollback triggers still fire)'}, {type: 'pause'});
		case 'sign_off':
			return signOffItems(snapshot).length === 0
				? flash('sign off: no manual gate item is waiting')
				: step({overlay: {kind: 'sign_off', step: 'item', itemIndex: 0, role: '', name: ''}, flash: null});
		case 'note':
			return step({overlay: {kind: 'note', text: ''}, flash: null});
		case 'rerun_step': {
			const failed = snapshot.gates.flatMap((g) => g.items.filter((i) => i.kind === 'step' && i.status === 'fail'))[0];
			if (!failed) return flash('re-run: no runbook step has failed');
			return step({overlay: {kind: 'confirm', action: 'rerun_step', command: {type: 'rerun_step', itemId: failed.id}, summary: `Run step ${failed.id} again: ${failed.label}`}, flash: null});
		}
		case 'rearm':
			if (snapshot.canary.armed) return flash('re-arm: already armed');
			return step({
				overlay: {kind: 'confirm', action: 'rearm', command: {type: 'rearm'}, summary: `Re-arm ${snapshot.flag}: promotion allowed again from ${percentText(snapshot.flagPercent)}`},
				flash: null,
			});
		default: {
			const _never: never = action;
			return _never;
		}
	}
}

const confirmTitles = {promote: 'Promote the canary?', rearm: 'Re-arm the canary?', rerun_step: 'Run the step again?'} as const;

function quitSummary(snapshot: Snapshot): string {
	return `The canary is live: ${snapshot.flag} stays at ${percentText(snapshot.flagPercent)} and nothing watches it once golive exits`;
}

function edit(text: string, event: UiEvent): string {
	if (event.type === 'backspace') return Array.from(text).slice(0, -1).join('');
	if (event.type === 'text') return `${text}${event.text}`.slice(0, maxInputLength);
	return text;
}

/**
 * A dangerous key waits while an action is in flight, with one exception: a
 * rollback is never held back by a promotion (rollback beats promote, DESIGN's
 * fail-safe rules); the engine sequences it after the write in flight.
 */
function blockedByInFlight(action: KeyAction, snapshot: Snapshot): boolean {
	if (snapshot.action.kind !== 'in_flight') return false;
	const rollback = action === 'emergency_rollback' || action === 'full_rollback';
	const inFlight = snapshot.action.action;
	return !(rollback && (inFlight === 'promote' || inFlight === 'hook'));
}

/** Sends a dangerous command only if nothing blocks it now (the dialog may have been open a while). */
function sendDangerous(command: OperatorCommand, snapshot: Snapshot): UiStep {
	if (snapshot.readOnly) return flash('read-only: nothing was sent');
	const action = dangerousAction(command);
	if (action && blockedByInFlight(action, snapshot) && snapshot.action.kind === 'in_flight') return flash(`ignored: ${actionWords[snapshot.action.action]} already in flight`);
	return step({overlay: none, flash: null}, command);
}

/** The one transition function: state × event × the current snapshot → next state and at most one command. */
export function uiReducer(state: UiState, event: UiEvent, snapshot: Snapshot): UiStep {
	const result = reduce(state, event, snapshot);
	const sentAction = result.send ? dangerousAction(result.send) : null;
	const lastSent = sentAction ? {action: sentAction, snapshotAt: snapshot.at} : (state.lastSent ?? null);
	return {...result, state: {...result.state, lastSent}};
}

/** The command table says which commands are dangerous (source/core/commands.ts). */
function dangerousAction(command: OperatorCommand): KeyAction | null {
	return isDangerous(command) ? commandIdOf(command) : null;
}

function reduce(state: UiState, event: UiEvent, snapshot: Snapshot): UiStep {
	if (event.type === 'clear_flash') return step({...state, flash: null});
	const {overlay} = state;
	if (event.type === 'cancel' && overlay.kind !== 'none') return step({overlay: none, flash: 'cancelled: nothing was sent'});
	switch (overlay.kind) {
		case 'none':
			if (event.type === 'action') return onAction(state, event.action, snapshot);
			if (event.type === 'cancel') return step({...state, flash: null});
			return step(state);
		case 'help':
			if (event.type === 'action' && (event.action === 'help' || event.action === 'quit')) return step({overlay: none, flash: null});
			if (event.type === 'submit') return step({overlay: none, flash: null});
			return step(state);
		case 'confirm':
			if (event.type === 'submit' || (event.type === 'text' && event.text.toLowerCase() === 'y')) {
				// The dialog promised an exact change; if the canary moved while it was open, that promise is void.
				if (overlay.targetPercent !== undefined) {
					const now = promoteTarget(snapshot);
					if (!now.ok || now.percent !== overlay.targetPercent) return flash(`not sent: the canary moved while you confirmed (${percentText(snapshot.flagPercent)} now); press p again`);
				}
				return sendDangerous(overlay.command, snapshot);
			}
			if (event.type === 'text' && event.text.toLowerCase() === 'n') return step({overlay: none, flash: 'cancelled: nothing was sent'});
			return step(state);
		case 'quit_confirm':
			if (event.type === 'submit' || (event.type === 'text' && event.text.toLowerCase() === 'y')) return step({overlay: none, flash: null}, null, true);
			if (event.type === 'text' && event.text.toLowerCase() === 'n') return step({overlay: none, flash: null});
			return step(state);
		case 'reason': {
			if (event.type !== 'submit') return step({overlay: {...overlay, text: edit(overlay.text, event)}, flash: state.flash});
			const reason = overlay.text.trim();
			if (reason === '') return flash('a reason is required (it goes into the journal and the report)', overlay);
			if (overlay.action === 'emergency_rollback') return sendDangerous({type: 'emergency_rollback', reason}, snapshot);
			return step({overlay: {kind: 'typed_confirm', reason, text: ''}, flash: null});
		}
		case 'typed_confirm': {
			if (event.type !== 'submit') return step({overlay: {...overlay, text: edit(overlay.text, event)}, flash: state.flash});
			const typed = overlay.text.trim();
			if (typed !== snapshot.service && typed !== 'ROLLBACK') return flash(`type ${snapshot.service} or ROLLBACK to confirm`, {...overlay, text: ''});
			return sendDangerous({type: 'full_rollback', reason: overlay.reason}, snapshot);
		}
		case 'note': {
			if (event.type !== 'submit') return step({overlay: {...overlay, text: edit(overlay.text, event)}, flash: state.flash});
			const text = overlay.text.trim();
			if (text === '') return step({overlay: none, flash: 'empty note: nothing was sent'});
			if (snapshot.readOnly) return flash('read-only: nothing was sent');
			return step({overlay: none, flash: 'note added'}, {type: 'note', text});
		}
		case 'sign_off':
			return signOffStep(state, overlay, event, snapshot);
		default: {
			const _never: never = overlay;
			return _never;
		}
	}
}

function signOffStep(state: UiState, overlay: Extract<Overlay, {kind: 'sign_off'}>, event: UiEvent, snapshot: Snapshot): UiStep {
	const items = signOffItems(snapshot);
	const item = items[Math.min(overlay.itemIndex, items.length - 1)];
	if (!item) return flash('sign off: no manual gate item is waiting');
	const roles = item.roles ?? [];
	switch (overlay.step) {
		case 'item':
			if (event.type === 'next' || event.type === 'prev') {
				const delta = event.type === 'next' ? 1 : -1;
				return step({overlay: {...overlay, itemIndex: (overlay.itemIndex + delta + items.length) % items.length}, flash: null});
			}
			if (event.type === 'submit') return step({overlay: {...overlay, step: 'role', role: roles[0] ?? ''}, flash: null});
			return step(state);
		case 'role': {
			if ((event.type === 'next' || event.type === 'prev') && roles.length > 0) {
				const at = roles.indexOf(overlay.role);
				const delta = event.type === 'next' ? 1 : -1;
				const role = roles[(at + delta + roles.length) % roles.length] ?? '';
				return step({overlay: {...overlay, role}, flash: null});
			}
			if (event.type !== 'submit') return step({overlay: {...overlay, role: edit(overlay.role, event)}, flash: state.flash});
			if (overlay.role.trim() === '') return flash('a role is required', overlay);
			return step({overlay: {...overlay, step: 'name'}, flash: null});
		}
		case 'name': {
			if (event.type !== 'submit') return step({overlay: {...overlay, name: edit(overlay.name, event)}, flash: state.flash});
			const name = overlay.name.trim();
			if (name === '') return flash('type your name to sign off', overlay);
			if (snapshot.readOnly) return flash('read-only: nothing was sent');
			return step({overlay: none, flash: `signed off ${item.label} as ${overlay.role.trim()}`}, {type: 'sign_off', itemId: item.id, role: overlay.role.trim(), name});
		}
		default: {
			const _never: never = overlay.step;
			return _never;
		}
	}
}

function isTextOverlay(overlay: Overlay): boolean {
	return overlay.kind === 'reason' || overlay.kind === 'typed_confirm' || overlay.kind === 'note' || (overlay.kind === 'sign_off' && overlay.step !== 'item');
}

// Pasted text may carry escape sequences or newlines; only printable characters enter a field.
// eslint-disable-next-line no-control-regex
const unprintable = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Turns one Ink key press into a UI event for the current overlay (undefined: ignore it). */
export function decodeKey(state: UiState, input: string, key: InputKey): UiEvent | undefined {
	const {overlay} = state;
	const ctrlC = key.ctrl === true && input === 'c';
	if (overlay.kind === 'none') {
		if (key.escape) return {type: 'cancel'};
		const action = lookupKey(input, key);
		return action ? {type: 'action', action} : undefined;
	}
	if (overlay.kind === 'quit_confirm' && ctrlC) return {type: 'submit'};
	if (ctrlC || key.escape) return {type: 'cancel'};
	if (key.return) return {type: 'submit'};
	if (key.tab || key.downArrow) return key.shift ? {type: 'prev'} : {type: 'next'};
	if (key.upArrow) return {type: 'prev'};
	if (overlay.kind === 'help') {
		const action = lookupKey(input, key);
		return action ? {type: 'action', action} : undefined;
	}
	if (key.backspace || key.delete) return isTextOverlay(overlay) ? {type: 'backspace'} : undefined;
	if (key.ctrl || key.meta) return undefined;
	const text = input.replace(unprintable, '');
	return text === '' ? undefined : {type: 'text', text};
}

/** What the open dialog says, exactly: the widgets only draw this. */
export function dialogView(overlay: Overlay, snapshot: Snapshot): DialogView | null {
	switch (overlay.kind) {
		case 'none':
		case 'help':
			return null;
		case 'confirm':
			return {
				title: confirmTitles[overlay.action],
				lines: [overlay.summary],
				input: null,
				hint: 'y/Enter: do it   n/Esc: cancel',
				danger: true,
			};
		case 'reason': {
			const what =
				overlay.action === 'emergency_rollback'
					? `Set ${snapshot.flag} to 0 % (emergency rollback) — reason: ${overlay.text || '…'}`
					: `Run the full rollback of ${snapshot.service} (flag to 0 % and the configured rollback command) — reason: ${overlay.text || '…'}`;
			return {
				title: overlay.action === 'emergency_rollback' ? 'EMERGENCY ROLLBACK' : 'FULL ROLLBACK',
				lines: [what],
				input: {label: 'Reason', value: overlay.text},
				hint: overlay.action === 'emergency_rollback' ? 'Enter: roll back now   Esc: cancel' : 'Enter: next   Esc: cancel',
				danger: true,
			};
		}
		case 'typed_confirm':
			return {
				title: 'FULL ROLLBACK — confirm',
				lines: [`Run the full rollback of ${snapshot.service} (flag to 0 % and the configured rollback command) — reason: ${overlay.reason}`, `Type ${snapshot.service} or ROLLBACK to confirm.`],
				input: {label: 'Confirm', value: overlay.text},
				hint: 'Enter: run the full rollback   Esc: cancel',
				danger: true,
			};
		case 'note':
			return {title: 'Operator note', lines: ['Goes into the journal, the event log and the report.'], input: {label: 'Note', value: overlay.text}, hint: 'Enter: add   Esc: cancel', danger: false};
		case 'sign_off': {
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
		case 'quit_confirm':
			return {title: 'Quit golive?', lines: [overlay.summary], input: null, hint: 'y/Enter or Ctrl-C: quit   n/Esc: stay', danger: true};
		default: {
			const _never: never = overlay;
			return _never;
		}
	}
}
