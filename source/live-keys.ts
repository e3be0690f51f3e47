/**
 * What the console may do with a snapshot: which keys are live now (the help
 * bar shows only these), where a promote would go, which sign-offs are open,
 * which runbook step `x` runs again. Pure reads of the snapshot and the core's
 * rules; the UI reducer (`app-state.ts`) and the dialogs use them.
 */
import type {Snapshot} from './core/snapshot.js';
import type {GateItemView} from './core/decision-types.js';
import {isManual, promoteTarget as corePromoteTarget, type PromoteContext, type PromoteTarget} from './core/soak.js';
import {acknowledgeSummary} from './core/acknowledge.js';
import {bindingFor, type KeyAction} from './keymap.js';

/** A canary is live: leaving the console would leave it unwatched. */
export function isLive(snapshot: Snapshot): boolean {
	const phase = snapshot.canary.phase.kind;
	return phase === 'stage' || phase === 'stabilizing' || snapshot.action.kind === 'in_flight';
}

/** Manual gate items still waiting for a sign-off, in gate order. */
export function signOffItems(snapshot: Snapshot): GateItemView[] {
	return snapshot.gates.flatMap((g) => g.items.filter((i) => i.kind === 'manual' && i.status !== 'pass'));
}

function promoteContext(snapshot: Snapshot): PromoteContext {
	return {phase: snapshot.canary.phase, armed: snapshot.canary.armed, stages: snapshot.stages, stageDurationMs: snapshot.stageDurationMs, at: snapshot.at};
}

/** Where a promote would take the flag, as the dialog must say it (the core's rule, on the snapshot). */
export function promoteTarget(snapshot: Snapshot, to?: number): PromoteTarget {
	return corePromoteTarget(promoteContext(snapshot), to);
}

/** Whether a key does something now: the help bar shows only these. */
export function isLiveKey(action: KeyAction, snapshot: Snapshot, ended: boolean): boolean {
	const binding = bindingFor(action);
	if (binding.view || action === 'help' || action === 'quit') return true;
	if (ended) return false;
	const phase = snapshot.canary.phase.kind;
	switch (action) {
		case 'promote':
			return promoteTarget(snapshot).ok;
		case 'emergency_rollback':
		case 'full_rollback':
			return phase !== 'pre' || (snapshot.flagPercent ?? 1) > 0;
		case 'pause':
			return !isManual(snapshot.canary) && (phase === 'stage' || phase === 'stabilizing' || phase === 'pre');
		case 'sign_off':
			return signOffItems(snapshot).length > 0;
		case 'note':
			return true;
		case 'rearm':
			return !snapshot.canary.armed;
		case 'acknowledge':
			return acknowledgeSummary(snapshot) !== null;
		case 'rerun_step':
			return failedStep(snapshot) !== undefined;
		default:
			return false;
	}
}

/** The first failed runbook step: the one `x` runs again. */
export function failedStep(snapshot: Snapshot): {id: string; label: string} | undefined {
	return snapshot.gates.flatMap((g) => g.items.filter((i) => i.kind === 'step' && i.status === 'fail'))[0];
}
