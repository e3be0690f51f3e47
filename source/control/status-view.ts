/**
 * `golive status` from the two places a launch's state can be read: the
 * owner's live snapshot, or (no owner running) the newest journal of the
 * service. Both give the same `StatusView`; the journal's is what was last
 * recorded, and says so (`source: "journal"`).
 */
import {readdir} from 'node:fs/promises';
import path from 'node:path';
import {finiteOrNull, ruleJson} from '../core/rule-json.js';
import type {Snapshot} from '../core/snapshot.js';
import {checkedRules, legacyRule} from '../journal/check-values.js';
import {readJournal} from '../journal/journal.js';
import {journalFileName} from '../journal/location.js';
import type {CheckRecord, JournalRecord} from '../journal/records.js';
import {replayJournal} from '../journal/resume.js';
import type {PlanRule} from '../report/rule-rows.js';
import type {StatusRule, StatusView} from './protocol.js';

const iso = (ms: number): string => new Date(ms).toISOString();

function stageOf(snapshot: Snapshot): StatusView['stage'] {
	const phase = snapshot.canary.phase;
	if (phase.kind === 'stage') return {percent: phase.percent, index: phase.index};
	if (phase.kind === 'stabilizing') return {percent: 100, index: null};
	return {percent: null, index: null};
}

function rollbackDetail(snapshot: Snapshot): StatusView['rollback'] {
	const rollback = snapshot.mitigation?.rollback;
	if (!rollback) return null;
	return {phase: rollback.phase, detail: 'detail' in rollback ? rollback.detail : null};
}

/** The owner's view, from its newest snapshot. */
export function statusFromSnapshot(snapshot: Snapshot, owner: {journal: string | null; pid: number; outcome: string | null}): StatusView {
	const decision = snapshot.canary.lastDecision;
	return {
		source: 'owner',
		at: iso(snapshot.at),
		service: snapshot.service,
		environment: snapshot.environment,
		flag: snapshot.flag,
		flagPercent: finiteOrNull(snapshot.flagPercent),
		phase: snapshot.canary.phase.kind,
		stage: stageOf(snapshot),
		paused: snapshot.canary.paused,
		armed: snapshot.canary.armed,
		rules: snapshot.slos.map(ruleJson),
		decision: decision ? {kind: decision.kind, reason: decision.reason, at: iso(decision.at)} : null,
		rollback: rollbackDetail(snapshot),
		outcome: owner.outcome,
		journal: owner.journal,
		ownerPid: owner.pid,
	};
}

/** The rules a check record carries, described by the launch's own rules (unknown thresholds are not invented). */
function rulesOfCheck(check: CheckRecord | undefined, planRules: readonly PlanRule[], targets: Record<string, number | undefined>): StatusRule[] {
	return [...checkedRules(check)].map(([id, rule]) => {
		const plan = planRules.find((r) => r.id === id);
		return {
			id,
			label: plan?.label ?? legacyRule(id)?.label ?? id,
			value: rule.value,
			threshold: plan?.threshold ?? legacyTarget(id, targets) ?? Number.NaN,
			op: plan?.op ?? '<',
			unit: plan?.unit ?? legacyRule(id)?.unit ?? 'count',
			status: rule.value === null ? 'NO_DATA' : rule.status,
			samples: null,
			window: 'check',
			ageMs: null,
		};
	});
}

/** A journal from before `launch_start.rules` kept the run sheet's four thresholds as `targets`. */
function legacyTarget(id: string, targets: Record<string, number | undefined>): number | undefined {
	const legacy = legacyRule(id);
	return legacy === null ? undefined : (finiteOrNull(targets[legacy.field]) ?? undefined);
}

/** The last recorded state of a launch, from its journal. */
function statusFromJournal(records: readonly JournalRecord[], file: string): StatusView {
	const replay = replayJournal(records);
	const start = replay.start;
	const lastCheck = [...records].reverse().find((r): r is JournalRecord & CheckRecord => r.type === 'check');
	const last = records.at(-1);
	const phase = replay.phase;
	const percent = phase.kind === 'canary' ? phase.percent : null;
	const rollbackOutcome = [...records].reverse().find((r) => r.type === 'mitigation');
	return {
		source: 'journal',
		at: last?.ts ?? iso(0),
		service: start?.service ?? 'unknown',
		environment: start?.environment ?? 'unknown',
		flag: start?.flag ?? 'unknown',
		flagPercent: replay.lastConfirmedPercent,
		phase: phase.kind === 'ended' ? phase.outcome : phase.kind,
		stage: {percent, index: phase.kind === 'canary' ? phase.stageIndex : null},
		paused: null,
		armed: null,
		rules: rulesOfCheck(lastCheck, start?.rules ?? [], (start?.targets ?? {}) as Record<string, number | undefined>),
		decision: replay.lastDecision ? {kind: replay.lastDecision.kind, reason: replay.lastDecision.reason, at: iso(replay.lastDecision.at)} : null,
		rollback:
			replay.rollbacks === 0
				? null
				: rollbackOutcome?.type === 'mitigation' && rollbackOutcome.confirmedAt !== null
					? {phase: 'verified', detail: rollbackOutcome.detail ?? null}
					: {phase: replay.lastConfirmedPercent === 0 ? 'applied' : 'unknown', detail: `flag last read back at ${replay.lastConfirmedPercent ?? 'unknown'} %`},
		outcome: replay.end?.outcome ?? null,
		journal: file,
		ownerPid: null,
	};
}

/** The newest journal of `service` in `dir` (launch ids sort by time), or null. */
export async function newestJournal(dir: string, service: string): Promise<string | null> {
	const prefix = journalFileName(service, 'x').slice(0, -'x.jsonl'.length);
	const names = await readdir(dir).catch(() => [] as string[]);
	const newest = names
		.filter((n) => n.startsWith(prefix) && n.endsWith('.jsonl'))
		.sort()
		.at(-1);
	return newest === undefined ? null : path.join(dir, newest);
}

export async function readStatusFromJournal(file: string): Promise<StatusView> {
	return statusFromJournal((await readJournal(file)).records, file);
}
