/**
 * How a launch ends, read from the canary's phase: the outcome, its exit code
 * and the reason. A rollback ends the run only once the probes confirmed it (or
 * gave up confirming); closing the console mid-canary is an interruption.
 */
import type {CanaryState} from './canary-types.js';

export const launchOutcomes = ['success', 'rolled_back', 'rollback_failed', 'aborted', 'inconclusive', 'interrupted'] as const;
export type LaunchOutcome = (typeof launchOutcomes)[number];

export type LaunchResult = {outcome: LaunchOutcome; exitCode: 0 | 1 | 3 | 4 | 130; reason: string; at: number};

export const exitCodes: Record<LaunchOutcome, LaunchResult['exitCode']> = {
	success: 0,
	rolled_back: 1,
	// The flag is not where it must be: a human acts now.
	rollback_failed: 4,
	aborted: 1,
	inconclusive: 3,
	interrupted: 130,
};

/** Checks are journaled once the canary runs: before it, the gates' changes tell the story. */
export function checksJournaled(state: CanaryState): boolean {
	return state.phase.kind !== 'pre';
}

/** Which rollback the canary is in (the status message differs); emergency when none was decided. */
export function rollbackKindOf(state: CanaryState): 'emergency' | 'full' {
	return state.phase.kind === 'rolled_back' ? state.phase.rollback : 'emergency';
}

export type EndedLaunch = {outcome: LaunchOutcome; reason: string};

/** The outcome of a canary that reached the end (succeeded, rolled back, aborted), or null while it runs. */
function terminalOutcome(state: CanaryState): EndedLaunch | null {
	const phase = state.phase;
	switch (phase.kind) {
		case 'succeeded':
			return {outcome: 'success', reason: state.lastDecision?.reason ?? 'Gate G passed'};
		case 'rolled_back':
			return {outcome: 'rolled_back', reason: phase.decision.reason};
		case 'aborted':
			return {outcome: 'aborted', reason: phase.reason};
		case 'pre':
		case 'stage':
		case 'stabilizing':
			return null;
		default: {
			const _never: never = phase;
			return _never;
		}
	}
}

/**
 * Whether a headless run is over. A rollback ends only with its verdict
 * (`rollbackEnd`): health verified, NOT healthy after actions.postRollbackWatchMs,
 * or rollback_failed after actions.rollbackRetryForMs. Each is bounded in time.
 * A success waits for the post-launch watch when the run goes `until` its end.
 */
export function settledOutcome(
	state: CanaryState,
	rollbackEnd: EndedLaunch | null,
	until: 'gate-g' | 'watch-end' = 'gate-g',
	operatorPresent = false,
): EndedLaunch | null {
	const ended = terminalOutcome(state);
	// A console's operator may acknowledge an outside flag change (or re-arm): the launch waits for them. Headless ends aborted.
	if (operatorPresent && state.phase.kind === 'aborted' && state.phase.outside !== undefined) return null;
	// `--until watch-end`: the post-launch watch keeps the triggers armed until it is over.
	if (ended?.outcome === 'success' && until === 'watch-end' && state.watch != null && state.watch.endedAt === null) return null;
	if (ended?.outcome !== 'rolled_back') return ended;
	// A rollback whose retry budget is spent: headless ends rollback_failed (exit 4); the console keeps retrying while
	// its operator is told to act by hand, since the flag API may come back. Quitting ends it rollback_failed.
	if (operatorPresent && rollbackEnd?.outcome === 'rollback_failed') return null;
	return rollbackEnd;
}

/** When the operator closes the screen, the launch ends as far as it got; a rollback that has not held is rollback_failed. */
export function closingOutcome(state: CanaryState, flagPercent: number | null = null): EndedLaunch {
	const ended = terminalOutcome(state);
	if (ended?.outcome === 'rolled_back' && state.pending?.purpose === 'rollback') {
		return {
			outcome: 'rollback_failed',
			reason: `console closed before the rollback held: the flag reads ${flagPercent ?? 'unknown'} %. Set it to 0 % by hand. Trigger: ${ended.reason}`,
		};
	}
	return ended ?? {outcome: 'interrupted', reason: 'console closed by the operator'};
}
