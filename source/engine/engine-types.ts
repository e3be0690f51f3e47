/**
 * The launch engine's public shape: its options, its events and its handle.
 * `launch-engine.ts` re-exports these; the other engine modules import them here.
 */
import type {SourceState} from '../core/measurements.js';
import type {Decision, GateView, SignOff} from '../core/decision-types.js';
import type {LaunchOutcome, LaunchResult} from '../core/launch-outcome.js';
import type {EngineHandle} from '../core/operator-commands.js';
import type {Plan} from '../core/plan-types.js';
import type {ActionKind, LogEntry, Snapshot} from '../core/snapshot.js';
import type {StepPort} from './runbook-driver.js';
import type {FleetPort} from './fleet-port.js';
import type {CloudWatchPort, FlagPort, InfraPort, JournalPort, ProbePort, TimerPort} from './ports.js';

export type {LaunchOutcome, LaunchResult};

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
	/** The probe agents' reading (plans with a `fleet` section). @default none: fleet rules read NO_DATA */
	fleet?: FleetPort;
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
	/** Value of the probes' variant header that marks the canary. @default 'v2' */
	canaryVariant?: string;
	/** Finish the run (resolve `done`) on success, rollback or abort. The screen keeps going instead. @default true */
	endWhenDone?: boolean;
	/** The console: an operator is there to acknowledge an outside flag change, so that stop does not end the launch. @default false */
	operatorPresent?: boolean;
	/** Shown until the operator acts: an unfinished launch found in the journal. @default null */
	resumeNotice?: string | null;
	/** Identity of this launch for the journal. */
	launch: {id: string; planHash: string};
	/**
	 * Restarted on an unfinished launch with the flag at this percent: the canary
	 * shows that stage, paused with its rollback triggers armed, and waits for the operator. @default none (pre-launch)
	 */
	resumeAtPercent?: number;
	/** Headless: watch a resumed stage at most this long, then end inconclusive (never a promote). @default null (until the operator acts) */
	resumeWatchMs?: number | null;
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
	/** Notification delivery as a source (degraded while a target fails). @default none */
	notifySource?: () => SourceState | null;
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
