/**
 * One frame of the launch: everything the TUI draws and `--json` emits as a
 * `snapshot` event. Built by the engine once per tick; widgets only read it.
 */
import type {CanaryState} from './canary-types.js';
import type {Decision, GateView, RuleResult} from './decision-types.js';
import type {CloudWatchSnapshot, ProbeSnapshot, SourceState} from './measurements.js';

export type SloView = RuleResult & {
	/** Recent values, oldest first, one per check (NaN for no data): the sparkline. */
	history: number[];
};

export type LogLevel = 'info' | 'warn' | 'error' | 'success';

export type LogEntry = {
	at: number;
	level: LogLevel;
	/** Sanitized one-line text. */
	text: string;
	/** A ready-to-paste status message (the seeds' communication templates), if any. */
	message?: string;
};

export type ActionKind = 'promote' | 'emergency_rollback' | 'full_rollback' | 'hook';

export type ActionView =
	| {kind: 'idle'}
	| {kind: 'in_flight'; action: ActionKind; targetPercent: number | null; since: number}
	| {kind: 'done'; action: ActionKind; ok: boolean; at: number; detail: string};

export type Mitigation = {
	/** Epoch ms when the rollback was decided. */
	triggeredAt: number;
	/** Epoch ms when the probes confirmed the V2 share gone, null while waiting. */
	confirmedAt: number | null;
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
	sources: {probes: SourceState; cloudwatch: SourceState; flag: SourceState};
	decision: Decision | null;
	action: ActionView;
	mitigation: Mitigation | null;
	/** Newest last, bounded. */
	log: LogEntry[];
	/** Another console holds the lock: no dangerous keys. */
	readOnly: boolean;
	/** A launch found unfinished in the journal: waiting for the operator. */
	resumeNotice: string | null;
};
