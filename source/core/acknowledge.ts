/**
 * Acknowledging a flag change made outside golive: the operator accepts the
 * value the flag reads now, and the launch goes on from there. Unlike a
 * re-arm (back before the canary), nothing is undone and nothing is written:
 * - at 0 %: the launch stays before the canary and only the operator starts it
 *   again (`p`): an acknowledged kill is never auto-resumed into a promotion;
 * - at a plan stage: that stage, its clock started at the acknowledgement (the
 *   full soak again), its rollback triggers armed, auto-advance as it was;
 * - anything else (off-plan, unreadable, a stale read): refused.
 */
import {decision, hold, initialCanaryState, type CanaryStep} from './canary-step.js';
import type {CanaryEvent, CanaryState} from './canary-types.js';
import {formatDuration} from './format.js';
import type {Plan} from './plan-types.js';
import type {FlagObservation, Snapshot} from './snapshot.js';

type Acknowledge = Extract<CanaryEvent, {type: 'acknowledge'}>;

/** A read older than this many check intervals is not the flag "as it reads now". */
const maxReadAgeIntervals = 2;

/** Why the acknowledgement cannot go, or null. */
function refusal(plan: Plan, state: CanaryState, event: Acknowledge): string | null {
	const phase = state.phase;
	if (phase.kind !== 'aborted' || phase.outside === undefined) return 'no flag change made outside golive is waiting';
	if (state.pending) return `a flag write to ${state.pending.percent}% is in flight`;
	if (event.percent === null || event.readAt === null) return `${plan.canary.flag} has not been read: nothing to acknowledge yet`;
	const age = event.at - event.readAt;
	if (!(age >= 0 && age <= maxReadAgeIntervals * plan.canary.checkIntervalMs))
		return `the last read of ${plan.canary.flag} is ${formatDuration(age)} old: wait for a fresh one`;
	if (event.percent !== 0 && !plan.canary.stages.includes(event.percent))
		return `${plan.canary.flag} reads ${event.percent}%, not a stage of the plan (${plan.canary.stages.join(', ')}%): set it to a stage or 0%, or roll back`;
	return null;
}

export function reduceAcknowledge(plan: Plan, state: CanaryState, event: Acknowledge): CanaryStep {
	const refused = refusal(plan, state, event);
	if (refused !== null) return hold(state, event.at, `Acknowledge refused: ${refused}`);
	const percent = event.percent!;
	const flag = plan.canary.flag;
	const kept = {
		launchPolicy: state.launchPolicy,
		paused: state.paused,
		lastCheckAt: state.lastCheckAt ?? null,
		lastCheckGreen: state.lastCheckGreen ?? false,
		lastCheckNote: state.lastCheckNote,
		preLaunchGates: state.preLaunchGates ?? null,
	};
	if (percent === 0) {
		const d = decision(
			'hold',
			event.at,
			`Acknowledged by operator: ${flag} reads 0%; the launch stays at 0% before the canary and only the operator starts it again (p)`,
			{
				toPercent: 0,
			},
		);
		return {state: {...initialCanaryState(), ...kept, startByOperator: true, lastDecision: d}, effects: []};
	}
	const index = plan.canary.stages.indexOf(percent);
	const d = decision(
		'hold',
		event.at,
		`Acknowledged by operator: ${flag} reads ${percent}%; stage ${percent}% clock started now (${formatDuration(plan.canary.stageDurationMs)} green needed), rollback triggers armed`,
		{toPercent: percent},
	);
	return {
		state: {...initialCanaryState(), ...kept, phase: {kind: 'stage', index, percent, enteredAt: event.at, greenSince: null}, lastDecision: d},
		effects: [],
	};
}

/** What acknowledging would do now, as the console's confirmation says it; null when there is no outside change to acknowledge. */
export function acknowledgeSummary(snapshot: Pick<Snapshot, 'flag' | 'canary' | 'flagObservation' | 'stages'>): string | null {
	const phase = snapshot.canary.phase;
	if (phase.kind !== 'aborted' || phase.outside === undefined) return null;
	// The reducer's refusals that the snapshot can show (the freshness of the read is judged when it arrives).
	if (snapshot.canary.pending)
		return `Acknowledge ${snapshot.flag}: a write to ${snapshot.canary.pending.percent} % is in flight; golive will refuse until it reads back`;
	const reads = snapshot.flagObservation?.percent ?? null;
	if (reads === null) return `Acknowledge ${snapshot.flag}: it has not been read yet; golive will refuse until it is`;
	if (reads === 0) return `Acknowledge ${snapshot.flag} at 0 %: the launch stays at 0 % and only p starts the canary again (nothing is written)`;
	if (!snapshot.stages.includes(reads))
		return `Acknowledge ${snapshot.flag} at ${reads} %: not a stage of the plan, golive will refuse; set a stage or 0 %, or roll back`;
	return `Acknowledge ${snapshot.flag} at ${reads} %: stage ${reads} % with its soak started over and rollback triggers armed; auto-advance ${snapshot.canary.paused ? 'stays paused' : 'goes on'} (nothing is written)`;
}

/** Only an acknowledgement the reducer took marks the outside change acknowledged; a refusal leaves it standing (its reason is the decision). */
export function observationAfterAcknowledge(before: CanaryState, after: CanaryState, observation: FlagObservation): FlagObservation {
	const outside = observation.outsideChange;
	return outside && before.phase !== after.phase ? {...observation, outsideChange: {...outside, acknowledged: true}} : observation;
}
