/**
 * The canary reducer's vocabulary: its step type, its starting state, and the
 * small builders every transition uses (a decision, a hold, a pending write).
 */
import type {CanaryEffect, CanaryState, PendingFlagWrite} from './canary-types.js';
import type {Decision} from './decision-types.js';

export type CanaryStep = {state: CanaryState; effects: CanaryEffect[]};

export function initialCanaryState(): CanaryState {
	return {
		phase: {kind: 'pre'},
		paused: false,
		armed: true,
		errorBurstCount: 0,
		breachSince: {},
		lastDecision: null,
		pending: null,
		lastCheckAt: null,
		lastCheckGreen: false,
	};
}

export function decision(kind: Decision['kind'], at: number, reason: string, extra: Partial<Decision> = {}): Decision {
	return {kind, at, reason, evidence: [], ...extra};
}

export function hold(state: CanaryState, at: number, reason: string): CanaryStep {
	return {state: {...state, lastDecision: decision('hold', at, reason)}, effects: []};
}

/**
 * A check that only holds keeps the previous decision when it says the same
 * thing, so `lastDecision` changes (and the engine logs) only when the why does.
 */
export function holdOnCheck(state: CanaryState, d: Decision): CanaryState {
	const previous = state.lastDecision;
	return previous?.kind === d.kind && previous.reason === d.reason ? state : {...state, lastDecision: d};
}

export function pendingWrite(purpose: PendingFlagWrite['purpose'], percent: number, at: number, attempts = 1): PendingFlagWrite {
	return {purpose, percent, since: at, attempts};
}
