/**
 * The engine's side of a rollback's truth: it feeds probe counters and rule
 * results to the core's verdict and turns the canary's pending rollback into
 * the `Mitigation` the screen and the stream show. Every phase comes from a
 * read-back or a measurement: `failing`/`gave_up` from failed tries, `applied`
 * from the flag reading 0 %, `verified`/`not_healthy` from the probes.
 */
import type {CanaryState} from '../core/canary-types.js';
import type {RuleResult} from '../core/decision-types.js';
import type {ProbeSnapshot} from '../core/measurements.js';
import {advanceCleanRun, mitigationVerdict, responseCounters, startCleanRun, type CleanRun} from '../core/mitigation-verdict.js';
import type {Plan} from '../core/plan-types.js';
import type {Mitigation} from '../core/snapshot.js';
import {formatSeconds} from '../core/format.js';

type RollbackNews = {level: 'success' | 'error' | 'warn'; text: string; message?: string; verdict: 'verified' | 'not_healthy'};

export type RollbackWatch = {
	/** Recomputes the mitigation from the canary and the latest measurements; returns news to log once. */
	update(
		at: number,
		canary: CanaryState,
		flagPercent: number | null,
		probes: ProbeSnapshot[],
		rules: RuleResult[],
	): {mitigation: Mitigation | null; news: RollbackNews | null};
	/** The flag read back 0 % after a rollback write. */
	applied(at: number, probes: ProbeSnapshot[]): void;
	/** Headless: how the launch ends now, or null to keep going. */
	ending(canary: CanaryState, flagPercent: number | null): {outcome: 'rolled_back' | 'rollback_failed'; reason: string} | null;
	/** Re-armed: forget the rollback. */
	reset(): void;
};

export function createRollbackWatch(plan: Plan, canaryVariant: string): RollbackWatch {
	let appliedAt: number | null = null;
	let run: CleanRun | null = null;
	let settled: {verdict: 'verified' | 'not_healthy'; at: number; detail: string} | null = null;
	let mitigation: Mitigation | null = null;

	const rollbackPhase = (canary: CanaryState): Mitigation['rollback'] => {
		const pending = canary.pending?.purpose === 'rollback' ? canary.pending : null;
		if (pending) {
			const read = pending.lastFailure ?? 'no read-back yet';
			if (pending.gaveUp) return {phase: 'gave_up', tries: pending.attempts, flagReadPercent: null, detail: read};
			if (pending.nextTryAt != null) return {phase: 'failing', tries: pending.attempts, nextTryAt: pending.nextTryAt, flagReadPercent: null, detail: read};
			// A retry in flight after a failed try is still failing: only a read-back of 0 % ends it.
			if (pending.lastFailure != null) return {phase: 'failing', tries: pending.attempts - 1, nextTryAt: null, flagReadPercent: null, detail: read};
			return {phase: 'writing', tries: pending.attempts};
		}
		if (appliedAt === null) return {phase: 'writing', tries: 0};
		if (settled?.verdict === 'verified') return {phase: 'verified', appliedAt, healthyAt: settled.at, detail: settled.detail};
		if (settled?.verdict === 'not_healthy') return {phase: 'not_healthy', appliedAt, detail: settled.detail};
		return {phase: 'applied', appliedAt};
	};

	return {
		applied(at, probes) {
			if (appliedAt !== null) return;
			appliedAt = at;
			run = startCleanRun(responseCounters(probes, canaryVariant));
		},
		update(at, canary, flagPercent, probes, rules) {
			const phase = canary.phase;
			if (phase.kind !== 'rolled_back') return {mitigation: (mitigation = null), news: null};
			let news: RollbackNews | null = null;
			if (appliedAt !== null && run !== null && settled === null) {
				const step = advanceCleanRun(run, responseCounters(probes, canaryVariant));
				run = step.run;
				const verdict = mitigationVerdict(plan, {at, appliedAt, inARow: step.inARow, rules, canaryVariant});
				if (verdict.kind === 'verified') {
					settled = {verdict: 'verified', at, detail: verdict.detail};
					const seconds = formatSeconds((at - phase.at) / 1000);
					news = {level: 'success', verdict: 'verified', text: `Mitigation verified ${seconds} after the trigger: ${verdict.detail}`};
				} else if (verdict.kind === 'not_healthy') {
					settled = {verdict: 'not_healthy', at, detail: verdict.detail};
					news = {level: 'error', verdict: 'not_healthy', text: `Rollback applied — service NOT healthy: ${verdict.detail}`};
				}
			}
			const rollback = rollbackPhase(canary);
			const failing = rollback.phase === 'failing' || rollback.phase === 'gave_up';
			mitigation = {
				kind: phase.rollback,
				triggeredAt: phase.at,
				confirmedAt: settled?.verdict === 'verified' ? settled.at : null,
				rollback: failing ? {...rollback, flagReadPercent: flagPercent} : rollback,
			};
			return {mitigation, news};
		},
		ending(canary, flagPercent) {
			const phase = canary.phase;
			if (phase.kind !== 'rolled_back') return null;
			if (canary.pending?.purpose === 'rollback' && canary.pending.gaveUp) {
				const reads = flagPercent === null ? 'an unknown value' : `${flagPercent} %`;
				return {
					outcome: 'rollback_failed',
					reason: `ROLLBACK FAILED: ${plan.canary.flag} reads ${reads} after ${canary.pending.attempts} tries (${canary.pending.lastFailure ?? 'no read-back'}). Set it to 0 % by hand now. Trigger: ${phase.decision.reason}`,
				};
			}
			if (settled === null) return null;
			return settled.verdict === 'verified'
				? {outcome: 'rolled_back', reason: phase.decision.reason}
				: {outcome: 'rolled_back', reason: `${phase.decision.reason} — Rollback applied — service NOT healthy: ${settled.detail}`};
		},
		reset() {
			appliedAt = null;
			run = null;
			settled = null;
			mitigation = null;
		},
	};
}
