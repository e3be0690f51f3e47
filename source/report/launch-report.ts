/**
 * The StatusBoardV2 run sheet's "Launch Summary Template" built from a launch journal. Pure: the
 * journal records in, a plain object out; `markdown.ts` and `--format json`
 * only format it. The journal is a file from outside, so every string taken
 * from it is redacted and sanitized here, once.
 */
import type {SignOff} from '../core/decision-types.js';
import {formatSeconds, formatTimer} from '../core/format.js';
import {createRedactor} from '../core/redact.js';
import {sanitize} from '../core/sanitize.js';
import {checkRuleValue} from '../journal/check-values.js';
import type {CheckRecord, IntentRecord, JournalRecord, LaunchStartRecord} from '../journal/records.js';
import {journalMessages, styleOf} from './journal-messages.js';
import {launchResult} from './launch-result.js';
import {renderMessage} from './messages.js';
import {buildRuleRows, type DecisionAt} from './rule-rows.js';
import {runbookSections} from './runbook-sections.js';
import {createStageTable} from './stage-table.js';
import {variantComparisonRows} from './variant-comparison-table.js';

// One import for callers that build and print (the engine writes the report at the end of a launch).
export {renderMarkdown} from './markdown.js';

export type {LaunchReport, StageReport} from './report-types.js';
import type {Issue, KeyMetrics, LaunchReport, TimelineEntry} from './report-types.js';
import {finiteOrNull} from '../core/rule-json.js';

export type ReportSource = {
	journalPath?: string;
	/** The journal's last line was torn and dropped. */
	torn?: boolean;
	/** Unreadable lines that were skipped. */
	errorLines?: number;
};

const redactor = createRedactor();
const clean = (text: unknown, max = 300): string => sanitize(redactor.redactText(typeof text === 'string' ? text : String(text)), max);

/** `T-45:00`, `T+2:30`, `T+1:05:00`. */
export function formatOffset(ms: number): string {
	// Rounded to the second so T+2:29.6 reads T+2:30, as a run sheet's clock would.
	return `T${ms < 0 ? '-' : '+'}${formatTimer(Math.round(Math.abs(ms) / 1000) * 1000)}`;
}

/** The run sheet's Key Metrics from a check, by its rule ids (a plan without such a rule reports "not recorded"). */
function metricsOf(check: CheckRecord | undefined): Omit<KeyMetrics, 'atPercent'> {
	return {
		boardP95Ms: checkRuleValue(check, 'board_p95'),
		drawerAvgMs: checkRuleValue(check, 'drawer_avg'),
		errorRate: checkRuleValue(check, 'error_rate'),
		occConflicts: checkRuleValue(check, 'occ_conflicts'),
	};
}

/** Builds the launch summary from journal records (in file order). */
export function buildLaunchReport(records: readonly JournalRecord[], source: ReportSource = {}): LaunchReport {
	const start = records.find((r): r is JournalRecord & LaunchStartRecord => r.type === 'launch_start') ?? null;
	const timeOf = (r: JournalRecord): number => {
		const t = Date.parse(r.ts);
		return Number.isFinite(t) ? t : 0;
	};
	const startAt = start ? (finiteOrNull(start.startedAt) ?? timeOf(start)) : records[0] ? timeOf(records[0]) : 0;
	const firstPromote = records.find((r) => r.type === 'intent' && r.action === 'promote');
	const t0 = firstPromote ? timeOf(firstPromote) : null;
	const origin = t0 ?? startAt;
	const entry = (at: number, text: string): TimelineEntry => ({at, t: formatOffset(at - origin), text: clean(text)});

	const plannedStages = start && Array.isArray(start.stages) ? start.stages.filter((p): p is number => typeof p === 'number') : [];
	const {stageFor, leave, finish} = createStageTable(plannedStages);

	const timeline: TimelineEntry[] = [];
	const issues: Issue[] = [];
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
	let lastAt = startAt;
	const decisions: DecisionAt[] = [];
	const lastStage = plannedStages.at(-1) ?? 100;
	const stageDurationMs = finiteOrNull(start?.stageDurationMs);
	const gateG: LaunchReport['gateG'] = {result: 'not_reached', enteredAt: null};
	let adoption: {value: number | null; at: number} | null = null;
	const milestoneAt: Partial<Record<keyof LaunchReport['milestones'], number>> = {};
	const mark = (key: keyof LaunchReport['milestones'], at: number): void => {
		milestoneAt[key] ??= at;
	};

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
				if (r.gate === 'F' && r.status === 'pass' && stageFor(lastStage).result === 'in_progress') leave(lastStage, at, 'passed');
				if (r.gate === 'G' && r.status === 'pass') gateG.result = 'passed';
				if (r.status === 'pass' && (r.gate === 'A' || r.gate === 'B' || r.gate === 'G'))
					mark(({A: 'stagingValidated', B: 'productionReady', G: 'stabilized'} as const)[r.gate], at);
				break;
			case 'sign_off':
				signOffs.push({
					itemId: clean(r.itemId, 80),
					role: clean(r.role, 80),
					name: clean(r.name, 80),
					at: finiteOrNull(r.at) ?? at,
					...(r.decision === 'reject' ? {decision: 'reject' as const} : {}),
					...(r.note ? {note: clean(r.note, 300)} : {}),
				});
				timeline.push(entry(at, `${r.decision === 'reject' ? 'REJECTED' : 'Sign-off'} ${r.itemId}: ${r.role} ${r.name}${r.note ? ` — ${r.note}` : ''}`));
				break;
			case 'step':
				if (r.phase === 'result') timeline.push(entry(at, `Step ${r.itemId} (Gate ${r.gate}) ${r.ok === true ? 'passed' : 'FAILED'}: ${r.detail ?? ''}`));
				break;
			case 'checkpoint':
				timeline.push(entry(at, `Post-launch ${r.label}: ${r.green ? 'green' : 'NOT green'}`));
				break;
			case 'note':
				timeline.push(entry(at, `Note${r.by ? ` (${r.by})` : ''}: ${r.text}`));
				break;
			case 'control':
				timeline.push(entry(at, `golive ${r.command} (${r.by}, ${r.user}): ${r.detail}`));
				break;
			case 'notify':
				if (!r.ok)
					issues.push({...entry(at, `Notification ${r.message} to ${r.target} not delivered after ${r.attempts} tries: ${r.detail}`), kind: 'failed_action'});
				break;
			case 'check': {
				const percent = finiteOrNull(r.flagPercent) ?? currentPercent;
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
				if (t0 !== null && r.adoption !== undefined && (adoption === null || at - t0 <= 3_600_000)) adoption = {value: finiteOrNull(r.adoption), at};
				break;
			}
			case 'intent': {
				intents.set(r.id, {...r, at, fromChecked: lastCheckAt.get(currentPercent), fromPercent: currentPercent});
				if (r.action === 'emergency_rollback' || r.action === 'full_rollback') {
					rollbacks += 1;
					if (currentPercent > 0) {
						leave(currentPercent, at, 'failed');
						stageFor(currentPercent).result = 'failed';
						if (currentPercent === lastStage && gateG.result === 'in_progress') gateG.result = 'failed';
					}
					if (r.decision) decisions.push({decision: r.decision, percent: currentPercent});
					const kind = r.action === 'emergency_rollback' ? 'Emergency rollback' : 'Full rollback';
					timeline.push(entry(at, `${kind} ordered (${r.by}): ${r.reason}`));
					issues.push({...entry(at, `${kind} at ${currentPercent} %: ${r.reason}`), kind: 'rollback'});
				} else if (r.action === 'promote') {
					if (r.decision) decisions.push({decision: r.decision, percent: currentPercent});
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
				const what = intent
					? intent.action === 'promote'
						? `promote to ${String(intent.targetPercent)} %`
						: intent.action.replace('_', ' ')
					: `action ${r.id}`;
				if (r.result === 'ok') {
					const read = finiteOrNull(r.readBackPercent);
					if (intent?.action === 'promote' && read !== null) {
						if (intent.fromPercent > 0) {
							const from = stageFor(intent.fromPercent);
							const held = from.enteredAt === null ? null : intent.at - from.enteredAt;
							// Promoted by hand before the stage held its time: the soak was skipped, not passed.
							const confirmed = intent.decision?.skippedSoak;
							const skipped = confirmed !== undefined || (intent.by !== 'auto' && held !== null && stageDurationMs !== null && held < stageDurationMs);
							leave(intent.fromPercent, intent.at, skipped ? 'skipped' : 'passed');
							// The reducer's skip record knows the green time held and the stages jumped over (promote 10 → 50).
							if (confirmed) {
								from.heldMs = confirmed.heldMs;
								for (const p of confirmed.jumped) if (stageFor(p).result !== 'failed') Object.assign(stageFor(p), {result: 'skipped', heldMs: 0});
							}
						}
						const s = stageFor(read);
						s.enteredAt = at;
						if (read === lastStage) mark('fullRollout', at);
						if (s.result === 'not_reached') {
							s.result = 'in_progress';
						}
						timeline.push(entry(at, `Canary at ${read} % (read back)`));
					} else if (intent && (intent.action === 'emergency_rollback' || intent.action === 'full_rollback')) {
						timeline.push(entry(at, `${what} done, flag reads ${read === null ? 'unknown' : `${read} %`}`));
					} else {
						timeline.push(entry(at, `${what} done`));
					}
					if (read !== null) {
						currentPercent = read;
						highest = Math.max(highest, read);
					}
				} else {
					issues.push({
						...entry(at, `${what} ${r.result === 'conflict' ? 'stopped: flag changed by someone else' : 'failed'}: ${r.detail}`),
						kind: r.result === 'conflict' ? 'conflict' : 'failed_action',
					});
					timeline.push(entry(at, `${what} ${r.result}`));
					const read = finiteOrNull(r.readBackPercent);
					if (read !== null) {
						currentPercent = read;
					}
				}
				break;
			}
			case 'decision': {
				const d = r.decision;
				if (d.kind === 'rollback' || d.kind === 'promote' || d.kind === 'succeed') decisions.push({decision: d, percent: currentPercent});
				// The last stage is done when Gate G's stabilization starts (no flag write: a decision only).
				if (d.kind === 'promote' && d.fromPercent === lastStage && d.toPercent === lastStage) leave(lastStage, at, 'passed');
				if (d.kind === 'succeed') {
					gateG.result = 'passed';
					mark('stabilized', at);
				}
				break;
			}
			case 'mitigation': {
				const seconds = r.confirmedAt === null ? null : (r.confirmedAt - r.triggeredAt) / 1000;
				mitigations.push({triggeredAt: r.triggeredAt, confirmedAt: r.confirmedAt, seconds});
				timeline.push(
					entry(
						at,
						seconds === null
							? `Rollback applied — service NOT healthy${r.detail ? `: ${r.detail}` : ''}`
							: `Mitigation confirmed by the probes ${formatSeconds(seconds)} after the trigger`,
					),
				);
				break;
			}
			case 'lock_takeover':
				timeline.push(entry(at, `Flag lock taken over by pid ${r.by.pid} on ${r.by.host}: ${r.why}`));
				break;
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

	const {result, resultReason} = launchResult(
		{end, rollbacks, currentPercent, lastRollbackReason: [...intents.values()].reverse().find((i) => i.action !== 'promote' && i.action !== 'hook')?.reason},
		clean,
	);
	const stages = finish(end);
	if (stageFor(lastStage).result === 'passed' && gateG.result === 'not_reached') gateG.result = end?.outcome === 'success' ? 'passed' : 'in_progress';
	const style = styleOf(start);
	const service = clean(start?.service ?? 'unknown service', 80);
	const statusMessages = journalMessages(records).map((m) => {
		const rendered = renderMessage(m, service, style);
		return {...rendered, text: clean(rendered.text, 1000)};
	});
	const meta = start?.report;
	const keyStage = stages.filter((s) => s.checks > 0 && s.percent <= Math.max(highest, 0)).at(-1) ?? stages.filter((s) => s.checks > 0).at(-1);
	const planned = finiteOrNull(start?.plannedDurationMs);
	const endAt = end ? timeOf(end) : lastAt;
	const targets = start?.targets ?? {};

	return {
		service,
		launchId: start ? clean(start.launchId, 80) : null,
		flag: start ? clean(start.flag, 120) : null,
		launchDate: start || records.length > 0 ? new Date(startAt).toISOString() : null,
		duration: {plannedMinutes: planned === null ? null : planned / 60_000, actualMinutes: records.length > 0 ? (endAt - startAt) / 60_000 : null},
		result,
		resultReason,
		t0,
		keyMetrics: keyStage
			? {
					atPercent: keyStage.percent,
					boardP95Ms: keyStage.boardP95Ms,
					drawerAvgMs: keyStage.drawerAvgMs,
					errorRate: keyStage.errorRate,
					occConflicts: keyStage.occConflicts,
				}
			: {atPercent: null, boardP95Ms: null, drawerAvgMs: null, errorRate: null, occConflicts: null},
		targets: {
			boardP95Ms: finiteOrNull(targets.boardP95Ms),
			drawerAvgMs: finiteOrNull(targets.drawerAvgMs),
			errorRate: finiteOrNull(targets.errorRate),
			occConflicts: finiteOrNull(targets.occConflicts),
		},
		stages,
		timeline,
		issues: issues.sort((a, b) => a.at - b.at),
		signOffs,
		mitigations,
		runbook: runbookSections(records),
		messages: statusMessages.map((m) => m.text),
		statusMessages,
		messageStyle: style,
		rules: buildRuleRows(start?.rules, decisions).map((row) => ({
			...row,
			id: clean(row.id, 64),
			label: clean(row.label, 120),
			window: clean(row.window, 16),
			decidingWindow: row.decidingWindow === null ? null : clean(row.decidingWindow, 16),
		})),
		variantComparisons: variantComparisonRows(
			records,
			(at) => formatOffset(at - origin),
			(text) => clean(text, 64),
		),
		stageDurationMs,
		gateG,
		build: {
			buildId: meta?.buildId ? clean(meta.buildId, 200) : null,
			gitTag: meta?.gitTag ? clean(meta.gitTag, 200) : null,
			links: (meta?.links ?? []).map((l) => ({label: clean(l.label, 100), url: clean(l.url, 500)})),
		},
		adoption: meta?.adoption
			? {label: clean(meta.adoption, 100), value: adoption?.value ?? null, at: adoption ? formatOffset(adoption.at - (t0 ?? startAt)) : null}
			: null,
		milestones: {
			stagingValidated: milestoneAt.stagingValidated === undefined ? null : formatOffset(milestoneAt.stagingValidated - origin),
			productionReady: milestoneAt.productionReady === undefined ? null : formatOffset(milestoneAt.productionReady - origin),
			deploymentStarted: t0 === null ? null : formatOffset(0),
			fullRollout: milestoneAt.fullRollout === undefined ? null : formatOffset(milestoneAt.fullRollout - origin),
			stabilized: milestoneAt.stabilized === undefined ? null : formatOffset(milestoneAt.stabilized - origin),
		},
		lessonsLearned: [],
		artifacts: {
			journalPath: source.journalPath ? clean(source.journalPath, 400) : null,
			planHash: start ? clean(start.planHash, 100) : null,
			records: records.length,
		},
		warnings,
	};
}
