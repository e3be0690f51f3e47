/**
 * The engine's side of a rollback's truth: it keeps the probes' clean-run
 * counters and when the flag read 0 %, and asks the core (`core/rollback-truth.ts`)
 * what that proves. Every phase comes from a read-back or a measurement:
 * `failing`/`gave_up` from failed tries, `applied` from the flag reading 0 %,
 * `verified`/`not_healthy` from the probes.
 */
import type {CanaryState} from '../core/canary-types.js';
import type {RuleResult} from '../core/decision-types.js';
import type {ProbeSnapshot} from '../core/measurements.js';
import {advanceCleanRun, responseCounters, startCleanRun, type CleanRun} from '../core/mitigation-verdict.js';
import type {Plan} from '../core/plan-types.js';
import {isRolledBack, mitigationOf, rollbackEnding, settleRollback, type RollbackNews, type RollbackSettled} from '../core/rollback-truth.js';
import type {Mitigation} from '../core/snapshot.js';

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
	let settled: RollbackSettled | null = null;

	return {
		applied(at, probes) {
			if (appliedAt !== null) return;
			appliedAt = at;
			run = startCleanRun(responseCounters(probes, canaryVariant));
		},
		update(at, canary, flagPercent, probes, rules) {
			let news: RollbackNews | null = null;
			if (appliedAt !== null && run !== null && settled === null && isRolledBack(canary)) {
				const step = advanceCleanRun(run, responseCounters(probes, canaryVariant));
				run = step.run;
				const verdict = settleRollback(plan, canary, {at, appliedAt, inARow: step.inARow, rules, canaryVariant});
				if (verdict) ({settled, news} = verdict);
			}
			return {mitigation: mitigationOf(canary, {appliedAt, settled}, flagPercent), news};
		},
		ending(canary, flagPercent) {
			return rollbackEnding(plan, canary, {appliedAt, settled}, flagPercent);
		},
		reset() {
			appliedAt = null;
			run = null;
			settled = null;
		},
	};
}
