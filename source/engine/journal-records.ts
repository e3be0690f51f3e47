/**
 * The journal records the engine writes about what it saw (not what it did):
 * the launch's rules and targets, and one `check` per decision interval with
 * every rule's value by the plan's rule id (any plan reports its own numbers).
 */
import type {RuleResult} from '../core/decision-types.js';
import {formatRuleValue, planWindowMs} from '../core/format.js';
import type {JudgeTracks} from '../core/judge/judge-tracking.js';
import type {CloudWatchSnapshot} from '../core/measurements.js';
import type {Plan} from '../core/plan-types.js';
import type {CheckRecord, JournalComparison, LaunchStartRecord} from '../journal/records.js';
import {finiteOrNull} from '../core/rule-json.js';
import {legacyFields} from '../journal/check-values.js';

/** The StatusBoardV2 run sheet's SLO targets, for the report's "(target <800ms)": the fields old check records used, by rule id. */
export function launchTargets(plan: Plan): NonNullable<LaunchStartRecord['targets']> {
	return Object.fromEntries(Object.entries(legacyFields).map(([id, field]) => [field, plan.slos.find((r) => r.id === id)?.threshold]));
}

/** Each judged rule's comparison at this check, with the HIGH streak the reducer counted (`judge` after the check). */
function journalComparisons(rules: RuleResult[], judge: JudgeTracks | undefined): JournalComparison[] {
	return rules.flatMap((r) => {
		const c = r.comparison;
		if (!c) return [];
		return [
			{
				ruleId: r.ruleId,
				metric: c.metric,
				verdict: c.verdict,
				v1: finiteOrNull(c.v1),
				v2: finiteOrNull(c.v2),
				v1Samples: c.v1Samples,
				v2Samples: c.v2Samples,
				deltaPct: finiteOrNull(c.deltaPct),
				ciPct: [finiteOrNull(c.effectPct.lower), finiteOrNull(c.effectPct.upper)],
				pValue: finiteOrNull(c.pValue),
				checks: judge?.[r.ruleId] ?? 0,
			},
		];
	});
}

/** One check as the journal keeps it: every rule's value and status by the plan's own rule ids, and the judge's comparisons. */
export function checkRecord(rules: RuleResult[], flagPercent: number | null, at: number, judge?: JudgeTracks): CheckRecord {
	const failing = rules
		.filter((r) => r.status !== 'PASS')
		.map((r) => `${r.ruleId} ${r.status}${Number.isFinite(r.value) ? ` ${formatRuleValue(r.value, r.unit)}` : ''}`);
	return {
		type: 'check',
		at,
		flagPercent,
		rules: Object.fromEntries(rules.map((r) => [r.ruleId, {value: Number.isFinite(r.value) ? r.value : null, status: r.status}])),
		// No rules is no data, never green.
		green: rules.length > 0 && failing.length === 0,
		...(failing.length > 0 ? {failing} : {}),
		...(rules.some((r) => r.comparison) ? {comparisons: journalComparisons(rules, judge)} : {}),
	};
}

/** The plan's rules and report metadata for `launch_start`: the report of any plan shows its own rules. */
export function launchPlanFacts(plan: Plan): Pick<LaunchStartRecord, 'rules' | 'report'> {
	const report = plan.report;
	return {
		rules: plan.slos.map((r) => ({
			id: r.id,
			label: r.label,
			threshold: r.threshold,
			op: r.op,
			unit: r.unit,
			window: r.window,
			...planWindowMs(plan.windowsMs, r.window),
		})),
		report: {
			...(report?.buildId ? {buildId: report.buildId} : {}),
			...(report?.gitTag ? {gitTag: report.gitTag} : {}),
			...(report?.links ? {links: report.links} : {}),
			...(report?.adoption ? {adoption: report.adoption.label ?? report.adoption.metric} : {}),
			messageStyle: report?.messageStyle ?? 'statusboard',
		},
	};
}

/** The adoption metric's newest CloudWatch value; null when unknown or not configured. */
export function adoptionValue(plan: Plan, cloudwatch: CloudWatchSnapshot | null): number | null | undefined {
	const metric = plan.report?.adoption?.metric;
	if (metric === undefined) return undefined;
	const value = cloudwatch?.metrics.find((m) => m.id === metric)?.value;
	return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
