/**
 * The seeds' "Launch Summary Template" built from a launch journal. Pure: the
 * journal records in, a plain object out; `markdown.ts` and `--format json`
 * only format it. The journal is a file from outside, so every string taken
 * from it is redacted and sanitized here, once.
 */
import type {SignOff} from '../core/decision-types.js';
import {createRedactor} from '../core/redact.js';
import {sanitize} from '../core/sanitize.js';
import type {CheckRecord, IntentRecord, JournalRecord, LaunchStartRecord} from '../journal/records.js';
import {gateGPassedMessage, rollbackCompleteMessage, stageFailedMessage} from '../core/format.js';
import {stagePassedMessage} from './messages.js';
import {runbookSections, type RunbookSections} from './runbook-sections.js';

// One import for callers that build and print (the engine writes the report at the end of a launch).
export {renderMarkdown} from './markdown.js';

export type LaunchResult = 'SUCCESS' | 'PARTIAL' | 'ROLLBACK';

export type KeyMetrics = {
	/** Flag percent the numbers were measured at (the highest stage reached); null when no check. */
	atPercent: number | null;
	boardP95Ms: number | null;
	drawerAvgMs: number | null;
	errorRate: number | null;
	occConflicts: number | null;
};

export type StageReport = KeyMetrics & {
	percent: number;
	result: 'passed' | 'failed' | 'in_progress' | 'not_reached';
	checks: number;
	/** Checks at this stage where not every rule passed. */
	failingChecks: number;
	enteredAt: number | null;
};

export type TimelineEntry = {at: number; t: string; text: string};

export type IssueKind = 'rollback' | 'failed_action' | 'conflict' | 'breach' | 'interrupted' | 'journal';
export type Issue = TimelineEntry & {kind: IssueKind};

export type LaunchReport = {
	service: string;
	launchId: string | null;
	flag: string | null;
	/** ISO time the launch started; null when the journal has no launch_start. */
	launchDate: string | null;
	duration: {plannedMinutes: number | null; actualMinutes: number | null};
	result: LaunchResult;
	resultReason: string;
	/** Epoch ms of T+0 (the first promote: canary start); null when the canary never started. */
	t0: number | null;
	keyMetrics: KeyMetrics;
	targets: {boardP95Ms: number | null; drawerAvgMs: number | null; errorRate: number | null; occConflicts: number | null};
	stages: StageReport[];
	timeline: TimelineEntry[];
	issues: Issue[];
	signOffs: SignOff[];
	/** Rollback trigger → probes confirmed mitigation, seconds. */
	mitigations: Array<{triggeredAt: number; confirmedAt: number | null; seconds: number | null}>;
	/** Ready-to-paste status messages, in order. */
	messages: string[];
	/** Runbook steps, post-launch checkpoints, severities. */
	runbook: RunbookSections;
	artifacts: {journalPath: string | null; planHash: string | null; records: number};
	/** About the journal itself: torn line dropped, unreadable lines, launch unfinished. */
	warnings: string[];
};

export type ReportSource = {
	journalPath?: string;
	/** The journal's last line was torn and dropped. */
	torn?: boolean;
	/** Unreadable lines that were skipped. */
	errorLines?: number;
};

const redactor = createRedactor();
const clean = (text: unknown, max = 300): string => sanitize(redactor.redactText(typeof text === 'string' ? text : String(text)), max);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** `T-45:00`, `T+2:30`, `T+1:05:00`. */
export function formatOffset(ms: number): string {
	const sign = ms < 0 ? '-' : '+';
	const total = Math.round(Math.abs(ms) / 1000);
	const h = Math.floor(total / 3600);
	const m = Math.floor((total % 3600) / 60);
	const s = String(total % 60).padStart(2, '0');
	return h > 0 ? `T${sign}${h}:${String(m).padStart(2, '0')}:${s}` : `T${sign}${m}:${s}`;
}

function metricsOf(check: CheckRecord | undefined): Omit<KeyMetrics, 'atPercent'> {
	return {
		boardP95Ms: num(check?.boardP95Ms),
		drawerAvgMs: num(check?.drawerAvgMs),
		errorRate: num(check?.errorRate),
		occConflicts: num(check?.occConflicts),
	};
}

/** Which metric a rollback was about, for "Canary 30% FAILED - board_p95 breach detected." */
function breachMetric(intent: IntentRecord): string {
	const ev = intent.decision?.evidence?.[0];
	if (ev && typeof ev.ruleId === 'string') {
		return clean(ev.ruleId, 60);
	}
	if (intent.decision?.trigger) {
		return clean(intent.decision.trigger, 60);
	}
	return 'SLO';
}

/** Builds the launch summary from journal records (in file order). */
export function buildLaunchReport(records: readonly JournalRecord[], source: ReportSource = {}): LaunchReport {
	const start = records.find((r): r is JournalRecord & LaunchStartRecord => r.type === 'launch_start') ?? null;
	const timeOf = (r: JournalRecord): number => {
		const t = Date.parse(r.ts);
		return Number.isFinite(t) ? t : 0;
	};
	const startAt = start ? (num(start.startedAt) ?? timeOf(start)) : records[0] ? timeOf(records[0]) : 0;
	const firstPromote = records.find((r) => r.type === 'intent' && r.action === 'promote');
	const t0 = firstPromote ? timeOf(firstPromote) : null;
	const origin = t0 ?? startAt;
	const entry = (at: number, text: string): TimelineEntry => ({at, t: formatOffset(at - origin), text: clean(text)});

	const plannedStages = start && Array.isArray(start.stages) ? start.stages.filter((p): p is number => typeof p === 'number') : [];
	const stageMap = new Map<number, StageReport>();
	const stageFor = (percent: number): StageReport => {
		let s = stageMap.get(percent);
		if (s === undefined) {
			s = {percent, result: 'not_reached', checks: 0, failingChecks: 0, enteredAt: null, atPercent: percent, boardP95Ms: null, drawerAvgMs: null, errorRate: null, occConflicts: null};
			stageMap.set(percent, s);
		}
		return s;
	};
	plannedStages.forEach(stageFor);

	const timeline: TimelineEntry[] = [];
	const issues: Issue[] = [];
	const messages: string[] = [];
	const signOffs: SignOff[] = [];
	const mitigations: LaunchReport['mitigations'] = [];
	const intents = new Map<string, IntentRecord & {at: number; fromChecked: CheckRecord | undefined; fromPercent: number}>();
	const outcomes = new Set<string>();
	const lastCheckAt = new Map<number, CheckRecord>();
	const breachesSeen = new Set<string>();
	let currentPercent = 0;
	let highest = 0;
	let end: Extract<JournalRecord, {type: 'launch_end'}> | null = null;
	let rollbacks = 0;
	let gateGPassed = false;
	let lastAt = startAt;
	// "Health verified" is only true once the probes confirmed it, when the engine recorded that.
	const probesConfirm = records.some((r) => r.type === 'mitigation');
	let lastRollback: 'emergency' | 'full' = 'emergency';

	for (const r of records) {
		const at = timeOf(r);
		lastAt = Math.max(lastAt, at);
		switch (r.type) {
			case 'launch_start':
				timeline.push(entry(at, `Launch started: ${r.service} (${r.environment}), flag ${r.flag}, stages ${plannedStages.join('→')} %`));
				break;
			case 'gate':
				if (r.status === 'pass' || r.status === 'fail') {
					timeline.push(entry(at, `Gate ${r.gate} ${r.status === 'pass' ? 'passed' : 'FAILED'}${r.detail ? `: ${r.detail}` : ''}`));
				}
				if (r.status === 'fail') {
					issues.push({...entry(at, `Gate ${r.gate} failed${r.detail ? `: ${r.detail}` : ''}`), kind: 'breach'});
				}
				if (r.gate === 'F' && r.status === 'pass') {
					const s = stageFor(100);
					if (s.result !== 'passed') {
						s.result = 'passed';
						messages.push(stagePassedMessage(100, null, metricsOf(lastCheckAt.get(100))));
					}
				}
				if (r.gate === 'G' && r.status === 'pass' && !gateGPassed) {
					gateGPassed = true;
					messages.push(clean(gateGPassedMessage({service: start?.service ?? 'service', canary: {stabilizationMs: num(start?.stabilizationMs) ?? 1_800_000}})));
				}
				break;
			case 'sign_off':
				signOffs.push({itemId: clean(r.itemId, 80), role: clean(r.role, 80), name: clean(r.name, 80), at: num(r.at) ?? at, ...(r.decision === 'reject' ? {decision: 'reject' as const} : {}), ...(r.note ? {note: clean(r.note, 300)} : {})});
				timeline.push(entry(at, `${r.decision === 'reject' ? 'REJECTED' : 'Sign-off'} ${r.itemId}: ${r.role} ${r.name}${r.note ? ` — ${r.note}` : ''}`));
				break;
			case 'step':
				if (r.phase === 'result') timeline.push(entry(at, `Step ${r.itemId} (Gate ${r.gate}) ${r.ok === true ? 'passed' : 'FAILED'}: ${r.detail ?? ''}`));
				break;
			case 'checkpoint':
				messages.push(clean(r.message, 500));
				timeline.push(entry(at, `Post-launch ${r.label}: ${r.green ? 'green' : 'NOT green'}`));
				break;
			case 'note':
				timeline.push(entry(at, `Note${r.by ? ` (${r.by})` : ''}: ${r.text}`));
				break;
			case 'check': {
				const percent = num(r.flagPercent) ?? currentPercent;
				if (percent > 0) {
					const s = stageFor(percent);
					s.checks += 1;
					Object.assign(s, metricsOf(r));
					if (!r.green) {
						s.failingChecks += 1;
						for (const f of r.failing ?? []) {
							const key = `${percent}:${String(f).split(' ')[0] ?? ''}`;
							if (!breachesSeen.has(key)) {
								breachesSeen.add(key);
								issues.push({...entry(at, `At ${percent} %: ${f}`), kind: 'breach'});
							}
						}
					}
					lastCheckAt.set(percent, r);
				}
				break;
			}
			case 'intent': {
				intents.set(r.id, {...r, at, fromChecked: lastCheckAt.get(currentPercent), fromPercent: currentPercent});
				if (r.action === 'emergency_rollback' || r.action === 'full_rollback') {
					rollbacks += 1;
					if (currentPercent > 0) {
						stageFor(currentPercent).result = 'failed';
						messages.push(clean(stageFailedMessage(currentPercent, breachMetric(r))));
					}
					const kind = r.action === 'emergency_rollback' ? 'Emergency rollback' : 'Full rollback';
					timeline.push(entry(at, `${kind} ordered (${r.by}): ${r.reason}`));
					issues.push({...entry(at, `${kind} at ${currentPercent} %: ${r.reason}`), kind: 'rollback'});
				} else if (r.action === 'promote') {
					timeline.push(entry(at, `Promote ${currentPercent} % → ${String(r.targetPercent)} % (${r.by})${r.reason ? `: ${r.reason}` : ''}`));
				} else {
					timeline.push(entry(at, `Hook ${r.hook ?? ''} started`));
				}
				break;
			}
			case 'effect':
				break;
			case 'outcome': {
				outcomes.add(r.id);
				const intent = intents.get(r.id);
				const what = intent ? (intent.action === 'promote' ? `promote to ${String(intent.targetPercent)} %` : intent.action.replace('_', ' ')) : `action ${r.id}`;
				if (r.result === 'ok') {
					const read = num(r.readBackPercent);
					if (intent?.action === 'promote' && read !== null) {
						if (intent.fromPercent > 0) {
							const from = stageFor(intent.fromPercent);
							if (from.result !== 'failed') {
								from.result = 'passed';
							}
							messages.push(stagePassedMessage(intent.fromPercent, read, metricsOf(intent.fromChecked)));
						}
						const s = stageFor(read);
						s.enteredAt = at;
						if (s.result === 'not_reached') {
							s.result = 'in_progress';
						}
						timeline.push(entry(at, `Canary at ${read} % (read back)`));
					} else if (intent && (intent.action === 'emergency_rollback' || intent.action === 'full_rollback')) {
						lastRollback = intent.action === 'emergency_rollback' ? 'emergency' : 'full';
						if (!probesConfirm) {
							messages.push(rollbackCompleteMessage(lastRollback));
						}
						timeline.push(entry(at, `${what} done, flag reads ${read === null ? 'unknown' : `${read} %`}`));
					} else {
						timeline.push(entry(at, `${what} done`));
					}
					if (read !== null) {
						currentPercent = read;
						highest = Math.max(highest, read);
					}
				} else {
					issues.push({...entry(at, `${what} ${r.result === 'conflict' ? 'stopped: flag changed by someone else' : 'failed'}: ${r.detail}`), kind: r.result === 'conflict' ? 'conflict' : 'failed_action'});
					timeline.push(entry(at, `${what} ${r.result}`));
					const read = num(r.readBackPercent);
					if (read !== null) {
						currentPercent = read;
					}
				}
				break;
			}
			case 'decision':
				break;
			case 'mitigation': {
				const seconds = r.confirmedAt === null ? null : (r.confirmedAt - r.triggeredAt) / 1000;
				mitigations.push({triggeredAt: r.triggeredAt, confirmedAt: r.confirmedAt, seconds});
				if (seconds !== null) {
					messages.push(rollbackCompleteMessage(lastRollback));
				}
				timeline.push(entry(at, seconds === null ? 'Mitigation not confirmed by the probes' : `Mitigation confirmed by the probes ${seconds.toFixed(1)} s after the trigger`));
				break;
			}
			case 'launch_end':
				end = r;
				timeline.push(entry(at, `Launch ended: ${r.outcome} (exit ${r.exitCode})${r.reason ? `: ${r.reason}` : ''}`));
				break;
			default: {
				const _never: never = r;
				void _never;
			}
		}
	}

	for (const [id, intent] of intents) {
		if (!outcomes.has(id)) {
			issues.push({...entry(intent.at, `${intent.action} (${id}) was interrupted: no outcome in the journal`), kind: 'interrupted'});
		}
	}
	const warnings: string[] = [];
	if (source.torn) {
		warnings.push('The journal ended with a torn line (an unfinished write); it was dropped.');
		issues.push({...entry(lastAt, 'Journal: torn last line dropped'), kind: 'journal'});
	}
	if (source.errorLines) {
		warnings.push(`${source.errorLines} unreadable journal line(s) skipped.`);
	}
	if (start === null) {
		warnings.push('The journal has no launch_start record.');
	}
	if (end === null) {
		warnings.push('The launch is unfinished (no launch_end record): this report covers it so far.');
	}

	let result: LaunchResult;
	let resultReason: string;
	if (end?.outcome === 'success') {
		result = 'SUCCESS';
		resultReason = end.reason ? clean(end.reason) : 'launch completed';
	} else if (end?.outcome === 'rolled_back' || rollbacks > 0) {
		result = 'ROLLBACK';
		resultReason = clean(end?.reason || [...intents.values()].reverse().find((i) => i.action !== 'promote' && i.action !== 'hook')?.reason || 'rolled back');
	} else {
		result = 'PARTIAL';
		resultReason = end ? `${end.outcome}: ${clean(end.reason)}` : `unfinished at ${currentPercent} %`;
	}

	const stages = [...stageMap.values()].sort((a, b) => a.percent - b.percent);
	const keyStage = stages.filter((s) => s.checks > 0 && s.percent <= Math.max(highest, 0)).at(-1) ?? stages.filter((s) => s.checks > 0).at(-1);
	const planned = num(start?.plannedDurationMs);
	const endAt = end ? timeOf(end) : lastAt;
	const targets = start?.targets ?? {};

	return {
		service: clean(start?.service ?? 'unknown service', 80),
		launchId: start ? clean(start.launchId, 80) : null,
		flag: start ? clean(start.flag, 120) : null,
		launchDate: start || records.length > 0 ? new Date(startAt).toISOString() : null,
		duration: {plannedMinutes: planned === null ? null : planned / 60_000, actualMinutes: records.length > 0 ? (endAt - startAt) / 60_000 : null},
		result,
		resultReason,
		t0,
		keyMetrics: keyStage
			? {atPercent: keyStage.percent, boardP95Ms: keyStage.boardP95Ms, drawerAvgMs: keyStage.drawerAvgMs, errorRate: keyStage.errorRate, occConflicts: keyStage.occConflicts}
			: {atPercent: null, boardP95Ms: null, drawerAvgMs: null, errorRate: null, occConflicts: null},
		targets: {
			boardP95Ms: num(targets.boardP95Ms),
			drawerAvgMs: num(targets.drawerAvgMs),
			errorRate: num(targets.errorRate),
			occConflicts: num(targets.occConflicts),
		},
		stages,
		timeline,
		issues: issues.sort((a, b) => a.at - b.at),
		signOffs,
		mitigations,
		messages,
		runbook: runbookSections(records),
		artifacts: {journalPath: source.journalPath ? clean(source.journalPath, 400) : null, planHash: start ? clean(start.planHash, 100) : null, records: records.length},
		warnings,
	};
}
