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
import type {CanaryEffect, CanaryEvent, CanaryState, CheckInput, PendingFlagWrite} from './canary-types.js';
import type {Decision} from './decision-types.js';
import {formatAge, formatClock, formatRuleResult, gateGFailedMessage, gateGPassedMessage, ruleEvidence, stageFailedMessage, stagePassedMessage} from './format.js';
import type {Plan} from './plan-types.js';
import {holdsCanary, newSeverityBreaches, severityActions, severityOf} from './severity.js';
import {combineRollbacks, evaluateTriggers, triggerMetric} from './triggers.js';

export type CanaryStep = {state: CanaryState; effects: CanaryEffect[]};

/** A failed rollback write is retried this many times in all before golive tells the operator to act by hand. */
export const maxRollbackAttempts = 3;

/** A gap between checks longer than this many intervals breaks the green run (nobody looked in between). */
export const maxCheckGapIntervals = 2;

export function initialCanaryState(): CanaryState {
	return {
		phase: {kind: 'pre'},
		paused: false,
		armed: true,
		errorBurstCount: 0,
		breachSince: {},
		lastDecision: null,
		pending: null,
		lastCheckAt: null,
		lastCheckGreen: false,
	};
}

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

/** Whether rollback triggers are armed: a stage, Gate G, or the first write in flight. */
export function isLive(state: CanaryState): boolean {
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

export type GreenAssessment = {
	green: boolean;
	/** Every reason the check is not green, with the numbers. */
	why: string[];
	/** The same reasons without numbers: stable from check to check while the cause persists. */
	causes: string[];
};

/** Complete, passing data at one check: every plan rule PASS, abort numbers known and under, alarms known and quiet. */
export function assessCheck(plan: Plan, input: CheckInput): GreenAssessment {
	const why: string[] = [];
	const causes: string[] = [];
	const push = (detail: string, cause: string = detail) => {
		why.push(detail);
		causes.push(cause);
	};

	if (!Number.isFinite(input.at)) {
		push('check has no valid time');
	}

	if (plan.slos.length === 0) {
		push('the plan has no SLO rules: nothing proves health');
	}

	for (const rule of plan.slos) {
		// A P3 rule is logged, never held for.
		if (!holdsCanary(plan, rule.id)) continue;
		const r = input.rules.find((x) => x.ruleId === rule.id);
		if (!r) {
			push(`${rule.id} not evaluated`);
		} else if (r.status !== 'PASS') {
			push(formatRuleResult(r), `${r.ruleId} ${r.status}`);
		}
	}

	const {abort} = plan.canary;
	const errorLimit = Math.min(abort.errorRate, plan.triggers.errorBurst.threshold);
	if (!(input.errorRate <= errorLimit)) {
		push(Number.isFinite(input.errorRate) ? `error rate ${(input.errorRate * 100).toFixed(2)} % > ${(errorLimit * 100).toFixed(2)} %` : 'error rate unknown', Number.isFinite(input.errorRate) ? 'error rate high' : 'error rate unknown');
	}

	if (!(input.latencyMs <= abort.latencyMs)) {
		push(Number.isFinite(input.latencyMs) ? `canary latency ${input.latencyMs.toFixed(1)} ms > ${abort.latencyMs} ms` : 'canary latency unknown', Number.isFinite(input.latencyMs) ? 'canary latency high' : 'canary latency unknown');
	}

	if (!input.alarmsKnown) {
		push('alarm states unknown (CloudWatch not ok or an alarm is missing)');
	}

	for (const a of input.alarms) {
		if (a.state === 'ALARM') {
			push(`alarm ${a.name} in ALARM`);
		} else if (a.state === 'INSUFFICIENT_DATA' && plan.canary.holdOnInsufficientData) {
			push(`alarm ${a.name} INSUFFICIENT_DATA`);
		} else if (a.state !== 'OK' && a.state !== 'INSUFFICIENT_DATA') {
			push(`alarm ${a.name} in unknown state`);
		}
	}

	return {green: why.length === 0, why, causes};
}

function decision(kind: Decision['kind'], at: number, reason: string, extra: Partial<Decision> = {}): Decision {
	return {kind, at, reason, evidence: [], ...extra};
}

function hold(state: CanaryState, at: number, reason: string): CanaryStep {
	return {state: {...state, lastDecision: decision('hold', at, reason)}, effects: []};
}

/**
 * A check that only holds keeps the previous decision when it says the same
 * thing, so `lastDecision` changes (and the engine logs) only when the why does.
 */
function holdOnCheck(state: CanaryState, d: Decision): CanaryState {
	const previous = state.lastDecision;
	return previous?.kind === d.kind && previous.reason === d.reason ? state : {...state, lastDecision: d};
}

function pendingWrite(purpose: PendingFlagWrite['purpose'], percent: number, at: number, attempts = 1): PendingFlagWrite {
	return {purpose, percent, since: at, attempts};
}

function checkIsRecent(plan: Plan, state: CanaryState, at: number): boolean {
	const last = state.lastCheckAt ?? null;
	return last !== null && at - last >= 0 && at - last <= maxCheckGapIntervals * plan.canary.checkIntervalMs;
}

/** Why an operator promote/start is refused now, or null when it may go. */
function promoteRefusal(plan: Plan, state: CanaryState, at: number): string | null {
	if (!state.armed) {
		return 'disarmed after a rollback or an outside change: re-arm first';
	}

	if (state.pending) {
		return `a flag write to ${state.pending.percent}% is in flight`;
	}

	if (!Number.isFinite(at)) {
		return 'no valid time';
	}

	if (!checkIsRecent(plan, state, at)) {
		return state.lastCheckAt === null || state.lastCheckAt === undefined ? 'no check has run yet' : `the last check is ${formatAge(at - state.lastCheckAt)} old`;
	}

	if (state.lastCheckGreen !== true) {
		return `the last check was not complete passing data (${state.lastCheckNote ?? 'see the SLOs'})`;
	}

	if (state.phase.kind === 'stage' && state.exitBlocker) {
		return `waiting for ${state.exitBlocker}`;
	}

	return null;
}

function startCanary(plan: Plan, state: CanaryState, at: number, by: string): CanaryStep {
	const first = plan.canary.stages[0];
	if (first === undefined) {
		return hold(state, at, 'Start refused: the plan has no canary stages');
	}

	const refusal = promoteRefusal(plan, state, at);
	if (refusal) {
		return hold(state, at, `Start refused: ${refusal}`);
	}

	const d = decision('promote', at, `${by}: start canary, set ${plan.canary.flag} to ${first}% (stage clock starts when read back)`, {fromPercent: 0, toPercent: first});
	return {
		state: {...state, pending: pendingWrite('start', first, at), lastDecision: d},
		effects: [{kind: 'set_flag', percent: first, decision: d}],
	};
}

function advance(plan: Plan, state: CanaryState, at: number, input: CheckInput | null, by: string): CanaryStep {
	const phase = state.phase;
	if (phase.kind !== 'stage') {
		return hold(state, at, 'Promote refused: not at a canary stage');
	}

	const stages = plan.canary.stages;
	const next = stages[phase.index + 1];
	const summary = input ? stagePassedMessage(plan, phase.percent, next ?? null, input) : null;
	if (next === undefined) {
		const d = decision('promote', at, `${by}: ${phase.percent}% stage done; Gate G stabilization (${formatAge(plan.canary.stabilizationMs)} green) begins`, {
			fromPercent: phase.percent,
			toPercent: phase.percent,
			evidence: input ? input.rules.map(ruleEvidence) : [],
		});
		const effects: CanaryEffect[] = summary ? [{kind: 'announce', decision: {...d, reason: summary}}] : [{kind: 'announce', decision: d}];
		return {state: {...state, phase: {kind: 'stabilizing', enteredAt: at, greenSince: null}, lastDecision: d}, effects};
	}

	const d = decision('promote', at, `${by}: ${phase.percent}% → ${next}% (set ${plan.canary.flag}; stage clock starts when read back)`, {
		fromPercent: phase.percent,
		toPercent: next,
		evidence: input ? input.rules.map(ruleEvidence) : [],
	});
	const effects: CanaryEffect[] = [{kind: 'set_flag', percent: next, decision: d}];
	if (summary) {
		effects.push({kind: 'announce', decision: {...d, reason: summary}});
	}

	return {state: {...state, pending: pendingWrite('promote', next, at), lastDecision: d}, effects};
}

/**
 * `fullOnZero`: the full-rollback command waits for the flag to read back at 0 %
 * (Gate G's automatic full rollback); an operator's full rollback runs it at once.
 */
function rollBack(plan: Plan, state: CanaryState, d: Decision, kind: 'emergency' | 'full', announce: string | null, fullOnZero = false): CanaryStep {
	const effects: CanaryEffect[] = [];
	const writeInFlight = state.pending?.purpose === 'rollback';
	if (!writeInFlight) {
		effects.push({kind: 'set_flag', percent: 0, decision: d});
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
			phase: {kind: 'rolled_back', at: d.at, decision: d, rollback: kind, confirmedAt: null, ...(rollbackDuring(state) ? {during: rollbackDuring(state)} : {}), ...(fullOnZero ? {fullOnZero: true} : {})},
			armed: false,
			pending: writeInFlight ? state.pending : pendingWrite('rollback', 0, d.at),
			lastDecision: d,
		},
		effects,
	};
}

/** Gate G is being worked on: stabilizing at 100 %. */
function isGateG(state: CanaryState): boolean {
	return state.phase.kind === 'stabilizing';
}

/** Where a rollback decided now stands: in Gate G, in the post-launch watch, or at a stage (undefined). */
function rollbackDuring(state: CanaryState): 'gate_g' | 'watch' | undefined {
	return isGateG(state) ? 'gate_g' : state.phase.kind === 'succeeded' ? 'watch' : undefined;
}

/** A check, plus one announcement for each P2/P3 rule that started a breach at it. */
function reduceCheck(plan: Plan, state: CanaryState, input: CheckInput): CanaryStep {
	const step = reduceCheckTriggers(plan, state, input);
	const notices = newSeverityBreaches(plan, state.breachSince, step.state.breachSince, input.rules);
	const announced: CanaryEffect[] = notices.map((n) => ({
		kind: 'announce',
		decision: decision('hold', input.at, `${n.severity} ${formatRuleResult(n.rule)}: ${severityActions[n.severity]}`, {severity: n.severity, evidence: [ruleEvidence(n.rule)]}),
	}));
	return announced.length === 0 ? step : {state: step.state, effects: [...step.effects, ...announced]};
}

function reduceCheckTriggers(plan: Plan, state: CanaryState, input: CheckInput): CanaryStep {
	const at = input.at;
	if (!Number.isFinite(at)) {
		return hold({...state, lastCheckGreen: false, lastCheckNote: 'check has no valid time'}, state.lastDecision?.at ?? 0, 'Check ignored: no valid time');
	}

	const assessment = assessCheck(plan, input);
	const previous = state.lastCheckAt ?? null;
	// Time going backwards or a long silence: the green run cannot be vouched for.
	const gap = previous === null || at < previous || at - previous > maxCheckGapIntervals * plan.canary.checkIntervalMs;
	const note = assessment.why.join('; ');
	const base: CanaryState = {...state, lastCheckAt: at, lastCheckGreen: assessment.green, lastCheckNote: assessment.green ? undefined : note, exitBlocker: input.exitBlocker ?? null};

	const watch = state.watch;
	if (state.phase.kind === 'succeeded' && watch && watch.endedAt === null && at >= watch.until) {
		const d = decision('hold', at, `Post-launch watch over after ${formatAge(watch.until - watch.startedAt)}: no rollback trigger fired`);
		return {state: {...base, watch: {...watch, endedAt: at}, lastDecision: d}, effects: [{kind: 'announce', decision: d}]};
	}

	if (!isLive(state)) {
		const reset = state.phase.kind === 'pre' ? {breachSince: {}, errorBurstCount: 0} : {};
		return {state: {...base, ...reset}, effects: []};
	}

	const percent = expectedPercent(plan, state) ?? 0;
	const tracking = evaluateTriggers(plan, state, input, state.pending?.purpose === 'start' ? state.pending.percent : percent);
	const tracked: CanaryState = {...base, breachSince: tracking.breachSince, errorBurstCount: tracking.errorBurstCount};
	const rollback = combineRollbacks(tracking.fired);
	if (rollback) {
		const from = rollback.fromPercent ?? percent;
		// The Go-Live Commander script: "If Gate G FAILS → full rollback".
		const full = isGateG(state) && plan.canary.onGateGFail === 'full' && plan.actions.fullRollback !== undefined;
		return rollBack(plan, tracked, rollback, full ? 'full' : 'emergency', full ? gateGFailedMessage() : stageFailedMessage(from, triggerMetric(rollback)), full);
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
		const p2 = input.rules.some((r) => r.status === 'BREACH' && severityOf(plan, r.ruleId) === 'P2');
		return {state: holdOnCheck(live, decision('hold', at, `Holding at ${where}: ${assessment.causes.join(', ')}`, {evidence: input.rules.filter((r) => r.status !== 'PASS').map(ruleEvidence), ...(p2 ? {severity: 'P2' as const} : {})})), effects: []};
	}

	const greenFor = at - greenSince;
	const waiting = input.exitBlocker ? `waiting for ${input.exitBlocker}` : null;
	const blocker = state.paused ? 'paused' : !state.armed ? 'disarmed' : state.pending ? `flag write to ${state.pending.percent}% in flight` : waiting;
	if (!(greenFor >= needed) || blocker) {
		const suffix = blocker ? ` (${blocker})` : '';
		// Progress (green 4:00 of 10:00) is on the phase's greenSince; the reason stays put so the log does not repeat it.
		return {state: holdOnCheck(live, decision('hold', at, `Holding at ${where}: all checks green, ${formatClock(needed)} of continuous green needed${suffix}`)), effects: []};
	}

	if (phase.kind === 'stage') {
		return advance(plan, live, at, input, 'auto');
	}

	const d = decision('succeed', at, gateGPassedMessage(plan), {fromPercent: expectedPercent(plan, state) ?? 100, toPercent: expectedPercent(plan, state) ?? 100, evidence: input.rules.map(ruleEvidence)});
	const post = plan.postLaunch;
	const watching = post ? {watch: {startedAt: at, until: at + post.watchMs, endedAt: null}} : {};
	return {state: {...live, phase: {kind: 'succeeded', at}, lastDecision: d, ...watching}, effects: [{kind: 'announce', decision: d}]};
}

function failPending(plan: Plan, state: CanaryState, at: number, detail: string): CanaryStep {
	const pending = state.pending;
	if (!pending) {
		return hold(state, at, `Flag write failure reported with nothing in flight: ${detail}`);
	}

	if (pending.purpose !== 'rollback') {
		const d = decision('hold', at, `Promote to ${pending.percent}% failed: ${detail}. Paused; canary holds at its last confirmed stage`, {toPercent: pending.percent});
		return {state: {...state, pending: null, paused: true, lastDecision: d}, effects: [{kind: 'announce', decision: d}]};
	}

	if (pending.attempts < maxRollbackAttempts) {
		const attempts = pending.attempts + 1;
		const d = decision('rollback', at, `Rollback write failed (${detail}); retrying ${attempts}/${maxRollbackAttempts}: set ${plan.canary.flag} to 0%`, {trigger: 'operator', toPercent: 0});
		if (state.phase.kind === 'rolled_back') {
			d.trigger = state.phase.decision.trigger;
		}

		return {state: {...state, pending: {...pending, attempts, since: at}, lastDecision: d}, effects: [{kind: 'set_flag', percent: 0, decision: d}]};
	}

	const d = decision('abort', at, `ROLLBACK WRITE FAILED ${pending.attempts} times (${detail}): set ${plan.canary.flag} to 0% by hand now`, {toPercent: 0});
	return {state: {...state, pending: null, lastDecision: d}, effects: [{kind: 'announce', decision: d}]};
}

/**
 * The write this outcome belongs to is not the one pending any more: a promote
 * that landed after a rollback was decided. The rollback's own write follows and
 * is the one that counts; reading this one as a failed rollback would write twice.
 */
function overtaken(state: CanaryState, requested: number | undefined): boolean {
	return requested !== undefined && state.pending != null && requested !== state.pending.percent;
}

function reduceConfirmed(plan: Plan, state: CanaryState, at: number, percent: number): CanaryStep {
	const pending = state.pending;
	if (!pending) {
		const expected = expectedPercent(plan, state);
		return expected === percent ? {state, effects: []} : reduceExternal(plan, state, at, percent);
	}

	if (percent !== pending.percent) {
		return failPending(plan, state, at, `read back ${percent}%, expected ${pending.percent}%`);
	}

	if (pending.purpose === 'rollback') {
		const phase = state.phase;
		// An outcome, not a new decision: 'hold' so reports counting rollbacks count the decision once.
		const d = decision('hold', at, `${plan.canary.flag} read back at 0%: V2 traffic off; waiting for the probes to confirm`, {toPercent: 0});
		const next: CanaryState = {...state, pending: null, lastDecision: d, phase: phase.kind === 'rolled_back' ? {...phase, confirmedAt: at, fullOnZero: false} : phase};
		const effects: CanaryEffect[] = [{kind: 'announce', decision: d}];
		// Once, on the first read-back at 0 %: the flag off is the precondition of the full rollback.
		if (phase.kind === 'rolled_back' && phase.fullOnZero === true) effects.push({kind: 'full_rollback', decision: phase.decision});
		return {state: next, effects};
	}

	const index = plan.canary.stages.indexOf(percent);
	if (index < 0) {
		return reduceExternal(plan, {...state, pending: null}, at, percent);
	}

	const d = decision('hold', at, `${plan.canary.flag} read back at ${percent}%: stage ${percent}% clock started (${formatAge(plan.canary.stageDurationMs)} green needed)`, {toPercent: percent});
	return {
		state: {...state, pending: null, phase: {kind: 'stage', index, percent, enteredAt: at, greenSince: null}, lastDecision: d},
		effects: [],
	};
}

function reduceExternal(plan: Plan, state: CanaryState, at: number, observed: number): CanaryStep {
	if (state.pending && observed === state.pending.percent) {
		return reduceConfirmed(plan, state, at, observed);
	}

	const expected = expectedPercent(plan, state);
	if (expected === observed && !state.pending) {
		return {state, effects: []};
	}

	const reads = Number.isFinite(observed) ? `${observed}%` : 'an unreadable value';
	const seen = `${plan.canary.flag} reads ${reads} (expected ${state.pending?.percent ?? expected ?? '?'}%)`;
	if (isLive(state)) {
		const d = decision('abort', at, `${seen}: changed outside golive. Canary stopped; nothing promotes until re-armed`, {fromPercent: expected ?? undefined, toPercent: observed});
		return {
			state: {...state, phase: {kind: 'aborted', at, reason: d.reason}, armed: false, pending: null, lastDecision: d},
			effects: [{kind: 'announce', decision: d}],
		};
	}

	if (state.pending?.purpose === 'rollback') {
		// The rollback write is what we are waiting for: a different value means it did not take.
		return failPending(plan, state, at, `read back ${reads}, expected 0%`);
	}

	const d = decision('hold', at, `${seen}: changed outside golive`, {toPercent: observed});
	return {state: {...state, lastDecision: d}, effects: [{kind: 'announce', decision: d}]};
}

/** One event in, the next state and the effects the engine must journal and perform. */
export function reduceCanary(plan: Plan, state: CanaryState, event: CanaryEvent): CanaryStep {
	switch (event.type) {
		case 'check': {
			return reduceCheck(plan, state, event.input);
		}

		case 'start': {
			if (state.phase.kind !== 'pre') {
				return hold(state, event.at, 'Start refused: the canary has already started');
			}

			return startCanary(plan, state, event.at, event.by ?? 'operator');
		}

		case 'promote': {
			const phase = state.phase;
			switch (phase.kind) {
				case 'pre': {
					return startCanary(plan, state, event.at, 'operator');
				}

				case 'stage': {
					const refusal = promoteRefusal(plan, state, event.at);
					return refusal ? hold(state, event.at, `Promote refused: ${refusal}`) : advance(plan, state, event.at, null, 'operator');
				}

				case 'stabilizing': {
					return hold(state, event.at, `Promote refused: Gate G needs ${formatAge(plan.canary.stabilizationMs)} of continuous green; it cannot be skipped`);
				}

				case 'succeeded':
				case 'rolled_back':
				case 'aborted': {
					return hold(state, event.at, `Promote refused: canary is ${phase.kind.replace('_', ' ')}${state.armed ? '' : '; re-arm first'}`);
				}

				default: {
					const _never: never = phase;
					return _never;
				}
			}
		}

		case 'pause': {
			return {state: {...state, paused: true, lastDecision: decision('hold', event.at, 'Paused by operator: auto-advance off; rollback triggers still armed')}, effects: []};
		}

		case 'resume': {
			return {state: {...state, paused: false, lastDecision: decision('hold', event.at, 'Resumed by operator: auto-advance on')}, effects: []};
		}

		case 'rollback': {
			const from = expectedPercent(plan, state) ?? Number.NaN;
			const noFull = event.rollback === 'full' && plan.actions.fullRollback === undefined ? ' (no full rollback configured: flag to 0% only)' : '';
			const d = decision('rollback', event.at, `Operator ${event.rollback} rollback: ${event.reason}${noFull}`, {trigger: 'operator', fromPercent: from, toPercent: 0});
			return rollBack(plan, state, d, event.rollback, `Canary ${Number.isFinite(from) ? from : '?'}% rolled back by operator (${event.rollback}): ${event.reason}. Executing rollback immediately.`);
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
				state: {...initialCanaryState(), lastCheckAt: state.lastCheckAt ?? null, lastCheckGreen: state.lastCheckGreen ?? false, lastCheckNote: state.lastCheckNote, lastDecision: d},
				effects: [],
			};
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
			return failPending(plan, state, event.at, event.detail);
		}

		default: {
			const _never: never = event;
			return {state: _never, effects: []};
		}
	}
}
