/**
 * The launch engine: one loop for the screen and for `--json`. It wires the
 * ports to the core and decides nothing itself: `source/core/` does. The parts:
 * - `launch-loop.ts`: display and check timers, the reducer's dispatch, the end;
 * - `view-model.ts`: rules and gates evaluated once per tick into a `Snapshot`;
 * - `action-runner.ts`: the reducer's effects — journal first, then act, then read back;
 * - `operator-commands.ts`: key presses and control commands into reducer events.
 */
import {initialCanaryState} from '../core/canary-machine.js';
import {plannedDurationMs} from '../core/launch-plan.js';
import {initialLaunchState} from '../core/pre-launch.js';
import {createActionRunner} from './action-runner.js';
import type {EngineContext, EngineState} from './engine-context.js';
import type {EngineEvent, LaunchEngine, LaunchEngineOptions, LaunchOutcome, LaunchResult} from './engine-types.js';
import {createEventLog} from './event-log.js';
import {launchPlanFacts, launchTargets} from './journal-records.js';
import {createLaunchLoop, type LaunchLoop} from './launch-loop.js';
import {createOperatorCommands} from './operator-commands.js';
import type {TimerPort} from './ports.js';
import {createViewModel} from './view-model.js';
import {createRunbookDriver} from './runbook-driver.js';
import {createStartupChecks} from './startup-checks.js';
import {measuredEnvironment} from '../core/gate-progress.js';
import {journalFormat} from '../journal/records.js';

export type {EngineEvent, LaunchEngine, LaunchEngineOptions, LaunchResult};

export function createLaunchEngine(options: LaunchEngineOptions): LaunchEngine {
	const {plan, now, probes, cloudwatch, flag, journal, infra} = options;
	const timers: TimerPort = options.timers ?? {
		setInterval: (fn, ms) => setInterval(fn, ms),
		clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
	};
	const startedAt = now();
	const eventListeners = new Set<(event: EngineEvent) => void>();
	const emit = (event: EngineEvent): void => {
		for (const listener of eventListeners) listener(event);
	};
	const state: EngineState = {
		canary: initialLaunchState(plan, initialCanaryState(), {
			autoStart: options.auto ?? false,
			startedAt,
			preLaunchTimeoutMs: options.preLaunchTimeoutMs ?? null,
			...(options.resumeAtPercent !== undefined ? {resumeAtPercent: options.resumeAtPercent, resumeWatchMs: options.resumeWatchMs ?? null} : {}),
		}),
		flagPercent: null,
		flagVersion: null,
		flagState: {kind: 'starting'},
		flagOkAt: null,
		flagObservation: {percent: null, readAt: null, outsideChange: null},
		action: {kind: 'idle'},
		mitigation: null,
		rollbackWrittenAt: null,
		resumeNotice: options.resumeNotice ?? null,
		flagReadAtStart: false,
		infraResults: {},
		signOffs: (options.signOffs ?? []).map((s) => ({...s, at: startedAt})),
		// Replaced below, before anyone can read it.
		snapshot: undefined as never,
		result: null,
		operatorActing: false,
	};
	let loop: LaunchLoop | null = null;
	const log = createEventLog(now, journal, emit);
	const runbook = createRunbookDriver({
		plan,
		now,
		steps: options.steps ?? {run: async () => ({ok: false, attempts: 0, detail: 'not run: no step runner in this console', output: ''})},
		append: (entry) => journal.append(entry),
		log: (level, text, message) => log.add(level, text, message),
		changed: () => {
			if (!state.result) loop?.publish(false);
		},
	});
	const ctx: EngineContext = {
		plan,
		now,
		settings: {
			canaryVariant: options.canaryVariant ?? 'v2',
			endWhenDone: options.endWhenDone ?? true,
			historyLength: options.historyLength ?? 60,
			startedAt,
			until: options.until ?? 'gate-g',
			operatorPresent: options.operatorPresent ?? false,
			notifySource: options.notifySource ?? (() => null),
		},
		ports: {probes, cloudwatch, ...(options.fleet ? {fleet: options.fleet} : {}), flag, journal, infra},
		state,
		log,
		runbook,
		emit,
		dispatch: (event) => loop!.dispatch(event),
		publishQuietly: () => {
			if (!state.result) loop!.publish(false);
		},
		finish: (outcome, reason) => loop!.finish(outcome, reason),
	};
	const view = createViewModel(ctx);
	const actions = createActionRunner(ctx);
	loop = createLaunchLoop(ctx, view, actions, timers);
	const commands = createOperatorCommands(ctx, actions);
	const startupChecks = createStartupChecks(ctx);
	eventListeners.add((event) => {
		if (event.kind === 'snapshot' && event.check) startupChecks.atCheck();
	});

	let starting: Promise<void> | null = null;
	/** Once; a launch stopped before it started (a signal during start-up) never starts. */
	function start(): Promise<void> {
		starting ??= state.result ? Promise.resolve() : startOnce();
		return starting;
	}

	async function startOnce(): Promise<void> {
		probes.start?.(plan.environments[measuredEnvironment(plan, state.canary)]?.baseUrl);
		await journal.append({
			type: 'launch_start',
			launchId: options.launch.id,
			format: journalFormat,
			planHash: options.launch.planHash,
			startedAt,
			targets: launchTargets(plan),
			...launchPlanFacts(plan),
			service: plan.service,
			environment: plan.environment,
			flag: plan.canary.flag,
			stages: plan.canary.stages,
			stageDurationMs: plan.canary.stageDurationMs,
			stabilizationMs: plan.canary.stabilizationMs,
			plannedDurationMs: plannedDurationMs(plan),
		});
		// Stopped meanwhile (a signal while a record was being written): nothing more is journaled, so the
		// end record stays the journal's last.
		for (const s of state.signOffs) {
			if (state.result) return;
			await journal.append({type: 'sign_off', ...s});
		}
		if (state.result) return;
		await actions.refreshFlag();
		if (state.result) return;
		if (state.flagPercent !== null) {
			state.flagReadAtStart = true;
			ctx.dispatch({type: 'flag_read', at: now(), percent: state.flagPercent});
		}
		await startupChecks.run();
		if (state.result) return;
		loop!.publish(false);
		if (state.result) return;
		loop!.run(options.displayIntervalMs ?? 1000);
	}

	async function stop(outcome: LaunchOutcome = 'interrupted', reason = 'interrupted by the operator'): Promise<LaunchResult> {
		loop!.finish(outcome, reason);
		const final = await loop!.done;
		// A start-up still running (infra checks up to their timeouts) journals before the journal closes.
		await starting?.catch(() => undefined);
		await Promise.allSettled([probes.stop(), cloudwatch.stop(), options.fleet?.stop()]);
		await journal.close().catch(() => undefined);
		return final;
	}

	for (const line of options.initialLog ?? []) ctx.log.add('info', line);
	// A snapshot exists before start() so a screen can mount at once: the plan's rules (no data yet),
	// its gates and its sources as they start, never an empty plan.
	state.snapshot = view.build(view.evaluate(startedAt));

	return {
		start,
		stop,
		done: loop.done,
		send: commands.send,
		getSnapshot: () => state.snapshot,
		subscribe: (listener) => loop!.subscribe(listener),
		onEvent(listener) {
			eventListeners.add(listener);
			return () => eventListeners.delete(listener);
		},
	};
}
