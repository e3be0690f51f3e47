/**
 * The gate items the canary itself proves: a stage of C–F held green for its
 * time, and Gate G's stabilization at 100 %. Read from the reducer's phase.
 */
import type {CanaryState} from './canary-types.js';
import type {GateItemStatus} from './decision-types.js';
import {formatDuration, formatTimer} from './format.js';
import type {Plan} from './plan-types.js';

/** One gate item's status with the words that say why. */
export type ItemResult = {status: GateItemStatus; detail: string};

/** Where the canary is relative to one stage percent. */
export type StageRelation = 'before' | 'active' | 'passed' | 'failed';

export function stageRelation(plan: Plan, canary: CanaryState, percent: number): StageRelation {
	const stages = plan.canary.stages;
	const target = stages.indexOf(percent);
	const phase = canary.phase;
	switch (phase.kind) {
		case 'pre': {
			return 'before';
		}

		case 'stage': {
			return phase.index > target ? 'passed' : phase.index === target ? 'active' : 'before';
		}

		case 'stabilizing':
		case 'succeeded': {
			return 'passed';
		}

		case 'rolled_back':
		case 'aborted': {
			// A Gate G failure is Gate G's: every stage before it keeps its pass.
			if (phase.kind === 'rolled_back' && phase.during !== undefined) {
				return 'passed';
			}

			const from = phase.kind === 'rolled_back' ? phase.decision.fromPercent : undefined;
			if (from === undefined || !Number.isFinite(from)) {
				return 'failed';
			}

			// Stages below the one rolled back from were passed; that stage failed; later ones never ran.
			const fromIndex = stages.indexOf(from);
			if (fromIndex < 0) {
				return from <= 0 ? 'before' : 'failed';
			}

			return target < fromIndex ? 'passed' : target === fromIndex ? 'failed' : 'before';
		}

		default: {
			const _never: never = phase;
			return _never;
		}
	}
}

/** Gates C–F's canary-stage item: pending until the stage is reached, then how long it held green, or how it failed. */
export function canaryStage(plan: Plan, canary: CanaryState, percent: number, now: number): ItemResult {
	if (!plan.canary.stages.includes(percent)) {
		return {status: 'fail', detail: `${percent}% is not a stage of the plan (${plan.canary.stages.join('/')})`};
	}

	const relation = stageRelation(plan, canary, percent);
	switch (relation) {
		case 'before': {
			return {status: 'pending', detail: `waiting for the ${percent}% stage`};
		}

		case 'passed': {
			return {status: 'pass', detail: `${percent}% held ${formatDuration(plan.canary.stageDurationMs)} green`};
		}

		case 'active': {
			const phase = canary.phase;
			const green = phase.kind === 'stage' && phase.greenSince !== null ? now - phase.greenSince : 0;
			return {status: 'pending', detail: `at ${percent}%: green ${formatTimer(green)} of ${formatTimer(plan.canary.stageDurationMs)}`};
		}

		case 'failed': {
			const phase = canary.phase;
			const why = phase.kind === 'rolled_back' ? phase.decision.reason : phase.kind === 'aborted' ? phase.reason : '';
			return {status: 'fail', detail: `${phase.kind === 'aborted' ? 'aborted' : 'rolled back'} at ${percent}%: ${why}`};
		}

		default: {
			const _never: never = relation;
			return _never;
		}
	}
}

/** Gate G's stabilization item: green time at the last stage, passed once the canary succeeded. */
export function stabilized(plan: Plan, canary: CanaryState, now: number): ItemResult {
	const phase = canary.phase;
	const last = plan.canary.stages.at(-1) ?? 100;
	const needed = formatTimer(plan.canary.stabilizationMs);
	switch (phase.kind) {
		case 'succeeded': {
			return {status: 'pass', detail: `${formatDuration(plan.canary.stabilizationMs)} green at ${last}%`};
		}

		case 'stabilizing': {
			const green = phase.greenSince === null ? 0 : now - phase.greenSince;
			return {status: 'pending', detail: `green ${formatTimer(green)} of ${needed}`};
		}

		case 'rolled_back': {
			if (phase.during === 'watch') {
				return {status: 'pass', detail: `passed; rolled back later in the post-launch watch: ${phase.decision.reason}`};
			}

			return {status: phase.during === 'gate_g' ? 'fail' : 'pending', detail: `rolled back: ${phase.decision.reason}`};
		}

		case 'aborted': {
			return {status: 'fail', detail: `aborted: ${phase.reason}`};
		}

		case 'pre':
		case 'stage': {
			return {status: 'pending', detail: `waiting for ${last}% to complete`};
		}

		default: {
			const _never: never = phase;
			return _never;
		}
	}
}
