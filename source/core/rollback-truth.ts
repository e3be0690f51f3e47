/**
 * What a rollback has proven so far, from the canary's pending write, the flag's
 * read-back and the probes' clean run: the `Mitigation` the screen and the stream
 * show, the one-time news when health is verified or not, and how headless ends.
 * Pure; the engine's rollback watch keeps the counters and calls these.
 */
import type {CanaryState} from './canary-types.js';
import type {RuleResult} from './decision-types.js';
import {formatSeconds} from './format.js';
import {mitigationVerdict} from './mitigation-verdict.js';
import type {Plan} from './plan-types.js';
import type {Mitigation} from './snapshot.js';

/** Health after the flag read 0 %, once decided: verified, or not back within the watch. */
export type RollbackSettled = {verdict: 'verified' | 'not_healthy'; at: number; detail: string};

/** What the engine has observed since the rollback: when the flag read 0 % and the health verdict. */
export type RollbackObserved = {appliedAt: number | null; settled: RollbackSettled | null};

export type RollbackNews = {level: 'success' | 'error' | 'warn'; text: string; message?: string; verdict: 'verified' | 'not_healthy'};

/** The canary is rolled back: the only phase with a mitigation to prove. */
export function isRolledBack(canary: CanaryState): boolean {
	return canary.phase.kind === 'rolled_back';
}

/** The rollback's phase from read-backs only: a failed try is failing until the flag reads 0 %. */
function rollbackPhase(canary: CanaryState, observed: RollbackObserved): Mitigation['rollback'] {
	const pending = canary.pending?.purpose === 'rollback' ? canary.pending : null;
	if (pending) {
		const read = pending.lastFailure ?? 'no read-back yet';
		if (pending.gaveUp) return {phase: 'gave_up', tries: pending.attempts, flagReadPercent: null, detail: read};
		if (pending.nextTryAt != null) return {phase: 'failing', tries: pending.attempts, nextTryAt: pending.nextTryAt, flagReadPercent: null, detail: read};
		// A retry in flight after a failed try is still failing: only a read-back of 0 % ends it.
		if (pending.lastFailure != null) return {phase: 'failing', tries: pending.attempts - 1, nextTryAt: null, flagReadPercent: null, detail: read};
		return {phase: 'writing', tries: pending.attempts};
	}
	const {appliedAt, settled} = observed;
	if (appliedAt === null) return {phase: 'writing', tries: 0};
	if (settled?.verdict === 'verified') return {phase: 'verified', appliedAt, healthyAt: settled.at, detail: settled.detail};
	if (settled?.verdict === 'not_healthy') return {phase: 'not_healthy', appliedAt, detail: settled.detail};
	return {phase: 'applied', appliedAt};
}

/** The mitigation to show, or null when the canary is not rolled back. `flagPercent` is the flag as last read. */
export function mitigationOf(canary: CanaryState, observed: RollbackObserved, flagPercent: number | null): Mitigation | null {
	const phase = canary.phase;
	if (phase.kind !== 'rolled_back') return null;
	const rollback = rollbackPhase(canary, observed);
	const failing = rollback.phase === 'failing' || rollback.phase === 'gave_up';
	return {
		kind: phase.rollback,
		triggeredAt: phase.at,
		confirmedAt: observed.settled?.verdict === 'verified' ? observed.settled.at : null,
		rollback: failing ? {...rollback, flagReadPercent: flagPercent} : rollback,
	};
}

/** Health after the flag read 0 %: settled (with the news to log once) when the verdict is in, else null. */
export function settleRollback(
	plan: Plan,
	canary: CanaryState,
	input: {at: number; appliedAt: number; inARow: number; rules: RuleResult[]; canaryVariant: string},
): {settled: RollbackSettled; news: RollbackNews} | null {
	const phase = canary.phase;
	if (phase.kind !== 'rolled_back') return null;
	const verdict = mitigationVerdict(plan, input);
	switch (verdict.kind) {
		case 'verified': {
			const seconds = formatSeconds((input.at - phase.at) / 1000);
			return {
				settled: {verdict: 'verified', at: input.at, detail: verdict.detail},
				news: {level: 'success', verdict: 'verified', text: `Mitigation verified ${seconds} after the trigger: ${verdict.detail}`},
			};
		}
		case 'not_healthy': {
			return {
				settled: {verdict: 'not_healthy', at: input.at, detail: verdict.detail},
				news: {level: 'error', verdict: 'not_healthy', text: `Rollback applied — service NOT healthy: ${verdict.detail}`},
			};
		}
		case 'watching': {
			return null;
		}
		default: {
			const _never: never = verdict;
			return _never;
		}
	}
}

/** Headless: how the launch ends now (a rollback that held and was judged, or one that gave up), or null to keep going. */
export function rollbackEnding(
	plan: Plan,
	canary: CanaryState,
	observed: RollbackObserved,
	flagPercent: number | null,
): {outcome: 'rolled_back' | 'rollback_failed'; reason: string} | null {
	const phase = canary.phase;
	if (phase.kind !== 'rolled_back') return null;
	if (canary.pending?.purpose === 'rollback' && canary.pending.gaveUp) {
		const reads = flagPercent === null ? 'an unknown value' : `${flagPercent} %`;
		return {
			outcome: 'rollback_failed',
			reason: `ROLLBACK FAILED: ${plan.canary.flag} reads ${reads} after ${canary.pending.attempts} tries (${canary.pending.lastFailure ?? 'no read-back'}). Set it to 0 % by hand now. Trigger: ${phase.decision.reason}`,
		};
	}
	const settled = observed.settled;
	if (settled === null) return null;
	return settled.verdict === 'verified'
		? {outcome: 'rolled_back', reason: phase.decision.reason}
		: {outcome: 'rolled_back', reason: `${phase.decision.reason} — Rollback applied — service NOT healthy: ${settled.detail}`};
}
