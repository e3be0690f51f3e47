/**
 * The launch summary as Markdown, laid out like the StatusBoardV2 run sheet's
 * "Launch Summary Template" (§9.2): every field of the template is present,
 * filled from the journal or marked "not recorded". Then the plan's own rules
 * with the values and windows that decided, the stages, and the messages.
 */
import {formatRuleValue, formatSeconds, formatTimer, windowText} from '../core/format.js';
import type {LaunchReport, StageReport} from './launch-report.js';
import {formatCount} from './messages.js';
import type {RuleRow} from './rule-rows.js';
import {runbookMarkdown} from './runbook-sections.js';
import {variantComparisonMarkdown} from './variant-comparison-table.js';

const notRecorded = 'not recorded';

function minutes(m: number | null): string {
	return m === null ? notRecorded : m >= 10 ? String(Math.round(m)) : m.toFixed(1);
}

function cell(text: string): string {
	return text.replace(/\|/g, '\\|');
}

function value(v: number | null, unit: RuleRow['unit']): string {
	return v === null || !Number.isFinite(v) ? 'n/a' : formatRuleValue(v, unit);
}

function stageResult(s: StageReport, stageDurationMs: number | null): string {
	switch (s.result) {
		case 'passed':
			return 'PASSED';
		case 'failed':
			return 'FAILED';
		case 'skipped':
			return `SKIPPED (operator, held ${s.heldMs === null ? '?' : formatTimer(s.heldMs)}${stageDurationMs === null ? '' : ` of ${formatTimer(stageDurationMs)}`})`;
		case 'in_progress':
			return 'in progress';
		case 'stopped':
			return 'stopped (launch ended here)';
		case 'not_reached':
			return 'not reached';
		default: {
			const _never: never = s.result;
			return String(_never);
		}
	}
}

/** A run sheet Key Metrics line from the plan rule of that id: the value that decided, its window and stage. */
function keyMetric(title: string, row: RuleRow | undefined): string {
	if (!row) return `- ${title}: ${notRecorded} (the plan has no such rule)`;
	const target = `target ${row.op}${value(row.threshold, row.unit)}`;
	if (row.value === null) return `- ${title}: ${notRecorded} (${target})`;
	const limit = row.decidingThreshold !== null && row.decidingThreshold !== row.threshold ? `limit ${value(row.decidingThreshold, row.unit)}` : null;
	const where = [
		row.decidingWindow ? `${row.decidingWindow} window` : null,
		limit,
		row.atPercent === null ? null : `at ${row.atPercent} %`,
		row.decision ? `decided the ${row.decision}` : null,
	]
		.filter(Boolean)
		.join(', ');
	return `- ${title}: ${value(row.value, row.unit)} (${target}; ${where})`;
}

function rulesTable(rows: RuleRow[]): string[] {
	if (rows.length === 0) return ['- No rules recorded.'];
	return [
		'| Rule | Target | Value that decided | Window | Samples | Status | At | Decision |',
		'|---|---|---:|---|---:|---|---:|---|',
		...rows.map(
			(r) =>
				`| ${cell(r.label)} (\`${cell(r.id)}\`) | ${r.op} ${value(r.threshold, r.unit)} (${cell(windowText(r.window, r.windowMs))}) | ${value(r.value, r.unit)} | ${r.decidingWindow ?? '—'} | ${formatCount(r.samples)} | ${r.status} | ${r.atPercent === null ? '—' : `${r.atPercent} %`} | ${r.decision ?? '—'} |`,
		),
	];
}

function link(report: LaunchReport, pattern: RegExp): string {
	const found = report.build.links.filter((l) => pattern.test(l.label));
	return found.length === 0 ? notRecorded : found.map((l) => `[${cell(l.label)}](${l.url})`).join(', ');
}

export function renderMarkdown(report: LaunchReport): string {
	const rule = (id: string): RuleRow | undefined => report.rules.find((r) => r.id === id);
	const m = report.milestones;
	const milestone = (label: string, at: string | null): string => `- ${at ?? 'not reached'}: ${label}`;
	const lines: string[] = [];
	lines.push(`## ${report.service} Production Launch Summary`, '');
	lines.push(`**Launch Date:** ${report.launchDate ?? notRecorded}`);
	lines.push(`**Duration:** ${minutes(report.duration.plannedMinutes)} minutes (planned) vs ${minutes(report.duration.actualMinutes)} minutes (actual)`);
	lines.push(`**Result:** ${report.result} — ${report.resultReason}`);
	if (report.flag !== null) lines.push(`**Feature flag:** \`${report.flag}\``);
	lines.push('', '### Key Metrics');
	lines.push(keyMetric('Board Response Time P95', rule('board_p95')));
	lines.push(keyMetric('Drawer Response Time Avg', rule('drawer_avg')));
	lines.push(keyMetric('Error Rate', rule('error_rate')));
	const a = report.adoption;
	lines.push(
		`- User Adoption: ${a === null ? `${notRecorded} (no report.adoption metric in the plan)` : a.value === null ? `${notRecorded} (${a.label}: no reading)` : `${formatCount(a.value)} ${a.label} (read at ${a.at})`}`,
	);
	for (const mit of report.mitigations)
		lines.push(`- Rollback trigger → confirmed mitigation: ${mit.seconds === null ? 'not confirmed' : formatSeconds(mit.seconds)}`);
	lines.push('', "### Rules (this plan's own)", ...rulesTable(report.rules));
	lines.push('', '### Stages', '', '| Stage | Result | Checks |', '|---:|---|---:|');
	for (const s of report.stages)
		lines.push(`| ${s.percent} % | ${stageResult(s, report.stageDurationMs)} | ${s.checks}${s.failingChecks > 0 ? ` (${s.failingChecks} failing)` : ''} |`);
	lines.push(`| Gate G | ${report.gateG.result === 'not_reached' ? 'not reached' : report.gateG.result.replace('_', ' ').toUpperCase()} | |`);
	const comparisons = variantComparisonMarkdown(report.variantComparisons);
	if (comparisons.length > 0) lines.push('', ...comparisons.slice(0, -1));
	lines.push('', '### Timeline');
	lines.push(milestone('Staging validation complete (Gate A)', m.stagingValidated));
	lines.push(milestone('Production prep complete (Gate B)', m.productionReady));
	lines.push(milestone('Deployment started (canary)', m.deploymentStarted));
	lines.push(milestone('Rollout complete at 100%', m.fullRollout));
	lines.push(milestone('Stabilization verified (Gate G)', m.stabilized));
	lines.push('', '#### Events');
	for (const e of report.timeline) lines.push(`- ${e.t}: ${e.text}`);
	lines.push('', '### Issues Encountered');
	if (report.issues.length === 0) lines.push('- None');
	for (const i of report.issues) lines.push(`- ${i.t} [${i.kind}] ${i.text}`);
	lines.push('', '### Lessons Learned');
	if (report.lessonsLearned.length === 0) lines.push('- _(to fill in after the review)_');
	for (const l of report.lessonsLearned) lines.push(`- ${l}`);
	if (report.signOffs.length > 0) {
		lines.push('', '### Sign-offs');
		for (const s of report.signOffs) {
			const verdict = s.decision === 'reject' ? ' — REJECTED' : '';
			lines.push(`- ${s.itemId}: ${s.role} — ${s.name} at ${new Date(s.at).toISOString()}${verdict}${s.note ? `: ${s.note}` : ''}`);
		}
	}
	lines.push('', ...runbookMarkdown(report.runbook));
	lines.push('### Status Messages');
	if (report.messages.length === 0) lines.push('- None');
	for (const text of report.messages) lines.push(`- \`${text.replace(/`/g, "'").replace(/\n/g, ' / ')}\``);
	lines.push('', '### Artifacts');
	lines.push(`- Build ID: ${report.build.buildId ?? notRecorded}`);
	lines.push(`- Git Tag: ${report.build.gitTag ?? notRecorded}`);
	lines.push(`- Deployment Logs: ${link(report, /log/i)}`);
	lines.push(`- Monitoring Dashboards: ${link(report, /dashboard|monitor/i)}`);
	for (const l of report.build.links.filter((x) => !/log|dashboard|monitor/i.test(x.label))) lines.push(`- ${cell(l.label)}: ${l.url}`);
	lines.push(`- Launch ID: ${report.launchId ?? notRecorded}`);
	lines.push(`- Journal: ${report.artifacts.journalPath === null ? notRecorded : cell(report.artifacts.journalPath)} (${report.artifacts.records} records)`);
	lines.push(`- Plan hash: ${report.artifacts.planHash ?? notRecorded}`);
	if (report.warnings.length > 0) {
		lines.push('', '### Notes');
		for (const w of report.warnings) lines.push(`- ${w}`);
	}
	return `${lines.join('\n')}\n`;
}
