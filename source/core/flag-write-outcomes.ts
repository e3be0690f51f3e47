/**
 * What a flag write's outcome means for the canary: a read-back that confirms
 * the write starts the stage clock (or the rollback's wait for the probes), a
 * failed rollback write is retried with capped, jittered backoff until it holds,
 * and a value golive did not write stops the canary.
 */
import {expectedPercent, triggersArmed} from './canary-phase.js';
import {decision, hold, type CanaryStep} from './canary-step.js';
import type {CanaryEffect, CanaryState, PendingFlagWrite} from './canary-types.js';
import {formatDuration} from './format.js';
import type {Plan} from './plan-types.js';
import {rollbackBudgetSpent, rollbackRetryDelayMs, rollbackRetryForMs} from './rollback-retry.js';

/**
 * A rollback try failed: never "rolled back". The next try waits out a capped,
 * jittered backoff (`retry_due` sends it); once `actions.rollbackRetryForMs` is
 * spent the operator is told to act by hand, and the tries go on.
 */
function failRollback(plan: Plan, state: CanaryState, pending: PendingFlagWrite, at: number, detail: string, jitter: number): CanaryStep {
	const firstFailedAt = pending.firstFailedAt ?? at;
	const gaveUp = rollbackBudgetSpent(plan, firstFailedAt, at);
	const nextTryAt = at + rollbackRetryDelayMs(pending.attempts, jitter);
	const next: PendingFlagWrite = {...pending, firstFailedAt, nextTryAt, gaveUp, lastFailure: detail};
	const trigger = state.phase.kind === 'rolled_back' ? state.phase.decision.trigger : 'operator';
	const flag = plan.canary.flag;
	if (gaveUp) {
		const seconds = Math.round((at - firstFailedAt) / 1000);
		const d = decision(
			'abort',
			at,
			`ROLLBACK FAILED after ${pending.attempts} tries over ${seconds} s (${detail}): set ${flag} to 0% by hand now; golive keeps retrying`,
			{trigger, toPercent: 0},
		);
		const first = !pending.gaveUp;
		return {state: {...state, pending: next, lastDecision: first ? d : state.lastDecision}, effects: first ? [{kind: 'announce', decision: d}] : []};
	}
	const d = decision(
		'hold',
		at,
		`ROLLBACK FAILING — try ${pending.attempts} failed (${detail}); try ${pending.attempts + 1} in ${formatDuration(nextTryAt - at)}, retrying for up to ${formatDuration(rollbackRetryForMs(plan))}`,
		{trigger, toPercent: 0},
	);
	return {state: {...state, pending: next, lastDecision: d}, effects: []};
}

/** Time passed: a failed rollback whose next try is due is tried again (the failing decision stays until its read-back). */
export function retryRollback(plan: Plan, state: CanaryState, at: number): CanaryStep {
	const pending = state.pending;
	if (!pending || pending.purpose !== 'rollback' || pending.nextTryAt == null || !(at >= pending.nextTryAt)) return {state, effects: []};
	const attempts = pending.attempts + 1;
	const trigger = state.phase.kind === 'rolled_back' ? state.phase.decision.trigger : 'operator';
	const d = decision('hold', at, `Rollback try ${attempts}: set ${plan.canary.flag} to 0%`, {trigger, toPercent: 0});
	return {
		state: {...state, pending: {...pending, attempts, since: at, nextTryAt: null}},
		effects: [{kind: 'set_flag', purpose: 'emergency_rollback', percent: 0, decision: d}],
	};
}

export function failPending(plan: Plan, state: CanaryState, at: number, detail: string, jitter = 0.5): CanaryStep {
	const pending = state.pending;
	if (!pending) {
		return hold(state, at, `Flag write failure reported with nothing in flight: ${detail}`);
	}

	if (pending.purpose !== 'rollback') {
		const d = decision('hold', at, `Promote to ${pending.percent}% failed: ${detail}. Paused; canary holds at its last confirmed stage`, {
			toPercent: pending.percent,
		});
		return {state: {...state, pending: null, paused: true, lastDecision: d}, effects: [{kind: 'announce', decision: d}]};
	}

	return failRollback(plan, state, pending, at, detail, jitter);
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
		const next: CanaryState = {
			...state,
			pending: null,
			lastDecision: d,
			phase: phase.kind === 'rolled_back' ? {...phase, flagReadBackAt: at, fullOnZero: false} : phase,
		};
		const effects: CanaryEffect[] = [{kind: 'announce', decision: d}];
		// Once, on the first read-back at 0 %: the flag off is the precondition of Gate G's full rollback.
		if (phase.kind === 'rolled_back' && phase.fullOnZero === true) effects.push({kind: 'full_rollback', decision: phase.decision});
		return {state: next, effects};
	}

	const index = plan.canary.stages.indexOf(percent);
	if (index < 0) {
		return reduceExternal(plan, {...state, pending: null}, at, percent);
	}

	const d = decision(
		'hold',
		at,
		`${plan.canary.flag} read back at ${percent}%: stage ${percent}% clock started (${formatDuration(plan.canary.stageDurationMs)} green needed)`,
		{toPercent: percent},
	);
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
	if (triggersArmed(state)) {
		const d = decision('abort', at, `${seen}: changed outside golive. Canary stopped; nothing promotes until acknowledged (o) or re-armed (a)`, {
			fromPercent: expected ?? undefined,
			toPercent: observed,
		});
		return {
			state: {...state, phase: {kind: 'aborted', at, reason: d.reason, outside: {from: expected, to: observed}}, armed: false, pending: null, lastDecision: d},
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
