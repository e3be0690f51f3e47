/**
 * The owner's launch as a watcher sees it: folded from the owner's journal
 * records alone (pure). Stage and flag come from read-backs and checks the
 * owner journaled, never from what a watcher assumes.
 */
import type {Decision} from '../core/decision-types.js';
import {sanitize} from '../core/sanitize.js';
import type {JournalRecord, LaunchEndRecord} from './records.js';
import {replayJournal} from './resume.js';

export type WatchedLaunch = {
	/** `waiting`: the owner has not journaled its start yet. */
	phase: 'waiting' | 'pre' | 'canary' | 'rolled_back' | 'ended';
	stage: {percent: number | null; index: number | null};
	/** The flag as the owner last read it (a check or a read-back); null when unknown. */
	flagPercent: number | null;
	lastDecision: Decision | null;
	end: LaunchEndRecord | null;
	/** Newest journal seq folded in. */
	seq: number;
};

export function watchedLaunch(records: readonly JournalRecord[]): WatchedLaunch {
	const replay = replayJournal(records);
	let flagPercent: number | null = null;
	for (const r of records) {
		if (r.type === 'check' && r.flagPercent !== null) flagPercent = r.flagPercent;
		if (r.type === 'outcome' && r.readBackPercent !== null) flagPercent = r.readBackPercent;
	}
	const {phase} = replay;
	const kind = phase.kind === 'empty' ? 'waiting' : phase.kind;
	const stage = phase.kind === 'canary' ? {percent: phase.percent, index: phase.stageIndex} : {percent: null, index: null};
	return {phase: kind, stage, flagPercent, lastDecision: replay.lastDecision, end: replay.end, seq: replay.lastSeq};
}

const line = (text: string): string => sanitize(text, 240);

/** One line for what the owner did in this record; null for records that only repeat state (checks, effects, deliveries). */
export function describeOwnerRecord(r: JournalRecord): string | null {
	switch (r.type) {
		case 'launch_start':
			return line(`owner started launch ${r.launchId}: stages ${r.stages.join('/')} %`);
		case 'decision':
			return line(`decision ${r.decision.kind.toUpperCase()}: ${r.decision.reason}`);
		case 'intent':
			return line(`${r.by} ${r.action.replace('_', ' ')}${r.targetPercent === null ? '' : ` to ${r.targetPercent} %`}: ${r.reason}`);
		case 'outcome':
			return line(
				`${r.result === 'ok' ? 'done' : r.result.toUpperCase()}: ${r.detail}${r.readBackPercent === null ? '' : ` (flag reads ${r.readBackPercent} %)`}`,
			);
		case 'gate':
			return line(`Gate ${r.gate} ${r.status}${r.detail ? `: ${r.detail}` : ''}`);
		case 'mitigation':
			return line(
				r.confirmedAt === null ? `rollback applied, service NOT healthy${r.detail ? `: ${r.detail}` : ''}` : `mitigation confirmed by the owner's probes`,
			);
		case 'lock_takeover':
			return line(`flag lock taken over by pid ${r.by.pid} on ${r.by.host} from pid ${r.previous.pid} on ${r.previous.host}: ${r.why}`);
		case 'control':
			return line(`control ${r.command} from ${r.user} (pid ${r.pid})`);
		case 'note':
			return line(`note: ${r.text}`);
		case 'sign_off':
			return line(`sign-off ${r.itemId}: ${r.role} ${r.name}${r.decision === 'reject' ? ' (REJECTED)' : ''}`);
		case 'step':
			return r.phase === 'result' ? line(`step ${r.itemId} ${r.ok ? 'passed' : 'FAILED'}${r.detail ? `: ${r.detail}` : ''}`) : null;
		case 'checkpoint':
			return line(`checkpoint ${r.label}${r.green ? '' : ' (not green)'}`);
		case 'launch_end':
			return line(`launch ended: ${r.outcome} (exit ${r.exitCode}): ${r.reason}`);
		case 'effect':
		case 'notify':
		case 'check':
			return null;
		default: {
			const _never: never = r;
			return _never;
		}
	}
}
