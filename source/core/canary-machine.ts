/**
 * The canary state machine: `reduceCanary(plan, state, event) → {state, effects}`.
 * Pure; the clock comes in the events. The engine journals each effect, then
 * performs it, then feeds the outcome back (`flag_confirmed`, `action_failed`).
 *
 * Fail-safe choices:
 * - A stage's clock starts only when its percent is read back (`flag_confirmed`),
 *   not when the write is decided; a failed promote holds and pauses.
 * - Rollback beats promote: a check in which any trigger fires yields only the
 *   rollback (flag → 0) and never a write upward, even with a promote in flight.
 * - After a rollback or an outside change the machine is disarmed: nothing
 *   promotes until the operator re-arms, and re-arming goes back to `pre`.
 * - Auto-advance needs a run of complete, passing checks (no gap longer than two
 *   check intervals) as long as the stage; a manual promote (or start) needs the
 *   last check to be complete, passing and recent. NO_DATA is never green.
 */
import {expectedPercent, triggersArmed} from './canary-phase.js';
import {decision, hold, holdOnCheck, initialCanaryState, pendingWrite, type CanaryStep} from './canary-step.js';
import type {CanaryEffect, CanaryEvent, CanaryState, CheckInput} from './canary-types.js';
import {assessCheck, maxCheckGapIntervals} from './check-assessment.js';
import type {Decision} from './decision-types.js';
import {formatTimer, ruleEvidence} from './format.js';
import {gateGFailedText, gateGPassedText, stageFailedText} from '../report/messages.js';
import {judgeCheck, judgedPercent, withJudgeBlockers} from './judge/judge-tracking.js';
import type {Plan} from './plan-types.js';
import {failPending, overtaken, reduceConfirmed, reduceExternal, retryRollback} from './flag-write-outcomes.js';
import {preLaunchBlocker, preLaunchTimedOut, recordPreLaunchGates} from './pre-launch.js';
import {stagingEnvironment} from './gate-progress.js';
import {endWatch, rollbackDuring, startWatch} from './post-launch.js';
import {heldSeverity, severityNotices} from './severity.js';
import {combineRollbacks, evaluateTriggers} from './triggers.js';
import {isManual} from './soak.js';
import {advance, reducePromote, saidBusy, startCanary} from './canary-promotion.js';
import {reduceAcknowledge} from './acknowledge.js';
import {endResumedWatch, keepResumeGuard, pausedBlocker} from './resume-guard.js';

export {greenProgress} from './canary-phase.js';
export {initialCanaryState, type CanaryStep} from './canary-step.js';

/** A check before the canary: start by itself when the policy allows and gates A and B pass, or give up waiting. */
function preLaunchCheck(plan: Plan, state: CanaryState, at: number): CanaryStep {
	const policy = state.launchPolicy;
	const blocker = preLaunchBlocker(state);
	if (blocker !== null) {
		const gaveUp = preLaunchTimedOut(policy, blocker, at);
		return {state, effects: gaveUp === null ? [] : [{kind: 'give_up', reason: gaveUp}]};
	}

	if (!policy?.autoStart || !state.armed || state.paused || state.pending || state.startByOperator) {
		return {state, effects: []};
	}

	return startCanary(plan, state, at, 'auto');
}

/**
 * `fullOnZero`: the full-rollback command waits for the flag to read back at 0 %
 * (Gate G's automatic full rollback); an operator's full rollback runs it at once.
 */
function rollBack(plan: Plan, state: CanaryState, d: Decision, kind: 'emergency' | 'full', announce: string | null, fullOnZero = false): CanaryStep {
	const effects: CanaryEffect[] = [];
	const writeInFlight = state.pending?.purpose === 'rollback';
	if (!writeInFlight) {
		effects.push({kind: 'set_flag', purpose: 'emergency_rollback', percent: 0, decision: d});
	}

	if (kind === 'full' && plan.actions.fullRollback !== undefined && !fullOnZero) {
		effects.push({kind: 'full_rollback', decision: d});
	}

	if (announce) {
		effects.push({kind: 'announce', decision: {...d, reason: announce}});
	}

	return {
		state: {
			...state,
			phase: {
				kind: 'rolled_back',
				at: d.at,
				decision: d,
				rollback: kind,
				flagReadBackAt: null,
				...rollbackDuring(state),
				...(fullOnZero ? {fullOnZero: true} : {}),
			},
			armed: false,
			pending: writeInFlight ? state.pending : pendingWrite('rollback', 0, d.at),
			lastDecision: d,
		},
		effects,
	};
}

/** A check, plus one announcement for each P2/P3 rule that started a breach at it. */
function reduceCheck(plan: Plan, state: CanaryState, input: CheckInput): CanaryStep {
	const step = reduceCheckTriggers(plan, state, input);
	return endResumedWatch(
		plan,
		{state: step.state, effects: [...step.effects, ...severityNotices(plan, state.breachSince, step.state.breachSince, input)]},
		input.at,
	);
}

function reduceCheckTriggers(plan: Plan, state: CanaryState, input: CheckInput): CanaryStep {
	const at = input.at;
	if (!Number.isFinite(at)) {
		return hold({...state, lastCheckGreen: false, lastCheckNote: 'check has no valid time'}, state.lastDecision?.at ?? 0, 'Check ignored: no valid time');
	}

	// V2 against V1 while both serve: its blockers hold the stage, a confirmed HIGH may roll back.
	const judged = judgeCheck(plan, state.judge, input.rules, at, judgedPercent(state.phase));
	const assessment = withJudgeBlockers(assessCheck(plan, input), judged.blockers);
	const previous = state.lastCheckAt ?? null;
	// Time going backwards or a long silence: the green run cannot be vouched for.
	const gap = previous === null || at < previous || at - previous > maxCheckGapIntervals * plan.canary.checkIntervalMs;
	const note = assessment.why.join('; ');
	const base: CanaryState = {
		...state,
		lastCheckAt: at,
		lastCheckGreen: assessment.green,
		lastCheckNote: assessment.green ? undefined : note,
		judge: judged.tracks,
		exitBlocker: input.exitBlocker ?? null,
	};
	const watchOver = endWatch(base, at);
	if (watchOver) return watchOver;

	if (!triggersArmed(state)) {
		return state.phase.kind === 'pre' ? preLaunchCheck(plan, {...base, breachSince: {}, errorBurstCount: 0}, at) : {state: base, effects: []};
	}

	const percent = expectedPercent(plan, state) ?? 0;
	const tracking = evaluateTriggers(plan, state, input, state.pending?.purpose === 'start' ? state.pending.percent : percent);
	const tracked: CanaryState = {...base, breachSince: tracking.breachSince, errorBurstCount: tracking.errorBurstCount};
	const rollback = combineRollbacks(judged.rollback ? [...tracking.fired, judged.rollback] : tracking.fired);
	if (rollback) {
		const from = rollback.fromPercent ?? percent;
		// The Go-Live Commander script: "If Gate G FAILS → full rollback".
		const full = state.phase.kind === 'stabilizing' && plan.canary.onGateGFail === 'full' && plan.actions.fullRollback !== undefined;
		return rollBack(
			plan,
			tracked,
			rollback,
			full ? 'full' : 'emergency',
			full ? gateGFailedText(plan, rollback.evidence, 'full') : stageFailedText(plan, from, rollback.evidence),
			full,
		);
	}

	const phase = state.phase;
	if (phase.kind === 'pre') {
		return {state: holdOnCheck(tracked, decision('hold', at, `Waiting for ${plan.canary.flag} to read back at ${state.pending?.percent ?? 0}%`)), effects: []};
	}

	if (phase.kind !== 'stage' && phase.kind !== 'stabilizing') {
		return {state: tracked, effects: []};
	}

	const greenSince = assessment.green ? (gap || phase.greenSince === null ? at : phase.greenSince) : null;
	const live: CanaryState = {...tracked, phase: {...phase, greenSince}};
	const needed = phase.kind === 'stage' ? plan.canary.stageDurationMs : plan.canary.stabilizationMs;
	const where = phase.kind === 'stage' ? `${phase.percent}%` : 'Gate G';
	if (greenSince === null) {
		const severity = heldSeverity(plan, input.rules);
		return {
			state: holdOnCheck(
				live,
				decision('hold', at, `Holding at ${where}: ${assessment.causes.join(', ')}`, {
					evidence: input.rules.filter((r) => r.status !== 'PASS').map(ruleEvidence),
					...severity,
				}),
			),
			effects: [],
		};
	}

	const greenFor = at - greenSince;
	const waiting = input.exitBlocker ? `waiting for ${input.exitBlocker}` : null;
	const busy = !state.armed ? 'disarmed' : state.pending ? `flag write to ${state.pending.percent}% in flight` : waiting;
	const blocker = state.paused ? pausedBlocker(state) : busy;
	if (!(greenFor >= needed) || blocker) {
		const suffix = blocker ? ` (${blocker})` : '';
		// Progress (green 4:00 of 10:00) is on the phase's greenSince; the reason stays put so the log does not repeat it.
		return {
			state: holdOnCheck(live, decision('hold', at, `Holding at ${where}: all checks green, ${formatTimer(needed)} of continuous green needed${suffix}`)),
			effects: [],
		};
	}

	if (phase.kind === 'stage') {
		return advance(plan, live, at, input, 'auto');
	}

	const d = decision('succeed', at, gateGPassedText(plan, input), {
		fromPercent: expectedPercent(plan, state) ?? 100,
		toPercent: expectedPercent(plan, state) ?? 100,
		evidence: input.rules.map(ruleEvidence),
	});
	return {state: {...live, phase: {kind: 'succeeded', at}, lastDecision: d, ...startWatch(plan, at)}, effects: [{kind: 'announce', decision: d}]};
}

/** One event in, the next state and the effects the engine must journal and perform. */
export function reduceCanary(plan: Plan, state: CanaryState, event: CanaryEvent): CanaryStep {
	return keepResumeGuard(reduceEvent(plan, state, event));
}

function reduceEvent(plan: Plan, state: CanaryState, event: CanaryEvent): CanaryStep {
	switch (event.type) {
		case 'check': {
			return reduceCheck(plan, state, event.input);
		}

		case 'start': {
			if (state.phase.kind !== 'pre') {
				return hold(state, event.at, 'Start refused: the canary has already started');
			}

			const by = event.by ?? 'operator';
			const step = startCanary(plan, state, event.at, by);
			return by === 'operator' ? saidBusy(state, step) : step;
		}

		case 'promote': {
			return saidBusy(state, reducePromote(plan, state, event));
		}

		case 'gates': {
			return {state: recordPreLaunchGates(state, event.gates, stagingEnvironment(plan) !== null), effects: []};
		}

		case 'flag_read': {
			// Someone left the flag up: golive does not move it by itself until the operator acts.
			if (!(event.percent > 0)) return {state, effects: []};
			return {
				state: {...state, paused: true},
				effects: [{kind: 'notice', level: 'warn', text: `${plan.canary.flag} is already at ${event.percent} %: golive will not change it until you act`}],
			};
		}

		case 'flag_observed': {
			// While golive's own write is pending, its read-back decides; a settled flag must read what golive set.
			if (state.pending || expectedPercent(plan, state) === null || expectedPercent(plan, state) === event.percent) return {state, effects: []};
			return reduceExternal(plan, state, event.at, event.percent);
		}

		case 'pause': {
			return {
				state: {...state, paused: true, lastDecision: decision('hold', event.at, 'Paused by operator: auto-advance off; rollback triggers still armed')},
				effects: [],
			};
		}

		case 'resume': {
			if (isManual(state)) {
				return hold(state, event.at, 'Resume refused: --manual has no auto-advance; promote with p');
			}

			return {state: {...state, paused: false, lastDecision: decision('hold', event.at, 'Resumed by operator: auto-advance on')}, effects: []};
		}

		case 'rollback': {
			const from = expectedPercent(plan, state) ?? Number.NaN;
			const noFull = event.rollback === 'full' && plan.actions.fullRollback === undefined ? ' (no full rollback configured: flag to 0% only)' : '';
			const d = decision('rollback', event.at, `Operator ${event.rollback} rollback: ${event.reason}${noFull}`, {
				trigger: 'operator',
				fromPercent: from,
				toPercent: 0,
			});
			return rollBack(
				plan,
				state,
				d,
				event.rollback,
				`Canary ${Number.isFinite(from) ? from : '?'}% rolled back by operator (${event.rollback}): ${event.reason}. Executing rollback immediately.`,
			);
		}

		case 'external_change': {
			return reduceExternal(plan, state, event.at, event.observedPercent);
		}

		case 'rearm': {
			const kind = state.phase.kind;
			if (kind !== 'rolled_back' && kind !== 'aborted') {
				return hold(state, event.at, 'Re-arm ignored: nothing to re-arm');
			}

			if (state.pending) {
				return hold(state, event.at, `Re-arm refused: the flag write to ${state.pending.percent}% is still in flight`);
			}

			const d = decision('hold', event.at, 'Re-armed by operator: back before the canary; nothing promotes until started');
			return {
				state: {
					...initialCanaryState(),
					launchPolicy: state.launchPolicy,
					paused: isManual(state),
					lastCheckAt: state.lastCheckAt ?? null,
					lastCheckGreen: state.lastCheckGreen ?? false,
					lastCheckNote: state.lastCheckNote,
					lastDecision: d,
				},
				effects: [],
			};
		}

		case 'acknowledge': {
			return reduceAcknowledge(plan, state, event);
		}

		case 'flag_confirmed': {
			if (overtaken(state, event.requested)) return {state, effects: []};
			return reduceConfirmed(plan, state, event.at, event.percent);
		}

		case 'action_failed': {
			if (event.action === 'full_rollback') {
				const d = decision('abort', event.at, `Full rollback command failed: ${event.detail}. Run it by hand`);
				return {state: {...state, lastDecision: d}, effects: [{kind: 'announce', decision: d}]};
			}

			if (overtaken(state, event.requested)) return {state, effects: []};
			return failPending(plan, state, event.at, event.detail, event.jitter);
		}

		case 'retry_due': {
			return retryRollback(plan, state, event.at);
		}

		default: {
			const _never: never = event;
			return {state: _never, effects: []};
		}
	}
}
