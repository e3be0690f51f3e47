/**
 * How a launch ends, read from the canary's phase: the outcome, its exit code
 * and the reason. A rollback ends the run only once the probes confirmed it (or
 * gave up confirming); closing the console mid-canary is an interruption.
 */
import type {CanaryState} from './canary-types.js';

export const launchOutcomes = ['success', 'rolled_back', 'aborted', 'inconclusive', 'interrupted'] as const;
export type LaunchOutcome = (typeof launchOutcomes)[number];

export type LaunchResult = {outcome: LaunchOutcome; exitCode: 0 | 1 | 3 | 130; reason: string; at: number};

export const exitCodes: Record<LaunchOutcome, LaunchResult['exitCode']> = {
	success: 0,
	rolled_back: 1,
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
export function terminalOutcome(state: CanaryState): EndedLaunch | null {
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
 * Whether a headless run is over: a rollback waits for the probes to confirm
 * the canary's share is gone, or for that wait to time out (and says so); a
 * success waits for the post-launch watch when the run goes `until` its end.
 */
export function settledOutcome(state: CanaryState, rollback: {confirmed: boolean; timedOut: boolean}, until: 'gate-g' | 'watch-end' = 'gate-g'): EndedLaunch | null {
	const ended = terminalOutcome(state);
	// `--until watch-end`: the post-launch watch keeps the triggers armed until it is over.
	if (ended?.outcome === 'success' && until === 'watch-end' && state.watch != null && state.watch.endedAt === null) return null;
	if (ended?.outcome !== 'rolled_back') return ended;
	if (rollback.confirmed) return ended;
	return rollback.timedOut ? {...ended, reason: `${ended.reason} (the probes could not confirm the canary share is gone)`} : null;
}

/** When the operator closes the screen, the launch ends as far as it got. */
export function closingOutcome(state: CanaryState): EndedLaunch {
	return terminalOutcome(state) ?? {outcome: 'interrupted', reason: 'console closed by the operator'};
}
