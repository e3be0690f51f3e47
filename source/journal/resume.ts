/**
 * Replaying a journal after a crash or restart. Pure. The engine then reads the
 * flag's real state, shows both, and waits for the operator: nothing here (or
 * there) resumes a promotion by itself.
 */
import type {Decision, GateStatus, SignOff} from '../core/decision-types.js';
import type {GateId} from '../core/plan-types.js';
import type {IntentRecord, JournalRecord, LaunchEndRecord, LaunchStartRecord, OutcomeRecord} from './records.js';

type ReplayPhase =
	| {kind: 'empty'}
	| {kind: 'pre'}
	/** At `percent`, the highest stage confirmed so far; index into `stages` or null when off-plan. */
	| {kind: 'canary'; percent: number; stageIndex: number | null}
	| {kind: 'rolled_back'; percent: number | null; reason: string}
	| {kind: 'ended'; outcome: LaunchEndRecord['outcome']};

export type Replay = {
	start: LaunchStartRecord | null;
	end: LaunchEndRecord | null;
	/** A launch was started and has no `launch_end`. */
	unfinished: boolean;
	/** The flag percent from the newest read-back in an outcome; null when none. */
	lastConfirmedPercent: number | null;
	/** The newest intent without an outcome: it may or may not have been applied. */
	pendingIntent: IntentRecord | null;
	/** The pending intent's effect record exists: the request may have reached the flag service. */
	pendingEffectSent: boolean;
	/** Every intent without an outcome, oldest first (normally at most one). */
	unresolvedIntents: IntentRecord[];
	/** Effects/outcomes whose intent is not in the journal: a write-ahead violation. */
	orphans: Array<{seq: number; id: string; type: 'effect' | 'outcome'}>;
	phase: ReplayPhase;
	signOffs: SignOff[];
	gates: Partial<Record<GateId, GateStatus>>;
	lastDecision: Decision | null;
	rollbacks: number;
	records: number;
	lastSeq: number;
};

/** Folds the records into what a restarted console must know. */
export function replayJournal(records: readonly JournalRecord[]): Replay {
	let start: LaunchStartRecord | null = null;
	let end: LaunchEndRecord | null = null;
	const intents = new Map<string, IntentRecord>();
	const effects = new Set<string>();
	const outcomes = new Map<string, OutcomeRecord>();
	const orphans: Replay['orphans'] = [];
	const signOffs: SignOff[] = [];
	const gates: Partial<Record<GateId, GateStatus>> = {};
	let lastDecision: Decision | null = null;
	let lastConfirmedPercent: number | null = null;
	let rollbackReason: string | null = null;
	let rollbacks = 0;
	let lastSeq = 0;

	for (const r of records) {
		lastSeq = Math.max(lastSeq, r.seq);
		switch (r.type) {
			case 'launch_start':
				start = r;
				break;
			case 'launch_end':
				end = r;
				break;
			case 'intent':
				intents.set(r.id, r);
				if (r.action === 'emergency_rollback' || r.action === 'full_rollback') {
					rollbacks += 1;
					rollbackReason = r.reason;
				}
				break;
			case 'effect':
				if (!intents.has(r.id)) {
					orphans.push({seq: r.seq, id: r.id, type: 'effect'});
				}
				effects.add(r.id);
				break;
			case 'outcome':
				if (!intents.has(r.id)) {
					orphans.push({seq: r.seq, id: r.id, type: 'outcome'});
				}
				outcomes.set(r.id, r);
				if (typeof r.readBackPercent === 'number') {
					lastConfirmedPercent = r.readBackPercent;
				}
				break;
			case 'decision':
				lastDecision = r.decision;
				break;
			case 'gate':
				gates[r.gate] = r.status;
				break;
			case 'sign_off':
				signOffs.push({
					itemId: r.itemId,
					role: r.role,
					name: r.name,
					at: r.at,
					...(r.decision ? {decision: r.decision} : {}),
					...(r.note ? {note: r.note} : {}),
				});
				break;
			case 'step':
			case 'checkpoint':
			case 'note':
			case 'control':
			case 'notify':
			case 'check':
			case 'mitigation':
			case 'lock_takeover':
				break;
			default: {
				const _never: never = r;
				void _never;
			}
		}
	}

	const unresolvedIntents = [...intents.values()].filter((i) => !outcomes.has(i.id));
	const pendingIntent = unresolvedIntents.at(-1) ?? null;
	let phase: ReplayPhase;
	if (start === null && records.length === 0) {
		phase = {kind: 'empty'};
	} else if (end !== null) {
		phase = {kind: 'ended', outcome: end.outcome};
	} else if (rollbackReason !== null) {
		phase = {kind: 'rolled_back', percent: lastConfirmedPercent, reason: rollbackReason};
	} else if (lastConfirmedPercent !== null && lastConfirmedPercent > 0) {
		const idx = start?.stages.indexOf(lastConfirmedPercent) ?? -1;
		phase = {kind: 'canary', percent: lastConfirmedPercent, stageIndex: idx >= 0 ? idx : null};
	} else {
		phase = {kind: 'pre'};
	}

	return {
		start,
		end,
		unfinished: start !== null && end === null,
		lastConfirmedPercent,
		pendingIntent,
		pendingEffectSent: pendingIntent !== null && effects.has(pendingIntent.id),
		unresolvedIntents,
		orphans,
		phase,
		signOffs,
		gates,
		lastDecision,
		rollbacks,
		records: records.length,
		lastSeq,
	};
}

function describeIntent(intent: IntentRecord): string {
	switch (intent.action) {
		case 'promote':
			return `promote to ${String(intent.targetPercent)} %`;
		case 'emergency_rollback':
			return 'emergency rollback (flag to 0 %)';
		case 'full_rollback':
			return 'full rollback';
		case 'hook':
			return `hook ${intent.hook ?? ''}`.trim();
		default: {
			const _never: never = intent.action;
			return String(_never);
		}
	}
}

/** What the flag reads now, as the engine got it after restart. */
export type FlagNow = {ok: true; percent: number} | {ok: false; error: string} | null;

/** The line the console shows while it waits for the operator after a restart (`guarded`: the flag reads a stage and its triggers stay armed). */
export function resumeNotice(replay: Replay, flag: FlagNow, guarded = false): string {
	const parts: string[] = [];
	const id = replay.start ? `${replay.start.service} launch ${replay.start.launchId}` : 'launch';
	parts.push(`Unfinished ${id} found in the journal (${replay.records} records).`);
	parts.push(`Last confirmed flag: ${replay.lastConfirmedPercent === null ? 'none' : `${replay.lastConfirmedPercent} %`}.`);
	if (replay.pendingIntent !== null) {
		parts.push(`Interrupted: ${describeIntent(replay.pendingIntent)} — ${replay.pendingEffectSent ? 'sent, result unknown' : 'journaled, maybe not sent'}.`);
	}
	if (flag === null) {
		parts.push('Flag not read yet.');
	} else if (flag.ok) {
		parts.push(`The flag reads ${flag.percent} % now.`);
	} else {
		parts.push(`The flag cannot be read: ${flag.error}.`);
	}
	// A stage V2 still serves keeps its rollback triggers armed; only a promote waits for the operator.
	parts.push(guarded ? 'Rollback triggers stay armed; nothing promotes until you act.' : 'Nothing changes until you act.');
	return parts.join(' ');
}

/**
 * The outcome record that closes a pending intent once the flag has been read
 * after restart, so the journal tells what happened. Null when the read failed
 * (the intent stays unresolved) or for actions the flag cannot confirm.
 */
export function resolvePendingIntent(intent: IntentRecord, flag: FlagNow): OutcomeRecord | null {
	if (flag === null || !flag.ok || intent.targetPercent === null) {
		return null;
	}
	const applied = flag.percent === intent.targetPercent;
	return {
		type: 'outcome',
		id: intent.id,
		result: applied ? 'ok' : 'failed',
		readBackPercent: flag.percent,
		detail: applied
			? `resolved after restart: the flag reads ${flag.percent} %, the interrupted action applied`
			: `resolved after restart: the flag reads ${flag.percent} %, the interrupted action did not apply`,
		durationMs: 0,
	};
}
