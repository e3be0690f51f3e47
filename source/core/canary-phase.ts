/**
 * Where the canary stands, read from the reducer's state: the flag percent it
 * expects, whether rollback triggers are armed, how far a stage is toward green.
 */
import type {CanaryState} from './canary-types.js';
import type {Plan} from './plan-types.js';

/** The flag percent the machine believes is set (what a read-back should show); null once aborted. */
export function expectedPercent(plan: Plan, state: CanaryState): number | null {
	const phase = state.phase;
	switch (phase.kind) {
		case 'pre':
		case 'rolled_back': {
			return 0;
		}

		case 'stage': {
			return phase.percent;
		}

		case 'stabilizing':
		case 'succeeded': {
			return plan.canary.stages.at(-1) ?? 100;
		}

		case 'aborted': {
			return null;
		}

		default: {
			const _never: never = phase;
			return _never;
		}
	}
}

/** Whether rollback triggers are armed: a stage, Gate G, the post-launch watch, or the first write in flight. */
export function triggersArmed(state: CanaryState): boolean {
	const kind = state.phase.kind;
	const watching = kind === 'succeeded' && state.watch != null && state.watch.endedAt === null;
	return kind === 'stage' || kind === 'stabilizing' || watching || (kind === 'pre' && state.pending?.purpose === 'start');
}

/** How far the current stage (or Gate G) is toward its green requirement, for stage bars; null outside them. */
export function greenProgress(plan: Plan, state: CanaryState, now: number): {greenMs: number; neededMs: number} | null {
	const phase = state.phase;
	if (phase.kind !== 'stage' && phase.kind !== 'stabilizing') {
		return null;
	}

	const neededMs = phase.kind === 'stage' ? plan.canary.stageDurationMs : plan.canary.stabilizationMs;
	const greenMs = phase.greenSince === null ? 0 : Math.max(0, Math.min(neededMs, now - phase.greenSince));
	return {greenMs, neededMs};
}
