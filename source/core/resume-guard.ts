/**
 * A launch restarted on an unfinished journal with the flag at one of its
 * stages: golive guards it (every rollback trigger armed, in the console and
 * headless) but never promotes it by itself. The guard lasts until the operator
 * acts (a promote, `golive resume`, a rollback, a re-arm) or the canary leaves
 * the stage (a trigger fired, an outside change). Headless has no operator to
 * wait for, so its watch is bounded: it ends when the stage has held its full
 * green soak, or after `endAfterMs`, with the flag left where it reads and the
 * launch `inconclusive` (exit 3).
 */
import {greenProgress} from './canary-phase.js';
import type {CanaryStep} from './canary-step.js';
import type {CanaryState, ResumeGuard} from './canary-types.js';
import {formatTimer} from './format.js';
import type {Plan} from './plan-types.js';

/** Whether a restart finds the flag at one of the plan's stages above 0 %: V2 serves traffic, so its triggers must stay armed. */
export function guardsResumedStage(plan: Plan, flagPercent: number | null): boolean {
	return flagPercent !== null && flagPercent > 0 && plan.canary.stages.includes(flagPercent);
}

/** The guard of a launch resumed at `percent` (`endAfterMs` null: the console, which waits for its operator). */
export function resumeGuardAt(percent: number, since: number, endAfterMs: number | null): ResumeGuard {
	return {percent, since, endAfterMs};
}

/** Whether the resumed stage is still guarded with auto-advance off. */
export function guardingResumed(state: CanaryState): boolean {
	const guard = state.resumeGuard;
	return guard != null && state.phase.kind === 'stage' && state.phase.percent === guard.percent && state.pending == null;
}

/** Why a green stage does not promote: the resumed guard says so in words, a plain pause says "paused". */
export function pausedBlocker(state: CanaryState): string {
	return guardingResumed(state) ? 'resumed after a restart: rollback triggers armed, nothing promotes until the operator does' : 'paused';
}

/**
 * After each event: the guard ends for good once the operator turned auto-advance
 * on or a write was decided, or the canary left the resumed stage.
 */
export function keepResumeGuard(step: CanaryStep): CanaryStep {
	const {state} = step;
	if (state.resumeGuard == null) return step;
	if (guardingResumed(state) && state.paused) return step;
	return {...step, state: {...state, resumeGuard: null}};
}

/**
 * After a check (and only when it decided no write): a headless resumed watch
 * ends when the stage has held its full green soak, or when `endAfterMs` has
 * passed. Never a promote: the launch ends inconclusive with the flag as it reads.
 */
export function endResumedWatch(plan: Plan, step: CanaryStep, at: number): CanaryStep {
	const {state} = step;
	const guard = state.resumeGuard;
	if (
		guard == null ||
		guard.endAfterMs === null ||
		!guardingResumed(state) ||
		step.effects.some((e) => e.kind === 'set_flag' || e.kind === 'full_rollback' || e.kind === 'give_up')
	)
		return step;
	const progress = greenProgress(plan, state, at);
	const held = progress !== null && progress.greenMs >= progress.neededMs;
	const watched = at - guard.since;
	if (!held && !(watched >= guard.endAfterMs)) return step;
	const what = held
		? `the ${guard.percent} % stage held ${formatTimer(progress.neededMs)} of continuous green with every rollback trigger armed`
		: `watched ${formatTimer(watched)} with every rollback trigger armed and no trigger fired, but the stage did not hold green`;
	const reason = `Resumed at ${guard.percent} % after a restart: ${what}. golive never promotes a resumed launch by itself: the flag stays at ${guard.percent} %; open the console (golive run --plan …) to promote or roll back`;
	return {state, effects: [...step.effects, {kind: 'give_up', reason}]};
}
