/**
 * The launch journal's records: one JSON object per line, append-only. The
 * engine writes them; resume and the launch report read them. Every action is
 * `intent` (fsynced before it runs) → `effect` (what was sent) → `outcome`.
 * Numbers that may be unknown are `null` on disk (JSON has no NaN).
 */
import type {Decision, GateStatus, RuleStatus} from '../core/decision-types.js';
import type {GateId} from '../core/plan-types.js';

/** Bump when a record changes incompatibly. */
export const journalFormat = 1;

type JournalAction = 'promote' | 'emergency_rollback' | 'full_rollback' | 'hook';

export type LaunchStartRecord = {
	type: 'launch_start';
	launchId: string;
	format: typeof journalFormat;
	service: string;
	environment: string;
	flag: string;
	stages: number[];
	stageDurationMs: number;
	stabilizationMs: number;
	plannedDurationMs: number | null;
	/** sha256 of the plan as loaded (secrets never enter the journal, their hash is harmless). */
	planHash: string;
	/** SLO targets for the report's "(target <800ms)". */
	targets?: {boardP95Ms?: number; drawerAvgMs?: number; errorRate?: number; occConflicts?: number};
	/** Epoch ms the launch started. */
	startedAt: number;
	/** The plan's own rules, so any plan's report shows them with their thresholds and windows. */
	/** `windowMs`: the window's real length, when the plan sets `windowsMs` (messages name it, not the window's name). */
	rules?: Array<{id: string; label: string; threshold: number; op: string; unit: 'ms' | 'ratio' | 'count'; window: string; windowMs?: number}>;
	/** The plan's `report`: build id, git tag, links, adoption label, message style. */
	report?: {buildId?: string; gitTag?: string; links?: Array<{label: string; url: string}>; adoption?: string; messageStyle?: string};
};

export type IntentRecord = {
	type: 'intent';
	/** Unique per action within the launch; effect/outcome carry the same id. */
	id: string;
	action: JournalAction;
	/** Flag percent the action sets; null for hooks and full rollback. */
	targetPercent: number | null;
	/** Flag percent before the action, as last read back; null when unknown. */
	fromPercent: number | null;
	reason: string;
	/** `cli`: `golive rollback` acting by itself, with no owner running. */
	by: 'auto' | 'operator' | 'cli';
	decision: Decision | null;
	/** Hook name when `action` is `hook`. */
	hook?: string;
};

type EffectRecord = {
	type: 'effect';
	id: string;
	/** What was sent: method + URL + body, or argv; redacted. */
	sent: unknown;
};

export type OutcomeRecord = {
	type: 'outcome';
	id: string;
	result: 'ok' | 'failed' | 'conflict';
	/** The flag percent read back after the action; null when unknown. */
	readBackPercent: number | null;
	detail: string;
	durationMs: number;
};

type DecisionRecord = {type: 'decision'; decision: Decision};

type GateRecord = {type: 'gate'; gate: GateId; status: GateStatus; detail?: string};

type SignOffRecord = {type: 'sign_off'; itemId: string; role: string; name: string; at: number; decision?: 'approve' | 'reject'; note?: string};

/**
 * A runbook step: `start` (fsynced before the command runs, with what is sent)
 * then `result` with the verdict and the output tail (sanitized, redacted).
 */
type StepRecord = {
	type: 'step';
	itemId: string;
	gate: GateId;
	phase: 'start' | 'result';
	attempt: number;
	by: 'auto' | 'operator';
	sent?: unknown;
	ok?: boolean;
	detail?: string;
	output?: string;
};

/** A post-launch checkpoint: its status message as written. */
type CheckpointRecord = {type: 'checkpoint'; label: string; offsetMs: number; green: boolean; message: string};

type NoteRecord = {type: 'note'; text: string; by?: string};

/** One status message's delivery to a notify target (named `slack#1`, never by its URL: that is a secret). */
type NotifyRecord = {type: 'notify'; target: string; message: string; ok: boolean; attempts: number; detail: string};

/** A control command (`golive promote`, `rollback`, …) as it reached the owner: who asked, before it acts. */
type ControlRecord = {type: 'control'; command: string; by: 'cli'; user: string; pid: number; detail: string};

/** One periodic check's key numbers, as the report needs them per stage. */
/** One rule at one check: its value in the rule's unit (null when unknown) and its verdict. */
export type CheckedRule = {value: number | null; status: RuleStatus};

export type CheckRecord = {
	type: 'check';
	at: number;
	flagPercent: number | null;
	/** Every rule of the plan at this check, by the plan's rule id: what it measured (null when unknown) and its status. Read through `journal/check-values.ts`. */
	rules?: Record<string, CheckedRule>;
	/** Journals written before `rules`: the StatusBoardV2 run sheet's four numbers (still read, no longer written). */
	boardP95Ms?: number | null;
	drawerAvgMs?: number | null;
	/** Ratio, 0.002 = 0.2 %. */
	errorRate?: number | null;
	/** OCC conflicts in the last 5 minutes. */
	occConflicts?: number | null;
	/** Every rule PASSed at this check. */
	green: boolean;
	/** Rules that did not PASS, e.g. `board_p95 BREACH 912 ms`. */
	failing?: string[];
	/** The plan's adoption metric (`report.adoption`) as CloudWatch read it at this check. */
	adoption?: number | null;
	/** The V2-vs-V1 judge's comparison of each rule with `compare`, as it stood at this check (the report's per-stage table). */
	comparisons?: JournalComparison[];
};

/** One rule's V2-vs-V1 comparison at one check; unknown numbers are null (JSON has no NaN). */
export type JournalComparison = {
	ruleId: string;
	metric: 'latency' | 'errorRate' | 'conflicts';
	verdict: 'PASS' | 'HIGH' | 'LOW' | 'NO_DATA';
	/** The rule's statistic per variant: ms, or a rate 0–1. */
	v1: number | null;
	v2: number | null;
	v1Samples: number;
	v2Samples: number;
	deltaPct: number | null;
	/** The relative effect's 95 % interval, % (Hodges-Lehmann ratio for latency, relative rate change for rates). */
	ciPct: [number | null, number | null];
	pValue: number | null;
	/** Consecutive checks that said HIGH up to this one. */
	checks: number;
};

/** Trigger-to-confirmed-mitigation time of a rollback. */
type MitigationRecord = {
	type: 'mitigation';
	triggeredAt: number;
	confirmedAt: number | null;
	detail?: string;
	/** The verdict after the flag read 0 %: true = health verified, false = NOT healthy after postRollbackWatchMs. */
	healthRestored?: boolean;
};

export type LaunchEndRecord = {
	type: 'launch_end';
	outcome: 'success' | 'rolled_back' | 'rollback_failed' | 'aborted' | 'inconclusive';
	exitCode: number;
	reason: string;
	/** After a rollback: what the read-backs and probes showed (`result.mitigation`). */
	mitigation?: {flagPercent: number | null; verified: boolean; healthRestored: boolean} | null;
};

/** A stale flag lock taken over (see journal/flag-lock.ts): whose it was, why it was provably stale, who took it. */
type LockTakeoverRecord = {
	type: 'lock_takeover';
	previous: {pid: number; host: string; since: number; journal: string; processStart: string | null};
	by: {pid: number; host: string};
	why: string;
};

/** What the engine hands to `append`; the journal adds `seq` and `ts`. */
export type JournalInput =
	| LaunchStartRecord
	| IntentRecord
	| EffectRecord
	| OutcomeRecord
	| DecisionRecord
	| GateRecord
	| SignOffRecord
	| StepRecord
	| CheckpointRecord
	| NoteRecord
	| ControlRecord
	| NotifyRecord
	| CheckRecord
	| MitigationRecord
	| LockTakeoverRecord
	| LaunchEndRecord;

type RecordMeta = {
	/** 1, 2, 3, … within the file. */
	seq: number;
	/** ISO 8601 time of the append. */
	ts: string;
};

export type JournalRecord = JournalInput & RecordMeta;

export type JournalRecordType = JournalInput['type'];

export const journalRecordTypes = [
	'launch_start',
	'intent',
	'effect',
	'outcome',
	'decision',
	'gate',
	'sign_off',
	'step',
	'checkpoint',
	'note',
	'control',
	'notify',
	'check',
	'mitigation',
	'lock_takeover',
	'launch_end',
] as const satisfies readonly JournalRecordType[];
