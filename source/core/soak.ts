/**
 * A stage's soak: how long it has held continuous green against what it needs,
 * and where an operator promote would take the flag. The reducer refuses a
 * promote that skips a soak unless the operator confirmed the skip; the
 * console asks for that confirmation with the same numbers, so what the dialog
 * says and what the reducer decides cannot differ.
 */
import type {CanaryPhase, CanaryState} from './canary-types.js';
import type {SoakSkip} from './decision-types.js';
import {formatTimer} from './format.js';

/** The part of the canary the promote rules read (a Snapshot and a Plan both provide it). */
export type PromoteContext = {
	phase: CanaryPhase;
	armed: boolean;
	stages: readonly number[];
	stageDurationMs: number;
	/** Epoch ms now. */
	at: number;
};

/** Continuous green held at the current stage, against the stage's duration. */
type SoakProgress = {percent: number; heldMs: number; requiredMs: number; held: boolean};

export type PromoteTarget = {ok: true; from: number | null; to: number; toIndex: number; skip: SoakSkip | null; later: number[]} | {ok: false; why: string};

/**
 * Started without auto-advance (`--manual`, or `run` without `--auto`): there
 * is nothing to resume, only the operator promotes, also after a re-arm.
 */
export function isManual(state: Pick<CanaryState, 'launchPolicy'>): boolean {
	return state.launchPolicy?.autoStart === false;
}

function soakProgress(ctx: PromoteContext): SoakProgress | null {
	const {phase} = ctx;
	if (phase.kind !== 'stage') return null;
	const heldMs = phase.greenSince === null ? 0 : Math.max(0, ctx.at - phase.greenSince);
	return {percent: phase.percent, heldMs, requiredMs: ctx.stageDurationMs, held: heldMs >= ctx.stageDurationMs};
}

/** `10 % has held 0:03 of 10:00 green` (and the stages jumped over). */
export function skipText(skip: SoakSkip): string {
	const jumped = skip.jumped.length > 0 ? `; ${skip.jumped.map((p) => `${p} %`).join(', ')} never held` : '';
	return `${skip.stagePercent} % has held ${formatTimer(skip.heldMs)} of ${formatTimer(skip.requiredMs)} green${jumped}`;
}

/** How a skipped stage reads in the journal, the log and the report. */
export function skippedLabel(skip: Pick<SoakSkip, 'heldMs'>): string {
	return `SKIPPED (operator, held ${formatTimer(skip.heldMs)})`;
}

/**
 * Where an operator promote goes: the next stage, or `to` when it names a
 * later one (the run sheets' `canary-rollout.sh promote 50`). `skip` is set
 * when the current stage has not held its green time or stages are jumped.
 */
export function promoteTarget(ctx: PromoteContext, to?: number): PromoteTarget {
	const {phase, stages} = ctx;
	if (!ctx.armed) return {ok: false, why: 'disarmed after a rollback: press a to re-arm first'};
	switch (phase.kind) {
		case 'pre': {
			const first = stages[0];
			if (first === undefined) return {ok: false, why: 'the plan has no canary stages'};
			if (to !== undefined && to !== first) return {ok: false, why: `the canary starts at ${first} %; later stages follow once it has held`};
			return {ok: true, from: null, to: first, toIndex: 0, skip: null, later: [first]};
		}
		case 'stage': {
			const later = stages.slice(phase.index + 1);
			const next = later[0];
			if (next === undefined) return {ok: false, why: `already at ${phase.percent} %: Gate G stabilization follows once it has held`};
			const target = to ?? next;
			const toIndex = stages.indexOf(target);
			if (!(toIndex > phase.index)) return {ok: false, why: `${target} % is not a later stage (stages: ${stages.join(', ')} %)`};
			const progress = soakProgress(ctx);
			const jumped = stages.slice(phase.index + 1, toIndex);
			const short = progress !== null && !progress.held;
			const skip = short || jumped.length > 0 ? {stagePercent: phase.percent, heldMs: progress?.heldMs ?? 0, requiredMs: ctx.stageDurationMs, jumped} : null;
			return {ok: true, from: phase.percent, to: target, toIndex, skip, later};
		}
		case 'stabilizing':
			return {ok: false, why: 'at 100 %, stabilizing (Gate G): nothing to promote'};
		case 'succeeded':
			return {ok: false, why: 'launch succeeded: nothing to promote'};
		case 'rolled_back':
			return {ok: false, why: 'rolled back: press a to re-arm first'};
		case 'aborted':
			return {ok: false, why: `launch aborted (${phase.reason}): nothing to promote`};
		default: {
			const _never: never = phase;
			return _never;
		}
	}
}
