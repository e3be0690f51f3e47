/**
 * The launch summary as Markdown, laid out like the seeds' "Launch Summary
 * Template" (§9.2), plus the per-stage table and the status messages.
 */
import type {LaunchReport, StageReport} from './launch-report.js';
import {formatCount, formatMs, formatRate} from './messages.js';
import {runbookMarkdown} from './runbook-sections.js';

function minutes(m: number | null): string {
	return m === null ? '______' : m >= 10 ? String(Math.round(m)) : m.toFixed(1);
}

function cell(text: string): string {
	return text.replace(/\|/g, '\\|');
}

function stageResult(s: StageReport): string {
	switch (s.result) {
		case 'passed':
			return 'PASSED';
		case 'failed':
			return 'FAILED';
		case 'in_progress':
			return 'in progress';
		case 'not_reached':
			return 'not reached';
		default: {
			const _never: never = s.result;
			return String(_never);
		}
	}
}

function target(prefix: string, value: number | null, format: (v: number) => string): string {
	return value === null ? '' : ` (target ${prefix}${format(value)})`;
}

export function renderMarkdown(report: LaunchReport): string {
	const k = report.keyMetrics;
	const t = report.targets;
	const lines: string[] = [];
	lines.push(`## ${report.service} Production Launch Summary`, '');
	lines.push(`**Launch Date:** ${report.launchDate ?? 'unknown'}`);
	lines.push(`**Duration:** ${minutes(report.duration.plannedMinutes)} minutes (planned) vs ${minutes(report.duration.actualMinutes)} minutes (actual)`);
	lines.push(`**Result:** ${report.result} — ${report.resultReason}`);
	if (report.flag !== null) {
		lines.push(`**Feature flag:** \`${report.flag}\``);
	}
	lines.push('');
	lines.push(`### Key Metrics${k.atPercent === null ? '' : ` (at ${k.atPercent} %)`}`);
	lines.push(`- Board Response Time P95: ${formatMs(k.boardP95Ms)}${target('<', t.boardP95Ms, (v) => formatMs(v))}`);
	lines.push(`- Drawer Response Time Avg: ${formatMs(k.drawerAvgMs)}${target('<', t.drawerAvgMs, (v) => formatMs(v))}`);
	lines.push(`- Error Rate: ${formatRate(k.errorRate)}${target('<', t.errorRate, (v) => `${Number((v * 100).toFixed(2))}%`)}`);
	lines.push(`- OCC Conflicts: ${formatCount(k.occConflicts)} per 5 min${target('<', t.occConflicts, (v) => formatCount(v))}`);
	for (const m of report.mitigations) {
		lines.push(`- Rollback trigger → confirmed mitigation: ${m.seconds === null ? 'not confirmed' : `${m.seconds.toFixed(1)} s`}`);
	}
	lines.push('');
	lines.push('### Stages', '');
	lines.push('| Stage | Result | Checks | Board p95 | Drawer avg | Error rate | OCC (5m) |');
	lines.push('|---:|---|---:|---:|---:|---:|---:|');
	for (const s of report.stages) {
		lines.push(
			`| ${s.percent} % | ${stageResult(s)} | ${s.checks}${s.failingChecks > 0 ? ` (${s.failingChecks} failing)` : ''} | ${formatMs(s.boardP95Ms)} | ${formatMs(s.drawerAvgMs)} | ${formatRate(s.errorRate)} | ${formatCount(s.occConflicts)} |`,
		);
	}
	lines.push('');
	lines.push('### Timeline');
	for (const e of report.timeline) {
		lines.push(`- ${e.t}: ${e.text}`);
	}
	lines.push('');
	lines.push('### Issues Encountered');
	if (report.issues.length === 0) {
		lines.push('- None');
	}
	for (const i of report.issues) {
		lines.push(`- ${i.t} [${i.kind}] ${i.text}`);
	}
	lines.push('');
	if (report.signOffs.length > 0) {
		lines.push('### Sign-offs');
		for (const s of report.signOffs) {
			const verdict = s.decision === 'reject' ? ' — REJECTED' : '';
			lines.push(`- ${s.itemId}: ${s.role} — ${s.name} at ${new Date(s.at).toISOString()}${verdict}${s.note ? `: ${s.note}` : ''}`);
		}
		lines.push('');
	}
	lines.push(...runbookMarkdown(report.runbook));
	lines.push('### Status Messages');
	if (report.messages.length === 0) {
		lines.push('- None');
	}
	for (const m of report.messages) {
		lines.push(`- \`${m.replace(/`/g, "'")}\``);
	}
	lines.push('');
	lines.push('### Artifacts');
	lines.push(`- Launch ID: ${report.launchId ?? 'unknown'}`);
	lines.push(`- Journal: ${report.artifacts.journalPath === null ? 'n/a' : cell(report.artifacts.journalPath)} (${report.artifacts.records} records)`);
	lines.push(`- Plan hash: ${report.artifacts.planHash ?? 'unknown'}`);
	if (report.warnings.length > 0) {
		lines.push('');
		lines.push('### Notes');
		for (const w of report.warnings) {
			lines.push(`- ${w}`);
		}
	}
	return `${lines.join('\n')}\n`;
}
