/**
 * What a flag write's outcome means for the canary: a read-back that confirms
 * the write starts the stage clock (or the rollback's wait for the probes), a
 * failed rollback write is retried a bounded number of times, and a value
 * golive did not write stops the canary.
 */
import {expectedPercent, isLive} from './canary-phase.js';
import {decision, hold, type CanaryStep} from './canary-step.js';
import type {CanaryEffect, CanaryState} from './canary-types.js';
import {formatAge} from './format.js';
import type {Plan} from './plan-types.js';

/** A failed rollback write is retried this many times in all before golive tells the operator to act by hand. */
export const maxRollbackAttempts = 3;

export function failPending(plan: Plan, state: CanaryState, at: number, detail: string): CanaryStep {
	const pending = state.pending;
	if (!pending) {
		return hold(state, at, `Flag write failure reported with nothing in flight: ${detail}`);
	}

	if (pending.purpose !== 'rollback') {
		const d = decision('hold', at, `Promote to ${pending.percent}% failed: ${detail}. Paused; canary holds at its last confirmed stage`, {toPercent: pending.percent});
		return {state: {...state, pending: null, paused: true, lastDecision: d}, effects: [{kind: 'announce', decision: d}]};
	}

	if (pending.attempts < maxRollbackAttempts) {
		const attempts = pending.attempts + 1;
		const d = decision('rollback', at, `Rollback write failed (${detail}); retrying ${attempts}/${maxRollbackAttempts}: set ${plan.canary.flag} to 0%`, {trigger: 'operator', toPercent: 0});
		if (state.phase.kind === 'rolled_back') {
			d.trigger = state.phase.decision.trigger;
		}

		return {state: {...state, pending: {...pending, attempts, since: at}, lastDecision: d}, effects: [{kind: 'set_flag', purpose: 'emergency_rollback', percent: 0, decision: d}]};
	}

	const d = decision('abort', at, `ROLLBACK WRITE FAILED ${pending.attempts} times (${detail}): set ${plan.canary.flag} to 0% by hand now`, {toPercent: 0});
	return {state: {...state, pending: null, lastDecision: d}, effects: [{kind: 'announce', decision: d}]};
}

/**
 * The write this outcome belongs to is not the one pending any more: a promote
 * that landed after a rollback was decided. The rollback's own write follows and
 * is the one that counts; reading this one as a failed rollback would write twice.
 */
export function overtaken(state: CanaryState, requested: number | undefined): boolean {
	return requested !== undefined && state.pending != null && requested !== state.pending.percent;
}

export function reduceConfirmed(plan: Plan, state: CanaryState, at: number, percent: number): CanaryStep {
	const pending = state.pending;
	if (!pending) {
		const expected = expectedPercent(plan, state);
		return expected === percent ? {state, effects: []} : reduceExternal(plan, state, at, percent);
	}

	if (percent !== pending.percent) {
		return failPending(plan, state, at, `read back ${percent}%, expected ${pending.percent}%`);
	}

	if (pending.purpose === 'rollback') {
		const phase = state.phase;
		// An outcome, not a new decision: 'hold' so reports counting rollbacks count the decision once.
		const d = decision('hold', at, `${plan.canary.flag} read back at 0%: V2 traffic off; waiting for the probes to confirm`, {toPercent: 0});
		const next: CanaryState = {...state, pending: null, lastDecision: d, phase: phase.kind === 'rolled_back' ? {...phase, confirmedAt: at, fullOnZero: false} : phase};
		const effects: CanaryEffect[] = [{kind: 'announce', decision: d}];
		// Once, on the first read-back at 0 %: the flag off is the precondition of Gate G's full rollback.
		if (phase.kind === 'rolled_back' && phase.fullOnZero === true) effects.push({kind: 'full_rollback', decision: phase.decision});
		return {state: next, effects};
	}

	const index = plan.canary.stages.indexOf(percent);
	if (index < 0) {
		return reduceExternal(plan, {...state, pending: null}, at, percent);
	}

	const d = decision('hold', at, `${plan.canary.flag} read back at ${percent}%: stage ${percent}% clock started (${formatAge(plan.canary.stageDurationMs)} green needed)`, {toPercent: percent});
	return {
		state: {...state, pending: null, phase: {kind: 'stage', index, percent, enteredAt: at, greenSince: null}, lastDecision: d},
		effects: [],
	};
}

export function reduceExternal(plan: Plan, state: CanaryState, at: number, observed: number): CanaryStep {
	if (state.pending && observed === state.pending.percent) {
		return reduceConfirmed(plan, state, at, observed);
	}

	const expected = expectedPercent(plan, state);
	if (expected === observed && !state.pending) {
		return {state, effects: []};
	}

	const reads = Number.isFinite(observed) ? `${observed}%` : 'an unreadable value';
	const seen = `${plan.canary.flag} reads ${reads} (expected ${state.pending?.percent ?? expected ?? '?'}%)`;
	if (isLive(state)) {
		const d = decision('abort', at, `${seen}: changed outside golive. Canary stopped; nothing promotes until re-armed`, {fromPercent: expected ?? undefined, toPercent: observed});
		return {
			state: {...state, phase: {kind: 'aborted', at, reason: d.reason}, armed: false, pending: null, lastDecision: d},
			effects: [{kind: 'announce', decision: d}],
		};
	}

	if (state.pending?.purpose === 'rollback') {
		// The rollback write is what we are waiting for: a different value means it did not take.
		return failPending(plan, state, at, `read back ${reads}, expected 0%`);
	}

	const d = decision('hold', at, `${seen}: changed outside golive`, {toPercent: observed});
	return {state: {...state, lastDecision: d}, effects: [{kind: 'announce', decision: d}]};
}

