/**
 * A failed rollback write is retried until it holds: capped exponential
 * backoff with jitter (0.5 s doubling to 10 s), a read-back after each try.
 * After `actions.rollbackRetryForMs` headless gives up (`rollback_failed`,
 * exit 4); the console keeps retrying. Pure: the jitter comes in as a number.
 */
import type {Plan} from './plan-types.js';

export const rollbackBackoff = {
	/** Wait after the first failed try. */
	firstMs: 500,
	/** Longest wait between tries. */
	capMs: 10_000,
} as const;

/**
 * How long to wait after `failedTries` failed tries (≥ 1) before the next one:
 * base = min(cap, first × 2^(failedTries−1)), jittered into [base/2, base] by
 * `jitter` ∈ [0, 1] so consoles retrying against one flag API do not stampede.
 */
export function rollbackRetryDelayMs(failedTries: number, jitter: number): number {
	const tries = Number.isFinite(failedTries) ? Math.max(1, Math.floor(failedTries)) : 1;
	const base = Math.min(rollbackBackoff.capMs, rollbackBackoff.firstMs * 2 ** Math.min(tries - 1, 30));
	const j = Number.isFinite(jitter) ? Math.min(1, Math.max(0, jitter)) : 0.5;
	return Math.round(base / 2 + (base / 2) * j);
}

/** The plan's retry budget for a failed rollback. */
export function rollbackRetryForMs(plan: Pick<Plan, 'actions'>): number {
	return plan.actions.rollbackRetryForMs;
}

/** True once a rollback that first failed at `firstFailedAt` has been retried for the whole budget. */
export function rollbackBudgetSpent(plan: Pick<Plan, 'actions'>, firstFailedAt: number, at: number): boolean {
	return at - firstFailedAt >= rollbackRetryForMs(plan);
}
