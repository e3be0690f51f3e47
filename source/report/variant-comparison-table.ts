/**
 * The report's V2-vs-V1 table: per stage reached and per rule the judge compared, what the
 * journal's check records say (`comparisons`). A stage is every check journaled at that flag
 * percent. Per rule two rows: the stage's last verdict (where the stage ended) and its worst
 * (the longest run of HIGH, then the largest Δ %), so a HIGH that went away before the stage
 * ended still shows. Pure; the journal is a file from outside, so every field is checked here.
 */
import {formatRuleValue} from '../core/format.js';
import type {CheckRecord, JournalComparison, JournalRecord} from '../journal/records.js';
import {finiteOrNull} from '../core/rule-json.js';

export type ComparisonAt = JournalComparison & {at: number; t: string};

export type VariantComparisonRow = {
	/** The flag percent of the stage (V2's share). */
	percent: number;
	ruleId: string;
	metric: JournalComparison['metric'];
	/** Checks at this stage that carried this rule's comparison, and how many said HIGH and NO_DATA. */
	judged: number;
	high: number;
	noData: number;
	last: ComparisonAt;
	worst: ComparisonAt;
};

const metrics = new Set<string>(['latency', 'errorRate', 'conflicts']);
const verdicts = new Set<string>(['PASS', 'HIGH', 'LOW', 'NO_DATA']);
const count = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);

/** One journaled comparison, or null when the record does not hold one (an old or foreign journal). */
function readComparison(raw: unknown, clean: (text: unknown) => string): JournalComparison | null {
	if (typeof raw !== 'object' || raw === null) return null;
	const c = raw as Record<string, unknown>;
	if (typeof c.ruleId !== 'string' || !metrics.has(String(c.metric)) || !verdicts.has(String(c.verdict))) return null;
	const ci = Array.isArray(c.ciPct) ? c.ciPct : [];
	return {
		ruleId: clean(c.ruleId),
		metric: c.metric as JournalComparison['metric'],
		verdict: c.verdict as JournalComparison['verdict'],
		v1: finiteOrNull(c.v1),
		v2: finiteOrNull(c.v2),
		v1Samples: count(c.v1Samples),
		v2Samples: count(c.v2Samples),
		deltaPct: finiteOrNull(c.deltaPct),
		ciPct: [finiteOrNull(ci[0]), finiteOrNull(ci[1])],
		pValue: finiteOrNull(c.pValue),
		checks: count(c.checks),
	};
}

/** Which of two comparisons is worse: HIGH over anything, then the longer HIGH run, then the larger Δ % (with data over none). */
function worse(a: ComparisonAt, b: ComparisonAt): ComparisonAt {
	const rank = (c: ComparisonAt): number => (c.verdict === 'HIGH' ? 2 : c.verdict === 'NO_DATA' ? 0 : 1);
	if (rank(a) !== rank(b)) return rank(a) > rank(b) ? a : b;
	if (a.checks !== b.checks) return a.checks > b.checks ? a : b;
	// A tie goes to the later check, so a steady stage shows one row.
	return (b.deltaPct ?? Number.NEGATIVE_INFINITY) >= (a.deltaPct ?? Number.NEGATIVE_INFINITY) ? b : a;
}

/**
 * The table's rows, by stage (in the order reached) and by rule (in the plan's order).
 * `offset` names a time as the report's timeline does (`T+1:05`).
 */
export function variantComparisonRows(
	records: readonly JournalRecord[],
	offset: (at: number) => string,
	clean: (text: unknown) => string,
): VariantComparisonRow[] {
	const rows = new Map<string, VariantComparisonRow>();
	for (const r of records) {
		if (r.type !== 'check') continue;
		const check = r as JournalRecord & CheckRecord;
		const percent = finiteOrNull(check.flagPercent);
		const at = finiteOrNull(check.at);
		if (percent === null || percent <= 0 || at === null || !Array.isArray(check.comparisons)) continue;
		for (const raw of check.comparisons) {
			const c = readComparison(raw, clean);
			if (!c) continue;
			const here: ComparisonAt = {...c, at, t: offset(at)};
			const key = `${percent}|${c.ruleId}`;
			const row = rows.get(key) ?? {percent, ruleId: c.ruleId, metric: c.metric, judged: 0, high: 0, noData: 0, last: here, worst: here};
			row.judged++;
			if (c.verdict === 'HIGH') row.high++;
			if (c.verdict === 'NO_DATA') row.noData++;
			row.last = here;
			row.worst = worse(row.worst, here);
			rows.set(key, row);
		}
	}
	return [...rows.values()];
}

function statistic(v: number | null, metric: JournalComparison['metric']): string {
	return v === null ? 'n/a' : formatRuleValue(v, metric === 'latency' ? 'ms' : 'ratio');
}

function signedPct(v: number | null): string {
	return v === null ? '?' : `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(Math.abs(v) < 10 ? 1 : 0)}`;
}

function pText(p: number | null): string {
	return p === null ? '—' : p < 0.001 ? '< 0.001' : p.toPrecision(2);
}

function line(label: string, c: ComparisonAt): string {
	const ci = c.ciPct[0] === null && c.ciPct[1] === null ? '—' : `[${signedPct(c.ciPct[0])}…${signedPct(c.ciPct[1])} %]`;
	const delta = c.deltaPct === null ? '—' : `${signedPct(c.deltaPct)} %`;
	return `${label} ${c.t} | ${statistic(c.v1, c.metric)} | ${statistic(c.v2, c.metric)} | ${delta} | ${ci} | ${pText(c.pValue)} | ${c.verdict} | ${c.v1Samples} / ${c.v2Samples} | ${c.checks} |`;
}

/** The table as Markdown; empty when no check journaled a comparison (no rule has `compare`, or an old journal). */
export function variantComparisonMarkdown(rows: readonly VariantComparisonRow[]): string[] {
	if (rows.length === 0) return [];
	const lines = [
		'### V2 vs V1 per stage',
		'',
		"The judge's comparison of the canary (V2) against the baseline (V1) from the same probes: per stage the last check and the worst (HIGH first, then the longest HIGH run, then the largest Δ). CI is the 95 % interval of the relative effect; HIGH checks is the run of consecutive HIGH verdicts at that check.",
		'',
		'| Stage | Rule | Check | V1 | V2 | Δ % | CI | p | Verdict | Samples V1 / V2 | HIGH checks |',
		'|---:|---|---|---:|---:|---:|---|---|---|---:|---:|',
	];
	for (const row of rows) {
		const head = `| ${row.percent} % | \`${row.ruleId.replace(/\|/g, '\\|')}\` (${row.judged} checks, ${row.high} HIGH, ${row.noData} NO_DATA) |`;
		const same = row.worst === row.last;
		lines.push(`${head} ${line(same ? 'last = worst' : 'last', row.last)}`);
		if (!same) lines.push(`| | | ${line('worst', row.worst)}`);
	}
	lines.push('');
	return lines;
}
