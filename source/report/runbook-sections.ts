/**
 * The report's runbook sections, from the journal: each step's verdict and
 * output tail, each post-launch checkpoint (the day-1 summary at T+24 h), and
 * the decisions that carried a severity. Pure; strings cleaned once here.
 */
import {createRedactor} from '../core/redact.js';
import {sanitize} from '../core/sanitize.js';
import type {JournalRecord} from '../journal/records.js';

type StepLine = {itemId: string; gate: string; ok: boolean; attempts: number; by: string; detail: string; output: string};
type CheckpointLine = {label: string; green: boolean; message: string};
type SeverityLine = {severity: string; kind: string; reason: string};
export type RunbookSections = {steps: StepLine[]; checkpoints: CheckpointLine[]; severities: SeverityLine[]};

const redactor = createRedactor();
const clean = (text: unknown, max = 300): string => sanitize(redactor.redactText(typeof text === 'string' ? text : ''), max);

export function runbookSections(records: readonly JournalRecord[]): RunbookSections {
	const sections: RunbookSections = {steps: [], checkpoints: [], severities: []};
	for (const r of records) {
		if (r.type === 'step' && r.phase === 'result') {
			sections.steps.push({
				itemId: clean(r.itemId, 80),
				gate: clean(r.gate, 2),
				ok: r.ok === true,
				attempts: r.attempt,
				by: clean(r.by, 10),
				detail: clean(r.detail),
				output: clean(r.output, 600),
			});
		} else if (r.type === 'checkpoint') {
			sections.checkpoints.push({label: clean(r.label, 20), green: r.green, message: clean(r.message, 600)});
		} else if (r.type === 'decision' && r.decision.severity !== undefined) {
			sections.severities.push({severity: clean(r.decision.severity, 2), kind: clean(r.decision.kind, 10), reason: clean(r.decision.reason)});
		}
	}
	return sections;
}

/** Markdown for the sections that have content. */
export function runbookMarkdown(sections: RunbookSections): string[] {
	const lines: string[] = [];
	if (sections.steps.length > 0) {
		lines.push('### Runbook Steps', '| Gate | Step | Result | By | Detail | Output (last line) |', '|---|---|---|---|---|---|');
		for (const s of sections.steps) {
			const last = s.output.trimEnd().split('\n').at(-1) ?? '';
			lines.push(`| ${s.gate} | ${s.itemId} | ${s.ok ? 'PASS' : 'FAIL'} | ${s.by} | ${s.detail.replaceAll('|', '\\|')} | ${last.replaceAll('|', '\\|')} |`);
		}
		lines.push('');
	}
	if (sections.checkpoints.length > 0) {
		lines.push('### Post-Launch Watch');
		for (const c of sections.checkpoints) lines.push(`- ${c.green ? '✓' : '✗'} ${c.message}`);
		lines.push('');
	}
	if (sections.severities.length > 0) {
		lines.push('### Severities');
		for (const s of sections.severities) lines.push(`- ${s.severity} (${s.kind}): ${s.reason}`);
		lines.push('');
	}
	return lines;
}
