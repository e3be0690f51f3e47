/**
 * The console's UI state: which dialog is open, what was typed, where the
 * event log is scrolled. A pure reducer over a discriminated union, tested
 * without rendering. It never decides the launch: it turns key presses into at
 * most one `OperatorCommand`, after a confirmation for anything dangerous; the
 * promote rules it shows come from the core (`core/soak.ts`), which decides again.
 */
import type {Snapshot, ActionKind, LogEntry} from './core/snapshot.js';
import type {OperatorCommand} from './core/operator-commands.js';
import type {LaunchEnd} from './core/console-view.js';
import {commandIdOf, isDangerous} from './core/commands.js';
import {isManual} from './core/soak.js';
import {acknowledgeSummary} from './core/acknowledge.js';
import {bindingFor, type KeyAction} from './keymap.js';
import {moveLogMark, selectedLogEntry, type LogMark} from './log-cursor.js';
import {failedStep, isLive, promoteTarget, signOffItems} from './live-keys.js';

export type Overlay =
	| {kind: 'none'}
	| {kind: 'help'}
	/** The Why and every gate item in full. */
	| {kind: 'zoom'}
	/** Promote to `to` (Tab/↑/↓ choose among later stages); `text` is the typed SKIP when the stage has not held its time. */
	| {kind: 'promote'; to: number; from: number | null; text: string}
	/** Yes/no confirmation of an exact command (re-arm). */
	| {kind: 'confirm'; action: 'rearm' | 'acknowledge' | 'rerun_step'; command: OperatorCommand; summary: string}
	/** A rollback reason being typed; Enter sends the emergency rollback, or moves on to the typed confirmation. */
	| {kind: 'reason'; action: 'emergency_rollback' | 'full_rollback'; text: string}
	/** Full rollback: type the service name or ROLLBACK. */
	| {kind: 'typed_confirm'; reason: string; text: string}
	| {kind: 'sign_off'; step: 'item' | 'role' | 'name'; itemIndex: number; role: string; name: string}
	| {kind: 'note'; text: string}
	| {kind: 'quit_confirm'; summary: string}
	/** One event log line in full, with its ready-to-paste message. */
	| {kind: 'log_entry'; entry: LogEntry}
	/** The event log filter being typed. */
	| {kind: 'filter'; text: string};

export type UiState = {
	overlay: Overlay;
	flash: string | null;
	/**
	 * The last dangerous command sent and the snapshot time it was sent at. Until
	 * a newer snapshot shows the engine took it, the same key is ignored: a fast
	 * double p + Enter must not become two promotions.
	 */
	lastSent?: {action: KeyAction; snapshotAt: number} | null;
	/** Event log: only lines containing this (case-insensitive); empty = all. */
	logFilter?: string;
	/** Event log: the selected line; null = follow the newest. */
	logMark?: LogMark | null;
	/** Set when the launch has ended: only viewing keys, help and quit still do something. */
	ended?: LaunchEnd | null;
};

export const initialUiState: UiState = {overlay: {kind: 'none'}, flash: null, lastSent: null, logFilter: '', logMark: null, ended: null};

export type UiEvent =
	| {type: 'action'; action: KeyAction}
	| {type: 'text'; text: string}
	| {type: 'backspace'}
	| {type: 'submit'}
	| {type: 'cancel'}
	| {type: 'next'}
	| {type: 'prev'}
	| {type: 'clear_flash'}
	/** A key bound to nothing: said for a moment, never silently dropped. */
	| {type: 'unknown'; key: string}
	| {type: 'ended'; end: LaunchEnd};

export type UiStep = {state: UiState; send: OperatorCommand | null; quit: boolean};

/** Typed text is capped: a reason or a note is one line in the journal. */
const maxInputLength = 200;

/** Lines PgUp/PgDn move the log selection. */
const logPage = 10;

const actionWords: Record<ActionKind, string> = {
	promote: 'promote',
	emergency_rollback: 'emergency rollback',
	full_rollback: 'full rollback',
	hook: 'hook',
};

function step(state: UiState, send: OperatorCommand | null = null, quit = false): UiStep {
	return {state, send, quit};
}

const none: Overlay = {kind: 'none'};

/** The next state keeps the log view and the end; only overlay and flash change. */
function flash(state: UiState, text: string | null, overlay: Overlay = none, send: OperatorCommand | null = null): UiStep {
	return step({...state, overlay, flash: text}, send);
}

function percentText(p: number | null): string {
	return p === null ? 'unknown' : `${p} %`;
}

function onViewAction(state: UiState, action: KeyAction, snapshot: Snapshot): UiStep | null {
	const move = (delta: number) => step({...state, logMark: moveLogMark(snapshot.log, state.logFilter ?? '', state.logMark ?? null, delta)});
	switch (action) {
		case 'log_up':
			return move(-1);
		case 'log_down':
			return move(1);
		case 'log_page_up':
			return move(-logPage);
		case 'log_page_down':
			return move(logPage);
		case 'log_open': {
			const entry = selectedLogEntry(snapshot.log, state.logFilter ?? '', state.logMark ?? null);
			return entry ? flash(state, null, {kind: 'log_entry', entry}) : flash(state, 'event log: no line to open');
		}
		case 'log_filter':
			return flash(state, null, {kind: 'filter', text: state.logFilter ?? ''});
		case 'zoom':
			return flash(state, null, state.overlay.kind === 'zoom' ? none : {kind: 'zoom'});
		case 'help':
			return flash(state, null, state.overlay.kind === 'help' ? none : {kind: 'help'});
		default:
			return null;
	}
}

function onAction(state: UiState, action: KeyAction, snapshot: Snapshot): UiStep {
	const view = onViewAction(state, action, snapshot);
	if (view) return view;
	const binding = bindingFor(action);
	if (action === 'quit') {
		if (state.ended || !isLive(snapshot)) return step(state, null, true);
		return flash(state, null, {kind: 'quit_confirm', summary: quitSummary(snapshot)});
	}
	if (state.ended) return flash(state, `the launch has ended (${state.ended.outcome.replace('_', ' ')}): ${binding.label} does nothing now — q to exit`);
	if (binding.dangerous && blockedByInFlight(action, snapshot))
		return flash(state, `ignored: ${actionWords[snapshot.action.kind === 'in_flight' ? snapshot.action.action : 'hook']} already in flight`);
	if (binding.dangerous && state.lastSent?.action === action && snapshot.at <= state.lastSent.snapshotAt)
		return flash(state, `ignored: ${binding.label} just sent, waiting for the engine`);
	switch (action) {
		case 'promote': {
			const plan = promoteTarget(snapshot);
			if (!plan.ok) return flash(state, `promote: ${plan.why}`);
			return flash(state, null, {kind: 'promote', to: plan.to, from: plan.from, text: ''});
		}
		case 'emergency_rollback':
		case 'full_rollback':
			return flash(state, null, {kind: 'reason', action, text: ''});
		case 'pause':
			if (isManual(snapshot.canary)) return flash(state, '--manual: nothing auto-advances, so there is nothing to pause or resume; p promotes');
			return snapshot.canary.paused
				? flash(state, 'auto-advance resumed', none, {type: 'resume'})
				: flash(state, 'auto-advance paused (rollback triggers still fire)', none, {type: 'pause'});
		case 'sign_off':
			return signOffItems(snapshot).length === 0
				? flash(state, 'sign off: no manual gate item is waiting')
				: flash(state, null, {kind: 'sign_off', step: 'item', itemIndex: 0, role: '', name: ''});
		case 'note':
			return flash(state, null, {kind: 'note', text: ''});
		case 'rearm':
			if (snapshot.canary.armed) return flash(state, 're-arm: already armed');
			return flash(state, null, {
				kind: 'confirm',
				action: 'rearm',
				command: {type: 'rearm'},
				summary: `Re-arm ${snapshot.flag}: promotion allowed again from ${percentText(snapshot.flagPercent)} (${isManual(snapshot.canary) ? 'still --manual: only p promotes' : 'auto-advance as before'})`,
			});
		case 'acknowledge': {
			const summary = acknowledgeSummary(snapshot);
			if (summary === null) return flash(state, 'acknowledge: no flag change made outside golive is waiting');
			return flash(state, null, {kind: 'confirm', action: 'acknowledge', command: {type: 'acknowledge'}, summary});
		}
		case 'rerun_step': {
			const failed = failedStep(snapshot);
			if (!failed) return flash(state, 're-run: no runbook step has failed');
			return flash(state, null, {
				kind: 'confirm',
				action: 'rerun_step',
				command: {type: 'rerun_step', itemId: failed.id},
				summary: `Run step ${failed.id} again: ${failed.label}`,
			});
		}
		default:
			return flash(state, `${binding.label}: not available here`);
	}
}

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
 * rollback is never held back by a promotion (rollback beats promote); the
 * engine sequences it after the write in flight.
 */
function blockedByInFlight(action: KeyAction, snapshot: Snapshot): boolean {
	if (snapshot.action.kind !== 'in_flight') return false;
	const rollback = action === 'emergency_rollback' || action === 'full_rollback';
	const inFlight = snapshot.action.action;
	return !(rollback && (inFlight === 'promote' || inFlight === 'hook'));
}

/** Sends a dangerous command only if nothing blocks it now (the dialog may have been open a while). */
function sendDangerous(state: UiState, command: OperatorCommand, snapshot: Snapshot): UiStep {
	const action = dangerousAction(command);
	if (action && blockedByInFlight(action, snapshot) && snapshot.action.kind === 'in_flight')
		return flash(state, `ignored: ${actionWords[snapshot.action.action]} already in flight`);
	return flash(state, null, none, command);
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

const yes = (event: UiEvent) => event.type === 'submit' || (event.type === 'text' && event.text.toLowerCase() === 'y');
const no = (event: UiEvent) => event.type === 'text' && event.text.toLowerCase() === 'n';

function reduce(state: UiState, event: UiEvent, snapshot: Snapshot): UiStep {
	if (event.type === 'clear_flash') return step({...state, flash: null});
	if (event.type === 'ended') return step({...state, ended: event.end, overlay: state.overlay.kind === 'quit_confirm' ? none : state.overlay});
	const {overlay} = state;
	if (event.type === 'cancel' && overlay.kind === 'filter') return flash(state, 'event log: filter cleared');
	if (event.type === 'cancel' && overlay.kind !== 'none')
		return flash(state, overlay.kind === 'help' || overlay.kind === 'zoom' || overlay.kind === 'log_entry' ? null : 'cancelled: nothing was sent');
	if (event.type === 'unknown') return flash(state, `${event.key}: unknown key — ? for help`, overlay);
	switch (overlay.kind) {
		case 'none':
			if (event.type === 'action') return onAction(state, event.action, snapshot);
			if (event.type === 'cancel') return step({...state, flash: null, logMark: null, logFilter: ''});
			return step(state);
		case 'log_entry':
		case 'help':
		case 'zoom':
			if (overlay.kind === 'log_entry' && event.type === 'action' && (event.action === 'log_up' || event.action === 'log_down')) {
				const moved = onAction(state, event.action, snapshot).state;
				const entry = selectedLogEntry(snapshot.log, moved.logFilter ?? '', moved.logMark ?? null);
				return step({...moved, overlay: entry ? {kind: 'log_entry', entry} : none});
			}
			if (event.type === 'submit' || (event.type === 'action' && event.action === 'quit')) return flash(state, null);
			if (event.type === 'action') return onAction(state, event.action, snapshot);
			return step(state);
		case 'promote':
			return promoteStep(state, overlay, event, snapshot);
		case 'confirm':
			if (yes(event)) return sendDangerous(state, overlay.command, snapshot);
			if (no(event)) return flash(state, 'cancelled: nothing was sent');
			return step(state);
		case 'quit_confirm':
			if (yes(event)) return step({...state, overlay: none, flash: null}, null, true);
			if (no(event)) return flash(state, null);
			return step(state);
		case 'reason': {
			if (event.type !== 'submit') return step({...state, overlay: {...overlay, text: edit(overlay.text, event)}});
			const reason = overlay.text.trim();
			if (reason === '') return flash(state, 'a reason is required (it goes into the journal and the report)', overlay);
			if (overlay.action === 'emergency_rollback') return sendDangerous(state, {type: 'emergency_rollback', reason}, snapshot);
			return flash(state, null, {kind: 'typed_confirm', reason, text: ''});
		}
		case 'typed_confirm': {
			if (event.type !== 'submit') return step({...state, overlay: {...overlay, text: edit(overlay.text, event)}});
			const typed = overlay.text.trim();
			if (typed !== snapshot.service && typed !== 'ROLLBACK') return flash(state, `type ${snapshot.service} or ROLLBACK to confirm`, {...overlay, text: ''});
			return sendDangerous(state, {type: 'full_rollback', reason: overlay.reason}, snapshot);
		}
		case 'note': {
			if (event.type !== 'submit') return step({...state, overlay: {...overlay, text: edit(overlay.text, event)}});
			const text = overlay.text.trim();
			if (text === '') return flash(state, 'empty note: nothing was sent');
			return flash(state, 'note added', none, {type: 'note', text});
		}
		case 'filter': {
			if (event.type !== 'submit') return step({...state, overlay: {...overlay, text: edit(overlay.text, event)}});
			const filter = overlay.text.trim();
			return step({...state, overlay: none, flash: filter === '' ? 'event log: all lines' : null, logFilter: filter, logMark: null});
		}
		case 'sign_off':
			return signOffStep(state, overlay, event, snapshot);
		default: {
			const _never: never = overlay;
			return _never;
		}
	}
}

/**
 * The promote dialog: Tab/↑/↓ choose the target among the later stages; when
 * the stage has not held its green time (or stages are jumped) only a typed
 * SKIP sends, and the command says so. If the canary moved while the dialog
 * was open, its promise is void and nothing is sent.
 */
function promoteStep(state: UiState, overlay: Extract<Overlay, {kind: 'promote'}>, event: UiEvent, snapshot: Snapshot): UiStep {
	const now = promoteTarget(snapshot, overlay.to);
	if (event.type === 'next' || event.type === 'prev') {
		const choices = now.ok ? now.later : [overlay.to];
		const at = Math.max(0, choices.indexOf(overlay.to));
		const to = choices[(at + (event.type === 'next' ? 1 : -1) + choices.length) % choices.length] ?? overlay.to;
		return step({...state, overlay: {...overlay, to}});
	}
	const needsSkip = now.ok && now.skip !== null;
	if (event.type === 'text' || event.type === 'backspace') {
		if (!needsSkip && event.type === 'text' && no(event)) return flash(state, 'cancelled: nothing was sent');
		if (!needsSkip && event.type === 'text' && event.text.toLowerCase() === 'y') return promoteStep(state, overlay, {type: 'submit'}, snapshot);
		return step({...state, overlay: {...overlay, text: edit(overlay.text, event)}});
	}
	if (event.type !== 'submit') return step(state);
	if (snapshot.action.kind === 'in_flight') return flash(state, `ignored: ${actionWords[snapshot.action.action]} already in flight`);
	if (!now.ok || now.from !== overlay.from)
		return flash(state, `not sent: the canary moved while you confirmed (${percentText(snapshot.flagPercent)} now); press p again`);
	if (needsSkip && overlay.text.trim() !== 'SKIP')
		return flash(state, 'type SKIP (capitals) to promote before the stage held its time, or Esc', {...overlay, text: ''});
	return sendDangerous(state, {type: 'promote', to: overlay.to, ...(needsSkip ? {skip: true} : {})}, snapshot);
}

function signOffStep(state: UiState, overlay: Extract<Overlay, {kind: 'sign_off'}>, event: UiEvent, snapshot: Snapshot): UiStep {
	const items = signOffItems(snapshot);
	const item = items[Math.min(overlay.itemIndex, items.length - 1)];
	if (!item) return flash(state, 'sign off: no manual gate item is waiting');
	const roles = item.roles ?? [];
	switch (overlay.step) {
		case 'item':
			if (event.type === 'next' || event.type === 'prev') {
				const delta = event.type === 'next' ? 1 : -1;
				return flash(state, null, {...overlay, itemIndex: (overlay.itemIndex + delta + items.length) % items.length});
			}
			if (event.type === 'submit') return flash(state, null, {...overlay, step: 'role', role: roles[0] ?? ''});
			return step(state);
		case 'role': {
			if ((event.type === 'next' || event.type === 'prev') && roles.length > 0) {
				const at = roles.indexOf(overlay.role);
				const delta = event.type === 'next' ? 1 : -1;
				const role = roles[(at + delta + roles.length) % roles.length] ?? '';
				return flash(state, null, {...overlay, role});
			}
			if (event.type !== 'submit') return step({...state, overlay: {...overlay, role: edit(overlay.role, event)}});
			if (overlay.role.trim() === '') return flash(state, 'a role is required', overlay);
			return flash(state, null, {...overlay, step: 'name'});
		}
		case 'name': {
			if (event.type !== 'submit') return step({...state, overlay: {...overlay, name: edit(overlay.name, event)}});
			const name = overlay.name.trim();
			if (name === '') return flash(state, 'type your name to sign off', overlay);
			return flash(state, `signed off ${item.label} as ${overlay.role.trim()}`, none, {type: 'sign_off', itemId: item.id, role: overlay.role.trim(), name});
		}
		default: {
			const _never: never = overlay.step;
			return _never;
		}
	}
}
