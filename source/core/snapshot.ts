/**
 * One frame of the launch: everything the TUI draws and `--json` emits as a
 * `snapshot` event. Built by the engine once per tick; widgets only read it.
 */
import type {CanaryState} from './canary-types.js';
import type {Decision, GateView, RuleResult} from './decision-types.js';
import type {MonitorAlert} from './fleet-checks.js';
import type {FleetSnapshot} from './fleet-types.js';
import type {CloudWatchSnapshot, ProbeSnapshot, SourceState} from './measurements.js';
import type {Severity} from './plan-types.js';

export type SloView = RuleResult & {
	/** Recent values, oldest first, one per check (NaN for no data): the sparkline. */
	history: number[];
	/** The plan's severity for this rule (`severities`), shown on its tile. */
	severity?: Severity;
};

export type LogLevel = 'info' | 'warn' | 'error' | 'success';

export type LogEntry = {
	at: number;
	level: LogLevel;
	/** Sanitized one-line text. */
	text: string;
	/** A ready-to-paste status message (the run sheets' communication templates), if any. */
	message?: string;
};

export type ActionKind = 'promote' | 'emergency_rollback' | 'full_rollback' | 'hook';

export type ActionView =
	| {kind: 'idle'}
	| {kind: 'in_flight'; action: ActionKind; targetPercent: number | null; since: number}
	| {kind: 'done'; action: ActionKind; ok: boolean; at: number; detail: string};

/**
 * Where a rollback stands. Every phase comes from a read-back of the flag or
 * from probe measurements, never from having sent a request:
 * - `writing`: the write is in flight, nothing read back yet;
 * - `failing`: a write or its read-back failed; the next try is scheduled;
 * - `gave_up`: `actions.rollbackRetryForMs` ran out (headless ends with exit 4);
 * - `applied`: the flag read back 0 %; health not yet verified;
 * - `verified`: after the flag read 0 %, consecutive successful responses (none from the canary) and the rules pass;
 * - `not_healthy`: `actions.postRollbackWatchMs` passed without health coming back.
 */
export type RollbackState =
	| {phase: 'writing'; tries: number}
	/** `tries` have failed; `nextTryAt` null: the next try is being written now (still failing until a read-back says 0 %). */
	| {phase: 'failing'; tries: number; nextTryAt: number | null; flagReadPercent: number | null; detail: string}
	| {phase: 'gave_up'; tries: number; flagReadPercent: number | null; detail: string}
	| {phase: 'applied'; appliedAt: number}
	| {phase: 'verified'; appliedAt: number; healthyAt: number; detail: string}
	| {phase: 'not_healthy'; appliedAt: number; detail: string};

export type Mitigation = {
	/** Emergency (flag to 0 %) or full (flag to 0 % and the configured rollback command). */
	kind: 'emergency' | 'full';
	/** Epoch ms when the rollback was decided. */
	triggeredAt: number;
	/** Epoch ms when the probes confirmed the V2 share gone, null while waiting. */
	confirmedAt: number | null;
	rollback: RollbackState;
};

/** The flag as golive last read it, and any change made outside golive. */
export type FlagObservation = {
	/** Percent as last read back; null when unknown. */
	percent: number | null;
	/** Epoch ms of the last successful read, null when none. */
	readAt: number | null;
	/** A value golive did not write; auto-advance stops until the operator acknowledges it. */
	outsideChange: {from: number | null; to: number | null; at: number; acknowledged: boolean} | null;
};

export type Snapshot = {
	at: number;
	service: string;
	environment: string;
	startedAt: number;
	/** Current flag percent as last read back; null when unknown. */
	flagPercent: number | null;
	flag: string;
	stages: number[];
	stageDurationMs: number;
	stabilizationMs: number;
	canary: CanaryState;
	slos: SloView[];
	gates: GateView[];
	probes: ProbeSnapshot[];
	cloudwatch: CloudWatchSnapshot | null;
	/** The probe agents' newest reading; absent without a `fleet` in the plan, null before the first read. */
	fleet?: FleetSnapshot | null;
	/** Fleet locations failing `triggers.syntheticFailures.consecutive` checks in a row (with `fleet`). */
	syntheticFailures?: MonitorAlert[];
	/** `notify` only when the plan has notify targets. */
	sources: {probes: SourceState; cloudwatch: SourceState; flag: SourceState; notify?: SourceState};
	decision: Decision | null;
	action: ActionView;
	mitigation: Mitigation | null;
	/** Newest last, bounded. */
	log: LogEntry[];
	/** The flag as last read back and any change made outside golive (filled by the engine where it observes the flag). */
	flagObservation?: FlagObservation;
	/** What a full rollback runs besides the flag write (argv, or METHOD URL); null when the plan configures none. */
	fullRollback?: string | null;
	/** A launch found unfinished in the journal: waiting for the operator. */
	resumeNotice: string | null;
	/** `POST-LAUNCH WATCH T+1:12 · next checkpoint T+4h` while the watch after Gate G runs. */
	postLaunchWatch?: string | null;
};
