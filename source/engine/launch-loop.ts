/**
 * The loop: every display tick a fresh snapshot, every check interval a check
 * fed to the canary reducer, whose effects go to the action runner. It ends
 * the run when the core says the launch is over. Timers and emitting only.
 */
import {reduceCanary} from '../core/canary-machine.js';
import type {CanaryEvent} from '../core/canary-types.js';
import {buildCheckInput} from '../core/check-input.js';
import type {Decision} from '../core/decision-types.js';
import {checksJournaled, exitCodes, settledOutcome, type LaunchOutcome, type LaunchResult} from '../core/launch-outcome.js';
import {exitBlocker, measuredEnvironment} from '../core/gate-progress.js';
import {mitigationSummary} from '../core/mitigation-verdict.js';
import {sanitize} from '../core/sanitize.js';
import type {LogLevel, Snapshot} from '../core/snapshot.js';
import type {ActionRunner} from './action-runner.js';
import type {EngineContext} from './engine-context.js';
import {adoptionValue, checkRecord} from './journal-records.js';
import type {TimerPort} from './ports.js';
import type {Evaluation, ViewModel} from './view-model.js';

export type LaunchLoop = {
	dispatch(event: CanaryEvent): void;
	publish(check: boolean): Evaluation;
	/** Starts the display and check timers. */
	run(displayIntervalMs: number): void;
	finish(outcome: LaunchOutcome, reason: string): void;
	subscribe(listener: (snapshot: Snapshot) => void): () => void;
	readonly done: Promise<LaunchResult>;
};

export function createLaunchLoop(ctx: EngineContext, view: ViewModel, actions: ActionRunner, timers: TimerPort): LaunchLoop {
	const {plan, now, state, log, settings} = ctx;
	const listeners = new Set<(snapshot: Snapshot) => void>();
	let lastNotedDecision: Decision | null = null;
	let lastDecisionShape = '';
	let displayTimer: unknown = null;
	let checkTimer: unknown = null;
	let resolveDone!: (r: LaunchResult) => void;
	const done = new Promise<LaunchResult>((resolve) => {
		resolveDone = resolve;
	});

	let measuring = measuredEnvironment(plan, state.canary);

	/** Gate A measured staging; from Gate B on the probes measure the plan's environment, from fresh windows. */
	function followEnvironment(): void {
		const wanted = measuredEnvironment(plan, state.canary);
		if (wanted === measuring) return;
		measuring = wanted;
		const baseUrl = plan.environments[wanted]?.baseUrl;
		if (baseUrl === undefined || !ctx.ports.probes.retarget) return;
		ctx.ports.probes.retarget(baseUrl);
		log.add('info', `Gate A passed: the probes now measure ${wanted} (${baseUrl})`);
	}

	function publish(check: boolean): Evaluation {
		const evaluation = view.evaluate(now());
		followEnvironment();
		if (check) view.recordHistory(evaluation.rules);
		view.noteGateChanges(evaluation.gates);
		actions.watchRollback(evaluation.at, evaluation.probes, evaluation.rules);
		state.snapshot = view.build(evaluation);
		for (const listener of listeners) listener(state.snapshot);
		ctx.emit({kind: 'snapshot', snapshot: state.snapshot, check});
		return evaluation;
	}

	function noteDecision(): void {
		const decision = state.canary.lastDecision;
		// The reducer keeps the same object when a check says the same thing: a new object is a new decision.
		if (!decision || decision === lastNotedDecision) return;
		lastNotedDecision = decision;
		ctx.emit({kind: 'decision', decision});
		// A hold repeats every check ("green for 0:03 of 0:10"): the log and journal keep only a change of reason.
		const shape = `${decision.kind}:${decision.reason.replace(/[\d.:]+/g, '#')}`;
		if (decision.kind === 'hold' && shape === lastDecisionShape) return;
		lastDecisionShape = shape;
		log.journalNote({type: 'decision', decision});
		const level: LogLevel = decision.kind === 'rollback' || decision.kind === 'abort' ? 'error' : decision.kind === 'hold' ? 'warn' : 'success';
		log.add(level, `${decision.kind.toUpperCase()}: ${decision.reason}`);
	}

	function dispatch(event: CanaryEvent): void {
		const before = state.canary;
		const {state: next, effects} = reduceCanary(plan, state.canary, event);
		state.canary = next;
		if (next.lastDecision !== before.lastDecision) noteDecision();
		for (const effect of effects) actions.run(effect);
		settle();
	}

	function check(): void {
		if (state.result) return;
		// Rules are evaluated once: the screen's SLOs and the reducer's input are the same results.
		const {at, rules, probes, cloudwatch, fleet, gates} = publish(true);
		// Observed, not remembered: the flag is read at every check (behind any write in flight).
		actions.observeFlag();
		const input = {...buildCheckInput(plan, {probes, cloudwatch, fleet}, at, rules), exitBlocker: exitBlocker(plan, state.canary, gates)};
		dispatch({type: 'check', input});
		ctx.runbook.checkpoints(state.canary, input, at);
		ctx.runbook.advance(state.canary, gates);
		if (checksJournaled(state.canary)) {
			const adoption = adoptionValue(plan, cloudwatch);
			log.journalNote({...checkRecord(rules, state.flagPercent, at, state.canary.judge), ...(adoption !== undefined ? {adoption} : {})});
		}
	}

	/** Ends a headless run when the core says the launch is over. */
	function settle(): void {
		if (state.result || !settings.endWhenDone) return;
		const ended = settledOutcome(state.canary, actions.rollbackEnding(), settings.until, settings.operatorPresent);
		if (ended) finish(ended.outcome, ended.reason);
	}

	function finish(outcome: LaunchOutcome, reason: string): void {
		if (state.result) return;
		// The last frame: gate changes of the final check (Gate G passing) still reach the stream.
		publish(false);
		const result: LaunchResult = {outcome, exitCode: exitCodes[outcome], reason: sanitize(reason, 500), at: now()};
		state.result = result;
		if (displayTimer !== null) timers.clearInterval(displayTimer);
		if (checkTimer !== null) timers.clearInterval(checkTimer);
		displayTimer = null;
		checkTimer = null;
		log.add(outcome === 'success' ? 'success' : 'error', `Launch ${outcome.replace('_', ' ')}: ${result.reason}`);
		void (async () => {
			await actions.idle();
			await ctx.runbook.stop();
			// An interrupted launch is unfinished on purpose: the next start finds it and waits for the operator.
			const mitigation = mitigationSummary(state.mitigation, state.flagPercent);
			const record =
				result.outcome === 'interrupted'
					? {type: 'note' as const, text: `console stopped: ${result.reason}`, by: 'golive'}
					: {type: 'launch_end' as const, outcome: result.outcome, exitCode: result.exitCode, reason: result.reason, mitigation};
			await ctx.ports.journal.append(record).catch(() => undefined);
			state.snapshot = {...state.snapshot, log: [...log.entries], action: state.action, mitigation: state.mitigation, canary: state.canary};
			for (const listener of listeners) listener(state.snapshot);
			ctx.emit({kind: 'result', result});
			resolveDone(result);
		})();
	}

	return {
		dispatch,
		publish,
		finish,
		done,
		run(displayIntervalMs) {
			displayTimer = timers.setInterval(() => {
				// A failed rollback's next try comes due between checks (backoff 0.5–10 s; checks may be a minute apart).
				const due = state.canary.pending?.nextTryAt;
				if (!state.result && due != null && now() >= due) dispatch({type: 'retry_due', at: now()});
				if (!state.result) ctx.runbook.advance(state.canary, publish(false).gates);
				settle();
			}, displayIntervalMs);
			checkTimer = timers.setInterval(check, plan.canary.checkIntervalMs);
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
	};
}
