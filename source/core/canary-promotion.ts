/**
 * The reducer's promotion steps: why a promote or start is refused, starting the
 * canary, advancing past a stage (to the next one or into Gate G's stabilization),
 * and an operator's promote. Only `canary-machine.ts` calls them (lint keeps the
 * engine out).
 */
import {decision, hold, pendingWrite, type CanaryStep} from './canary-step.js';
import type {CanaryEffect, CanaryEvent, CanaryState, CheckInput} from './canary-types.js';
import {checkIsRecent} from './check-assessment.js';
import {formatDuration, ruleEvidence} from './format.js';
import {stagePassedText} from '../report/messages.js';
import type {Plan} from './plan-types.js';
import {preLaunchBlocker} from './pre-launch.js';
import {promoteTarget, skipText, skippedLabel, type PromoteTarget} from './soak.js';

/**
 * Why a promote or start is refused now, or null when it may go: the one place
 * that says "already busy". A start also needs gates A and B (`blocker`).
 */
export function promoteRefusal(plan: Plan, state: CanaryState, at: number, blocker: string | null = null): string | null {
	if (!state.armed) {
		return 'disarmed after a rollback or an outside change: re-arm first';
	}

	if (state.pending) {
		return `a flag write to ${state.pending.percent}% is in flight`;
	}

	if (blocker !== null) {
		return blocker;
	}

	if (!Number.isFinite(at)) {
		return 'no valid time';
	}

	if (!checkIsRecent(plan, state, at)) {
		return state.lastCheckAt === null || state.lastCheckAt === undefined
			? 'no check has run yet'
			: `the last check is ${formatDuration(at - state.lastCheckAt)} old`;
	}

	if (state.lastCheckGreen !== true) {
		return `the last check was not complete passing data (${state.lastCheckNote ?? 'see the SLOs'})`;
	}

	if (state.phase.kind === 'stage' && state.exitBlocker) {
		return `waiting for ${state.exitBlocker}`;
	}

	return null;
}

export function startCanary(plan: Plan, state: CanaryState, at: number, by: string): CanaryStep {
	const first = plan.canary.stages[0];
	if (first === undefined) {
		return hold(state, at, 'Start refused: the plan has no canary stages');
	}

	const refusal = promoteRefusal(plan, state, at, preLaunchBlocker(state));
	if (refusal) {
		return hold(state, at, `Start refused: ${refusal}`);
	}

	const d = decision('promote', at, `${by}: start canary, set ${plan.canary.flag} to ${first}% (stage clock starts when read back)`, {
		fromPercent: 0,
		toPercent: first,
	});
	const effects: CanaryEffect[] = [{kind: 'set_flag', purpose: 'promote', percent: first, decision: d}];
	if (by === 'auto') {
		effects.push({kind: 'notice', level: 'success', text: 'Gates A and B PASSED: starting the canary'});
	}

	return {state: {...state, pending: pendingWrite('start', first, at), lastDecision: d}, effects};
}

export function advance(
	plan: Plan,
	state: CanaryState,
	at: number,
	input: CheckInput | null,
	by: string,
	chosen?: Extract<PromoteTarget, {ok: true}>,
): CanaryStep {
	const phase = state.phase;
	if (phase.kind !== 'stage') {
		return hold(state, at, 'Promote refused: not at a canary stage');
	}

	const stages = plan.canary.stages;
	const next = chosen ? chosen.to : stages[phase.index + 1];
	const skipped = chosen?.skip ? {skippedSoak: chosen.skip, reasonTail: ` — ${skippedLabel(chosen.skip)}: ${skipText(chosen.skip)}`} : null;
	const summary = input ? stagePassedText(plan, phase.percent, next ?? null, input) : null;
	if (next === undefined) {
		const d = decision(
			'promote',
			at,
			`${by}: ${phase.percent}% stage done; Gate G stabilization (${formatDuration(plan.canary.stabilizationMs)} green) begins`,
			{
				fromPercent: phase.percent,
				toPercent: phase.percent,
				evidence: input ? input.rules.map(ruleEvidence) : [],
			},
		);
		const effects: CanaryEffect[] = summary ? [{kind: 'announce', decision: {...d, reason: summary}}] : [{kind: 'announce', decision: d}];
		return {state: {...state, phase: {kind: 'stabilizing', enteredAt: at, greenSince: null}, lastDecision: d}, effects};
	}

	const d = decision(
		'promote',
		at,
		`${by}: ${phase.percent}% → ${next}% (set ${plan.canary.flag}; stage clock starts when read back)${skipped?.reasonTail ?? ''}`,
		{
			fromPercent: phase.percent,
			toPercent: next,
			evidence: input ? input.rules.map(ruleEvidence) : [],
			...(skipped ? {skippedSoak: skipped.skippedSoak} : {}),
		},
	);
	const effects: CanaryEffect[] = [{kind: 'set_flag', purpose: 'promote', percent: next, decision: d}];
	if (summary && !skipped) {
		effects.push({kind: 'announce', decision: {...d, reason: summary}});
	}

	const skippedSoaks = chosen?.skip
		? {...state.skippedSoaks, [chosen.skip.stagePercent]: chosen.skip.heldMs, ...Object.fromEntries(chosen.skip.jumped.map((p) => [p, 0]))}
		: state.skippedSoaks;
	return {state: {...state, pending: pendingWrite('promote', next, at), lastDecision: d, ...(skippedSoaks ? {skippedSoaks} : {})}, effects};
}

/**
 * An operator promote: before the canary it is the start; at a stage the next
 * stage or the later one `to` names. Cutting a soak short (or jumping a stage)
 * needs `skip`, the operator's typed confirmation; otherwise refused.
 */
export function reducePromote(plan: Plan, state: CanaryState, event: Extract<CanaryEvent, {type: 'promote'}>): CanaryStep {
	const {at} = event;
	const phase = state.phase;
	const target = promoteTarget({...plan.canary, phase, armed: state.armed, at}, event.to);
	switch (phase.kind) {
		case 'pre': {
			return target.ok ? startCanary(plan, state, at, 'operator') : hold(state, at, `Start refused: ${target.why}`);
		}

		case 'stage': {
			const early = target.ok && target.skip !== null && event.skip !== true ? `${skipText(target.skip)}; confirm the skip (type SKIP) to promote early` : null;
			const refusal = promoteRefusal(plan, state, at) ?? early ?? (target.ok ? null : target.why);
			return refusal || !target.ok ? hold(state, at, `Promote refused: ${refusal}`) : advance(plan, state, at, null, 'operator', target);
		}

		case 'stabilizing': {
			return hold(state, at, `Promote refused: Gate G needs ${formatDuration(plan.canary.stabilizationMs)} of continuous green; it cannot be skipped`);
		}

		case 'succeeded':
		case 'rolled_back':
		case 'aborted': {
			return hold(state, at, `Promote refused: canary is ${phase.kind.replace('_', ' ')}${state.armed ? '' : '; re-arm first'}`);
		}

		default: {
			const _never: never = phase;
			return _never;
		}
	}
}

/** An operator's promote or start pressed while a write is in flight: each press says so in the log. */
export function saidBusy(state: CanaryState, step: CanaryStep): CanaryStep {
	const pending = state.pending;
	if (!pending) return step;
	const what = `${pending.purpose === 'rollback' ? 'emergency_rollback' : 'promote'} to ${pending.percent} %`;
	return {...step, effects: [...step.effects, {kind: 'notice', level: 'warn', text: `ignored: ${what} already in flight`}]};
}
