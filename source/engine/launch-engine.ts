/**
 * The launch engine: one loop for the screen and for `--json`. Every display
 * tick it reads the newest probe and CloudWatch snapshots, evaluates the rules
 * and gates, and publishes a `Snapshot`; every check interval it feeds a check
 * to the canary reducer and carries out the reducer's effects — journal first,
 * then act, then read back. It decides nothing itself: `source/core/` does.
 */
import type {CanaryEffect, CanaryEvent, CanaryState} from '../core/canary-types.js';
import {initialCanaryState, reduceCanary} from '../core/canary-machine.js';
import {buildCheckInput} from '../core/check-input.js';
import type {Decision, GateView, RuleResult, SignOff} from '../core/decision-types.js';
import {exitBlocker, measuredEnvironment, stagingEnvironment} from '../core/gate-progress.js';
import {evaluateGates} from '../core/gates.js';
import type {CloudWatchSnapshot, ProbeSnapshot, SourceState} from '../core/measurements.js';
import type {EngineHandle, OperatorCommand} from '../core/operator-commands.js';
import type {Plan} from '../core/plan-types.js';
import {evaluateRules} from '../core/rules.js';
import {sanitize} from '../core/sanitize.js';
import {severityOf} from '../core/severity.js';
import type {ActionKind, ActionView, LogEntry, LogLevel, Mitigation, Snapshot, SloView} from '../core/snapshot.js';
import {rollbackCompleteMessage} from '../core/format.js';
import {journalFormat, type JournalInput} from '../journal/records.js';
import {checkRecord, launchTargets} from './journal-records.js';
import {createMitigationTracker} from './mitigation.js';
import {createRunbookDriver, type StepPort} from './runbook-driver.js';
import type {CloudWatchPort, FlagPort, FlagWriteResult, InfraCheckResult, InfraPort, JournalPort, ProbePort, TimerPort} from './ports.js';

export const launchOutcomes = ['success', 'rolled_back', 'aborted', 'inconclusive', 'interrupted'] as const;
export type LaunchOutcome = (typeof launchOutcomes)[number];

export type LaunchResult = {outcome: LaunchOutcome; exitCode: 0 | 1 | 3 | 130; reason: string; at: number};

/** Engine events the headless stream and the journal care about (the screen only reads snapshots). */
export type EngineEvent =
	| {kind: 'snapshot'; snapshot: Snapshot; check: boolean}
	| {kind: 'decision'; decision: Decision}
	| {kind: 'gate'; gate: GateView}
	| {kind: 'action'; phase: 'intent' | 'outcome'; id: string; action: ActionKind; targetPercent: number | null; ok?: boolean; detail: string; reason: string}
	| {kind: 'log'; entry: LogEntry}
	| {kind: 'result'; result: LaunchResult};

export type LaunchEngineOptions = {
	plan: Plan;
	/** Epoch-ms clock. */
	now: () => number;
	probes: ProbePort;
	cloudwatch: CloudWatchPort;
	flag: FlagPort;
	journal: JournalPort;
	infra: InfraPort;
	/** @default the global setInterval/clearInterval */
	timers?: TimerPort;
	/** Start the canary and advance stages by themselves when every check passes. @default false */
	auto?: boolean;
	/** Sign-offs given up front (`--sign-off role="Name"`). @default [] */
	signOffs?: Array<Omit<SignOff, 'at'>>;
	/** Give up waiting for gates A and B after this long: the run is inconclusive. null waits for the operator. @default null */
	preLaunchTimeoutMs?: number | null;
	/** After a rollback, how long the probes may take to confirm the canary's share is gone. @default 30000 */
	mitigationTimeoutMs?: number;
	/** Value of the probes' variant header that marks the canary. @default 'v2' */
	canaryVariant?: string;
	/** Finish the run (resolve `done`) on success, rollback or abort. The screen keeps going instead. @default true */
	endWhenDone?: boolean;
	/** Another console holds the launch lock: watch only. @default false */
	readOnly?: boolean;
	/** Shown until the operator acts: an unfinished launch found in the journal. @default null */
	resumeNotice?: string | null;
	/** Identity of this launch for the journal. */
	launch: {id: string; planHash: string};
	/**
	 * Restarted on an unfinished launch with the flag at this percent: the canary
	 * shows that stage, paused, and waits for the operator. @default none (pre-launch)
	 */
	resumeAtPercent?: number;
	/** Lines for the event log before anything happens (e.g. where the demo service listens). @default [] */
	initialLog?: string[];
	/** How often the screen gets a fresh snapshot. @default 1000 */
	displayIntervalMs?: number;
	/** Sparkline length per SLO. @default 60 */
	historyLength?: number;
	/** Runs the plan's runbook steps. @default none: a step fails with "no step runner" */
	steps?: StepPort;
	/** Headless: end at Gate G (`gate-g`) or after the post-launch watch (`watch-end`). @default 'gate-g' */
	until?: 'gate-g' | 'watch-end';
};

export type LaunchEngine = EngineHandle & {
	/** Reads the flag, runs the infra checks, starts the loop. */
	start(): Promise<void>;
	/** Ends the run (Ctrl-C, SIGTERM, quit); resolves with the result. */
	stop(outcome?: LaunchOutcome, reason?: string): Promise<LaunchResult>;
	/** Resolves when the run ends by itself or by `stop`. */
	readonly done: Promise<LaunchResult>;
	onEvent(listener: (event: EngineEvent) => void): () => void;
};

const exitCodes: Record<LaunchOutcome, LaunchResult['exitCode']> = {
	success: 0,
	rolled_back: 1,
	aborted: 1,
	inconclusive: 3,
	interrupted: 130,
};

const maxLogEntries = 200;

/** The stage an unfinished launch's flag is at, paused: nothing moves until the operator does. */
function resumedState(plan: Plan, percent: number | undefined, at: number): CanaryState | null {
	if (percent === undefined) return null;
	const index = plan.canary.stages.indexOf(percent);
	if (index < 0) return null;
	return {...initialCanaryState(), paused: true, phase: {kind: 'stage', index, percent, enteredAt: at, greenSince: null}};
}


export function createLaunchEngine(options: LaunchEngineOptions): LaunchEngine {
	const {plan, now, probes, cloudwatch, flag, journal, infra} = options;
	const timers: TimerPort = options.timers ?? {
		setInterval: (fn, ms) => setInterval(fn, ms),
		clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
	};
	const auto = options.auto ?? false;
	const endWhenDone = options.endWhenDone ?? true;
	const readOnly = options.readOnly ?? false;
	const canaryVariant = options.canaryVariant ?? 'v2';
	const mitigationTimeoutMs = options.mitigationTimeoutMs ?? 30_000;
	const historyLength = options.historyLength ?? 60;

	const startedAt = now();
	const until = options.until ?? 'gate-g';
	let canary: CanaryState = resumedState(plan, options.resumeAtPercent, startedAt) ?? {...initialCanaryState(), paused: !auto};
	let flagPercent: number | null = null;
	let flagVersion: string | number | null = null;
	let flagState: SourceState = {kind: 'starting'};
	let action: ActionView = {kind: 'idle'};
	let mitigation: Mitigation | null = null;
	let rollbackWrittenAt: number | null = null;
	const mitigationTracker = createMitigationTracker(canaryVariant);
	let resumeNotice = options.resumeNotice ?? null;
	let infraResults: Record<string, InfraCheckResult> = {};
	const signOffs: SignOff[] = (options.signOffs ?? []).map((s) => ({...s, at: startedAt}));
	const history = new Map<string, number[]>();
	const log: LogEntry[] = [];
	const gateStatus = new Map<string, string>();
	const listeners = new Set<(snapshot: Snapshot) => void>();
	const eventListeners = new Set<(event: EngineEvent) => void>();
	let lastNotedDecision: Decision | null = null;
	let lastDecisionShape = '';
	let snapshot: Snapshot;
	let displayTimer: unknown = null;
	let checkTimer: unknown = null;
	let lastRules: RuleResult[] = [];
	let lastGates: GateView[] = [];
	/** Gates A and B as they stood when the canary started. */
	let preLaunchGates: GateView[] | null = null;
	/** Gate A as it passed on staging: its verdict stands once the probes move on to production. */
	let stagingGateA: GateView | null = null;
	/** The environment the probes measure now (staging during Gate A). */
	let measuring = measuredEnvironment(plan, canary, false);
	let result: LaunchResult | null = null;
	let resolveDone!: (r: LaunchResult) => void;
	const done = new Promise<LaunchResult>((resolve) => {
		resolveDone = resolve;
	});
	/** Actions run one at a time, in order; a rollback queued behind a promote still runs. */
	let actionChain: Promise<void> = Promise.resolve();
	let inFlight: {action: ActionKind; target: number | null} | null = null;
	let actionSeq = 0;
	/** True while an operator command is being dispatched: its effects are the operator's. */
	let operatorActing = false;

	const runbook = createRunbookDriver({
		plan,
		now,
		steps: options.steps ?? {run: async () => ({ok: false, attempts: 0, detail: 'not run: no step runner in this console', output: ''})},
		append: (entry) => journalAppend(entry),
		log: (level, text, message) => addLog(level, text, message),
		changed: () => publishQuietly(),
	});

	function emit(event: EngineEvent): void {
		for (const listener of eventListeners) listener(event);
	}

	function addLog(level: LogLevel, text: string, message?: string): void {
		const entry: LogEntry = {at: now(), level, text: sanitize(text, 300), ...(message ? {message} : {})};
		log.push(entry);
		if (log.length > maxLogEntries) log.splice(0, log.length - maxLogEntries);
		emit({kind: 'log', entry});
	}

	/** Write-ahead records: a failure propagates, so the action does not run. */
	async function journalAppend(entry: JournalInput): Promise<void> {
		try {
			await journal.append(entry);
		} catch (error) {
			addLog('error', `journal write failed: ${String(error)}`);
			throw error;
		}
	}

	/** Records that explain but gate nothing: a failed write is logged, never fatal. */
	function journalNote(entry: JournalInput): void {
		journal.append(entry).catch((error: unknown) => addLog('error', `journal write failed: ${String(error)}`));
	}

	function probesState(list: ProbeSnapshot[]): SourceState {
		if (list.length === 0) return {kind: 'starting'};
		const invalid = list.filter((p) => !p.scheduler.valid);
		if (invalid.length > 0) return {kind: 'degraded', why: `scheduler could not hold the rate: ${invalid.map((p) => p.probeId).join(', ')}`, retryInMs: 0};
		const dead = list.filter((p) => p.windows['1m'].requests > 0 && p.windows['1m'].errors === p.windows['1m'].requests);
		if (dead.length > 0) {
			const first = dead[0]!;
			return {kind: 'error', code: 'unreachable', message: `${first.probeId}: every request failed${first.lastError ? ` (${first.lastError})` : ''}`};
		}
		return {kind: 'ok'};
	}

	function evaluate(at: number): {rules: RuleResult[]; gates: GateView[]; probeList: ProbeSnapshot[]; cw: CloudWatchSnapshot | null} {
		const probeList = probes.latest();
		const cw = cloudwatch.latest();
		const rules = evaluateRules(plan, {probes: probeList, cloudwatch: cw}, at);
		const autoResults: Record<string, {status: 'pass' | 'fail' | 'no_data'; detail: string}> = {...infraResults};
		let gates = evaluateGates(plan, {rules, canary, signOffs, autoResults, cloudwatch: cw, steps: runbook.states()}, at);
		// Gates A and B are pre-launch gates: once the canary starts they stand as they were passed,
		// and a later breach shows in the canary's gates, not as a failed staging validation.
		if (canary.phase.kind === 'pre') {
			preLaunchGates = null;
			if (stagingEnvironment(plan) !== null) {
				stagingGateA ??= gates.find((g) => g.gate === 'A' && g.status === 'pass') ?? null;
				const passed = stagingGateA;
				if (passed) gates = gates.map((g) => (g.gate === 'A' ? passed : g));
			}
		} else {
			preLaunchGates ??= gates.filter((g) => g.gate === 'A' || g.gate === 'B');
			const frozen = preLaunchGates;
			gates = gates.map((g) => frozen.find((f) => f.gate === g.gate) ?? g);
		}
		return {rules, gates, probeList, cw};
	}

	function buildSnapshot(at: number, rules: RuleResult[], gates: GateView[], probeList: ProbeSnapshot[], cw: CloudWatchSnapshot | null): Snapshot {
		const slos: SloView[] = rules.map((rule) => {
			const severity = severityOf(plan, rule.ruleId);
			return {...rule, history: [...(history.get(rule.ruleId) ?? [])], ...(severity ? {severity} : {})};
		});
		return {
			at,
			service: plan.service,
			environment: plan.environment,
			startedAt,
			flagPercent,
			flag: plan.canary.flag,
			stages: plan.canary.stages,
			stageDurationMs: plan.canary.stageDurationMs,
			stabilizationMs: plan.canary.stabilizationMs,
			canary,
			slos,
			gates,
			probes: probeList,
			cloudwatch: cw,
			sources: {probes: probesState(probeList), cloudwatch: cw ? cw.state : {kind: 'disabled', why: 'no CloudWatch in the plan'}, flag: flagState},
			decision: canary.lastDecision,
			action,
			mitigation,
			log: [...log],
			readOnly,
			resumeNotice,
			postLaunchWatch: runbook.banner(canary, at),
		};
	}

	/** Gate A measured staging; from Gate B on the probes measure the plan's environment, from fresh windows. */
	function followEnvironment(): void {
		const wanted = measuredEnvironment(plan, canary, stagingGateA !== null);
		if (wanted === measuring) return;
		measuring = wanted;
		const baseUrl = plan.environments[wanted]?.baseUrl;
		if (baseUrl === undefined || !probes.retarget) return;
		probes.retarget(baseUrl);
		addLog('info', `Gate A passed on ${stagingEnvironment(plan) ?? 'staging'}: the probes now measure ${wanted} (${baseUrl})`);
	}

	function publish(check: boolean): void {
		const at = now();
		const {rules, gates, probeList, cw} = evaluate(at);
		followEnvironment();
		lastRules = rules;
		lastGates = gates;
		if (check) {
			for (const rule of rules) {
				const values = history.get(rule.ruleId) ?? [];
				values.push(rule.status === 'NO_DATA' ? Number.NaN : rule.value);
				if (values.length > historyLength) values.splice(0, values.length - historyLength);
				history.set(rule.ruleId, values);
			}
		}
		for (const gate of gates) {
			const key = `${gate.status}|${gate.items.map((i) => i.status).join(',')}`;
			if (gateStatus.get(gate.gate) !== key) {
				const previous = gateStatus.get(gate.gate);
				gateStatus.set(gate.gate, key);
				if (previous !== undefined || gate.status !== 'pending') {
					emit({kind: 'gate', gate});
					journalNote({type: 'gate', gate: gate.gate, status: gate.status, detail: gate.items.map((i) => `${i.id}=${i.status}`).join(' ')});
				}
			}
		}
		updateMitigation(at, probeList);
		snapshot = buildSnapshot(at, rules, gates, probeList, cw);
		for (const listener of listeners) listener(snapshot);
		emit({kind: 'snapshot', snapshot, check});
	}

	function noteDecision(): void {
		const decision = canary.lastDecision;
		// The reducer keeps the same object when a check says the same thing: a new object is a new decision.
		if (!decision || decision === lastNotedDecision) return;
		lastNotedDecision = decision;
		emit({kind: 'decision', decision});
		// A hold repeats every check ("green for 0:03 of 0:10"): the log and journal keep only a change of reason.
		const shape = `${decision.kind}:${decision.reason.replace(/[\d.:]+/g, '#')}`;
		if (decision.kind === 'hold' && shape === lastDecisionShape) return;
		lastDecisionShape = shape;
		journalNote({type: 'decision', decision});
		const level: LogLevel = decision.kind === 'rollback' || decision.kind === 'abort' ? 'error' : decision.kind === 'hold' ? 'warn' : 'success';
		addLog(level, `${decision.kind.toUpperCase()}: ${decision.reason}`);
	}

	function dispatch(event: CanaryEvent): void {
		const before = canary;
		const {state, effects} = reduceCanary(plan, canary, event);
		canary = state;
		if (canary.lastDecision !== before.lastDecision) noteDecision();
		for (const effect of effects) runEffect(effect);
		settle();
	}

	/** Pre-launch: gates A and B must pass before the canary starts. */
	function preLaunchBlocker(): string | null {
		for (const id of ['A', 'B']) {
			const gate = lastGates.find((g) => g.gate === id);
			if (!gate) continue;
			if (gate.status !== 'pass') {
				const open = gate.items.filter((i) => i.status !== 'pass').map((i) => `${i.label}: ${i.detail}`);
				return `Gate ${id} not passed — ${open.join('; ') || gate.status}`;
			}
		}
		return null;
	}

	function check(): void {
		if (result) return;
		publish(true);
		const at = now();
		const input = {...buildCheckInput(plan, {probes: snapshot.probes, cloudwatch: snapshot.cloudwatch}, at), exitBlocker: exitBlocker(plan, canary, lastGates)};
		dispatch({type: 'check', input});
		runbook.checkpoints(canary, input, at);
		runbook.advance(canary, lastGates);
		if (canary.phase.kind === 'pre') {
			const blocker = preLaunchBlocker();
			if (blocker === null && auto && canary.armed && !canary.paused && inFlight === null && !canary.pending) {
				dispatch({type: 'start', at, by: 'auto'});
				if (canary.pending) addLog('success', 'Gates A and B PASSED: starting the canary');
			} else if (blocker !== null && options.preLaunchTimeoutMs != null && at - startedAt >= options.preLaunchTimeoutMs) {
				finish('inconclusive', `Launch did not start within ${Math.round(options.preLaunchTimeoutMs / 1000)} s: ${blocker}`);
			}
			return;
		}
		journalCheck(at);
	}

	function journalCheck(at: number): void {
		journalNote(checkRecord(lastRules, flagPercent, at));
	}

	function actionKindFor(effect: CanaryEffect): ActionKind {
		switch (effect.kind) {
			case 'set_flag':
				return flagPercent !== null && effect.percent < flagPercent ? 'emergency_rollback' : effect.percent === 0 ? 'emergency_rollback' : 'promote';
			case 'full_rollback':
				return 'full_rollback';
			case 'announce':
				return 'hook';
			default: {
				const _never: never = effect;
				return _never;
			}
		}
	}

	function runEffect(effect: CanaryEffect): void {
		if (effect.kind === 'announce') {
			// The decision itself is already in the log; an announcement that differs is a ready-to-paste status message.
			if (effect.decision.reason !== canary.lastDecision?.reason) addLog(effect.decision.kind === 'rollback' ? 'error' : 'info', effect.decision.reason, effect.decision.reason);
			return;
		}
		const kind = actionKindFor(effect);
		const target = effect.kind === 'set_flag' ? effect.percent : null;
		// Who acted is known only now: the chain below runs after the key press has been handled.
		const by = effect.decision.trigger === 'operator' || operatorActing ? 'operator' : 'auto';
		// The reducer decides what may run (nothing promotes while a write is pending or after a
		// rollback); the engine only runs its effects one at a time, in the order asked.
		actionChain = actionChain.then(() => executeAction(effect, kind, target, by)).catch((error: unknown) => {
			addLog('error', `action failed: ${String(error)}`);
		});
	}

	async function executeAction(effect: Exclude<CanaryEffect, {kind: 'announce'}>, kind: ActionKind, target: number | null, by: 'auto' | 'operator'): Promise<void> {
		if (result) return;
		const id = `a${++actionSeq}-${now()}`;
		const reason = effect.decision.reason;
		inFlight = {action: kind, target};
		action = {kind: 'in_flight', action: kind, targetPercent: target, since: now()};
		publishQuietly();
		try {
			// Write-ahead: the intent is on disk before the flag is touched.
			await journalAppend({type: 'intent', id, action: kind, targetPercent: target, fromPercent: flagPercent, reason, by, decision: effect.decision});
		} catch {
			inFlight = null;
			action = {kind: 'done', action: kind, ok: false, at: now(), detail: 'not executed: the journal could not record the intent'};
			dispatch({type: 'action_failed', at: now(), action: effect.kind, detail: 'not executed: the journal could not record the intent', ...(target !== null ? {requested: target} : {})});
			return;
		}
		const what = target === null ? 'run the full rollback command' : `set ${plan.canary.flag} to ${target} %`;
		emit({kind: 'action', phase: 'intent', id, action: kind, targetPercent: target, detail: what, reason});
		addLog('info', `${kind === 'promote' ? 'Promoting' : 'Rolling back'}: ${what}`);
		const actionStartedAt = now();
		// The effect record (exactly what goes out, redacted) is on disk before each send.
		const onSend = (sent: unknown): Promise<void> => journalAppend({type: 'effect', id, sent});
		let outcome: FlagWriteResult;
		if (target === null) {
			// The reducer asks for the flag to 0 % first (its own effect); this runs the rollback command.
			outcome = flag.fullRollback ? await flag.fullRollback(reason, onSend) : {kind: 'failed', detail: 'no full rollback configured in the plan'};
		} else {
			outcome = await flag.setPercent(target, flagVersion, onSend);
		}
		const at = now();
		const readBack = outcome.kind === 'ok' ? outcome.percent : outcome.kind === 'conflict' ? outcome.observedPercent : null;
		journalNote({type: 'outcome', id, result: outcome.kind, readBackPercent: readBack, detail: outcome.detail, durationMs: at - actionStartedAt});
		inFlight = null;
		switch (outcome.kind) {
			case 'ok':
				flagPercent = outcome.percent;
				flagVersion = outcome.version;
				flagState = {kind: 'ok'};
				action = {kind: 'done', action: kind, ok: true, at, detail: outcome.detail};
				emit({kind: 'action', phase: 'outcome', id, action: kind, targetPercent: target, ok: true, detail: outcome.detail, reason});
				if (kind !== 'promote') {
					rollbackWrittenAt = at;
					mitigationTracker.armed(probes.latest());
					mitigation = {kind: kind === 'full_rollback' ? 'full' : 'emergency', triggeredAt: effect.decision.at, confirmedAt: null, rollback: {phase: 'applied', appliedAt: at}};
					addLog('warn', `Flag at ${outcome.percent} % (read back). Waiting for the probes to confirm the ${canaryVariant} share is gone…`);
				}
				dispatch({type: 'flag_confirmed', at, percent: outcome.percent, ...(target !== null ? {requested: target} : {})});
				break;
			case 'conflict':
				action = {kind: 'done', action: kind, ok: false, at, detail: outcome.detail};
				emit({kind: 'action', phase: 'outcome', id, action: kind, targetPercent: target, ok: false, detail: outcome.detail, reason});
				addLog('error', `STOPPED: ${plan.canary.flag} was changed by someone else (${outcome.detail})`);
				if (outcome.observedPercent !== null) flagPercent = outcome.observedPercent;
				dispatch({type: 'external_change', at, observedPercent: outcome.observedPercent ?? Number.NaN});
				break;
			case 'failed':
				action = {kind: 'done', action: kind, ok: false, at, detail: outcome.detail};
				emit({kind: 'action', phase: 'outcome', id, action: kind, targetPercent: target, ok: false, detail: outcome.detail, reason});
				addLog('error', `${kind} FAILED: ${outcome.detail}`);
				await refreshFlag();
				dispatch({type: 'action_failed', at, action: effect.kind, detail: outcome.detail, ...(target !== null ? {requested: target} : {})});
				break;
			default: {
				const _never: never = outcome;
				return _never;
			}
		}
		publishQuietly();
	}


	function updateMitigation(at: number, probeList: ProbeSnapshot[]): void {
		if (!mitigation || mitigation.confirmedAt !== null || rollbackWrittenAt === null) return;
		const clean = mitigationTracker.confirm(probeList);
		if (clean === null) return;
		mitigation = {...mitigation, confirmedAt: at, rollback: {phase: 'verified', appliedAt: rollbackWrittenAt, healthyAt: at, detail: `${clean} responses in a row`}};
		const seconds = ((at - mitigation.triggeredAt) / 1000).toFixed(1);
		addLog('success', `Mitigation confirmed by the probes ${seconds} s after the trigger: ${clean} responses in a row, none from ${canaryVariant}`, rollbackCompleteMessage(canary.phase.kind === 'rolled_back' ? canary.phase.rollback : 'emergency'));
		journalNote({type: 'mitigation', triggeredAt: mitigation.triggeredAt, confirmedAt: at, detail: `${clean} responses in a row after the rollback, none from ${canaryVariant}`});
	}

	/** Ends the run when the launch is over (headless), after the rollback is confirmed. */
	function settle(): void {
		if (result || !endWhenDone) return;
		const phase = canary.phase;
		switch (phase.kind) {
			case 'succeeded':
				// `--until watch-end`: the post-launch watch keeps the triggers armed until it is over.
				if (until === 'watch-end' && canary.watch && canary.watch.endedAt === null) return;
				finish('success', canary.lastDecision?.reason ?? 'Gate G passed');
				return;
			case 'rolled_back': {
				const confirmed = mitigation?.confirmedAt != null;
				const timedOut = rollbackWrittenAt !== null && now() - rollbackWrittenAt >= mitigationTimeoutMs;
				if (confirmed || timedOut) {
					const suffix = confirmed ? '' : ' (the probes could not confirm the canary share is gone)';
					finish('rolled_back', `${phase.decision.reason}${suffix}`);
				}
				return;
			}
			case 'aborted':
				finish('aborted', phase.reason);
				return;
			case 'pre':
			case 'stage':
			case 'stabilizing':
				return;
			default: {
				const _never: never = phase;
				return _never;
			}
		}
	}

	function publishQuietly(): void {
		if (result) return;
		publish(false);
	}

	async function refreshFlag(): Promise<void> {
		const read = await flag.read();
		if (read.ok) {
			flagPercent = read.percent;
			flagVersion = read.version;
			flagState = {kind: 'ok'};
		} else {
			flagState = {kind: 'error', code: 'unreachable', message: sanitize(read.error, 200)};
		}
	}

	function finish(outcome: LaunchOutcome, reason: string): void {
		if (result) return;
		// The last frame: gate changes of the final check (Gate G passing) still reach the stream.
		publish(false);
		result = {outcome, exitCode: exitCodes[outcome], reason: sanitize(reason, 500), at: now()};
		if (displayTimer !== null) timers.clearInterval(displayTimer);
		if (checkTimer !== null) timers.clearInterval(checkTimer);
		displayTimer = null;
		checkTimer = null;
		addLog(outcome === 'success' ? 'success' : 'error', `Launch ${outcome.replace('_', ' ')}: ${result.reason}`);
		const final = result;
		void (async () => {
			await actionChain;
			await runbook.stop();
			// An interrupted launch is unfinished on purpose: the next start finds it and waits for the operator.
			if (final.outcome !== 'interrupted') {
				await journal.append({type: 'launch_end', outcome: final.outcome, exitCode: final.exitCode, reason: final.reason}).catch(() => undefined);
			} else {
				await journal.append({type: 'note', text: `console stopped: ${final.reason}`, by: 'golive'}).catch(() => undefined);
			}
			snapshot = {...snapshot, log: [...log], action, mitigation, canary};
			for (const listener of listeners) listener(snapshot);
			emit({kind: 'result', result: final});
			resolveDone(final);
		})();
	}

	function send(command: OperatorCommand): void {
		if (result) return;
		operatorActing = true;
		try {
			handleCommand(command);
		} finally {
			operatorActing = false;
		}
		publishQuietly();
	}

	function handleCommand(command: OperatorCommand): void {
		const at = now();
		const dangerous = command.type === 'promote' || command.type === 'emergency_rollback' || command.type === 'full_rollback' || command.type === 'rearm';
		if (dangerous && readOnly) {
			addLog('warn', `read-only: another console holds this launch; ${command.type} ignored`);
			return;
		}
		if (dangerous) resumeNotice = null;
		switch (command.type) {
			case 'promote': {
				const busy = inFlight ?? (canary.pending ? {action: canary.pending.purpose === 'rollback' ? 'emergency_rollback' : 'promote', target: canary.pending.percent} : null);
				if (busy !== null) {
					addLog('warn', `ignored: ${busy.action}${busy.target !== null ? ` to ${busy.target} %` : ''} already in flight`);
					break;
				}
				journalNote({type: 'note', text: 'operator: promote', by: 'operator'});
				if (canary.phase.kind === 'pre') {
					const blocker = preLaunchBlocker();
					if (blocker !== null) {
						addLog('warn', `promote refused: ${blocker}`);
						break;
					}
					dispatch({type: 'start', at});
				} else {
					dispatch({type: 'promote', at, by: 'operator'});
				}
				break;
			}
			case 'emergency_rollback':
			case 'full_rollback': {
				const reason = sanitize(command.reason || 'operator rollback', 300);
				journalNote({type: 'note', text: `operator: ${command.type} — ${reason}`, by: 'operator'});
				dispatch({type: 'rollback', at, rollback: command.type === 'full_rollback' ? 'full' : 'emergency', reason, by: 'operator'});
				break;
			}
			case 'pause':
				dispatch({type: 'pause', at});
				addLog('info', 'Auto-advance paused (rollback triggers stay armed)');
				break;
			case 'resume':
				dispatch({type: 'resume', at});
				addLog('info', 'Auto-advance resumed');
				break;
			case 'rearm':
				mitigation = null;
				rollbackWrittenAt = null;
				dispatch({type: 'rearm', at});
				addLog('info', 'Re-armed: nothing promotes until the operator or a passing gate says so');
				break;
			case 'sign_off': {
				const reject = command.decision === 'reject';
				const note = command.note ? sanitize(command.note, 300) : '';
				const signOff: SignOff = {itemId: sanitize(command.itemId, 80), role: sanitize(command.role, 80), name: sanitize(command.name, 120), at, ...(reject ? {decision: 'reject' as const} : {}), ...(note ? {note} : {})};
				signOffs.push(signOff);
				journalNote({type: 'sign_off', ...signOff});
				addLog(reject ? 'error' : 'success', `${reject ? 'REJECTED' : 'Sign-off'}: ${signOff.role} ${signOff.name} (${signOff.itemId})${note ? ` — ${note}` : ''}${reject ? '; the gate holds, the operator decides on rollback' : ''}`);
				break;
			}
			case 'rerun_step': {
				const refused = runbook.rerun(sanitize(command.itemId, 80));
				if (refused) {
					addLog('warn', `re-run refused: ${refused}`);
					break;
				}
				journalNote({type: 'note', text: `operator: re-run step ${command.itemId}`, by: 'operator'});
				addLog('info', `Step ${command.itemId} will run again when its gate is worked on`);
				runbook.advance(canary, lastGates);
				break;
			}
			case 'note': {
				const text = sanitize(command.text, 500);
				journalNote({type: 'note', text, by: 'operator'});
				addLog('info', `Note: ${text}`);
				break;
			}
			default: {
				const _never: never = command;
				return _never;
			}
		}
	}

	async function start(): Promise<void> {
		probes.start?.(plan.environments[measuring]?.baseUrl);
		await journal.append({
			type: 'launch_start',
			launchId: options.launch.id,
			format: journalFormat,
			planHash: options.launch.planHash,
			startedAt,
			targets: launchTargets(plan),
			service: plan.service,
			environment: plan.environment,
			flag: plan.canary.flag,
			stages: plan.canary.stages,
			stageDurationMs: plan.canary.stageDurationMs,
			stabilizationMs: plan.canary.stabilizationMs,
			plannedDurationMs: plan.plannedDurationMs ?? plan.canary.stages.length * plan.canary.stageDurationMs + plan.canary.stabilizationMs,
		});
		for (const s of signOffs) await journal.append({type: 'sign_off', ...s});
		await refreshFlag();
		if (flagPercent !== null && flagPercent > 0) {
			addLog('warn', `${plan.canary.flag} is already at ${flagPercent} %: golive will not change it until you act`);
			canary = {...canary, paused: true};
		}
		infraResults = await infra.run().catch((error: unknown) => ({infra: {status: 'no_data' as const, detail: String(error)}}));
		publish(false);
		if (result) return;
		const displayMs = options.displayIntervalMs ?? 1000;
		displayTimer = timers.setInterval(() => {
			if (!result) publish(false);
			if (!result) runbook.advance(canary, lastGates);
			settle();
		}, displayMs);
		checkTimer = timers.setInterval(check, plan.canary.checkIntervalMs);
	}

	async function stop(outcome: LaunchOutcome = 'interrupted', reason = 'interrupted by the operator'): Promise<LaunchResult> {
		finish(outcome, reason);
		const final = await done;
		await Promise.allSettled([probes.stop(), cloudwatch.stop()]);
		await journal.close().catch(() => undefined);
		return final;
	}

	for (const line of options.initialLog ?? []) addLog('info', line);
	// A snapshot exists before start() so a screen can mount at once.
	snapshot = buildSnapshot(startedAt, [], [], [], null);

	return {
		start,
		stop,
		done,
		send,
		getSnapshot: () => snapshot,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		onEvent(listener) {
			eventListeners.add(listener);
			return () => eventListeners.delete(listener);
		},
	};
}
