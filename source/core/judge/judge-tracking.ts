/**
 * The judge across checks: repeated looks and what a verdict does to the canary.
 *
 * Every check looks at the data again, so a single p < alpha would, over a long
 * stage, flag a healthy V2 by chance. A HIGH therefore counts only after
 * `consecutive` checks in a row said HIGH, each at the plan's strict alpha
 * (NO_DATA neither adds nor resets the run, as for SLO breaches: missing data
 * cannot hide a regression). Then the rule's `onHigh` holds the stage or rolls
 * back. While V1 and V2 both serve (a stage below 100 %), a rule with `compare`
 * must have a verdict: NO_DATA, or a HIGH not yet confirmed, is not green, so
 * the stage cannot pass on it.
 */
import type {Decision, RuleResult} from '../decision-types.js';
import type {Plan} from '../plan-types.js';
import {compareSettingsOf} from './compare-settings.js';
import type {Verdict} from './comparison.js';
import {formatComparisonWhy} from './format-comparison.js';
import {windowMsOf} from '../format.js';

/** Per rule id: consecutive checks whose comparison said HIGH. */
export type JudgeTracks = Record<string, number>;

export type JudgeBlocker = {why: string; cause: string};

export type JudgeCheck = {
	tracks: JudgeTracks;
	/** A confirmed HIGH on a rule with `onHigh: 'rollback'`, worded for the Why. */
	rollback: Decision | null;
	/** Why the check is not green on the judge's account (empty when it is). */
	blockers: JudgeBlocker[];
};

/** Consecutive HIGH checks after one more look: HIGH adds one, PASS or LOW resets, NO_DATA (or none) keeps the run. */
export function streakAfter(previous: number, verdict: Verdict | undefined): number {
	if (verdict === undefined || verdict === 'NO_DATA') return previous;
	return verdict === 'HIGH' ? previous + 1 : 0;
}

/** Whether both variants serve: a stage strictly between 0 and 100 %. */
function judgeRequired(percent: number | null): boolean {
	return percent !== null && percent > 0 && percent < 100;
}

/** `board p95`: what a rule compares, named from its probe and statistic. */
function subjectOf(plan: Plan, ruleId: string): {subject: string; stat: string} {
	const rule = plan.slos.find((r) => r.id === ruleId);
	return rule?.source.kind === 'probe' ? {subject: rule.source.probe, stat: rule.source.stat} : {subject: ruleId, stat: ''};
}

/** One check of every judged rule at a stage serving `percent` % V2 (null outside a stage). */
export function judgeCheck(plan: Plan, previous: JudgeTracks | undefined, rules: readonly RuleResult[], at: number, percent: number | null): JudgeCheck {
	const none: JudgeCheck = {tracks: {}, rollback: null, blockers: []};
	if (!judgeRequired(percent)) return none;
	const tracks: JudgeTracks = {};
	const blockers: JudgeBlocker[] = [];
	let rollback: Decision | null = null;
	for (const rule of plan.slos) {
		const settings = compareSettingsOf(rule);
		if (!settings) continue;
		const result = rules.find((r) => r.ruleId === rule.id);
		const c = result?.comparison;
		const streak = streakAfter(previous?.[rule.id] ?? 0, c?.verdict);
		tracks[rule.id] = streak;
		const {subject, stat} = subjectOf(plan, rule.id);
		if (!result || !c || c.verdict === 'NO_DATA') {
			blockers.push({why: `${rule.id} V2 vs V1: no verdict (${c?.note ?? 'not evaluated'})`, cause: `${rule.id} V2 vs V1 NO_DATA`});
			continue;
		}
		if (c.verdict !== 'HIGH') continue;
		const why = formatComparisonWhy(subject, stat, c, streak);
		if (streak < settings.consecutive) {
			blockers.push({why: `${why} (${streak} of ${settings.consecutive} checks before it counts)`, cause: `${rule.id} V2 worse than V1, unconfirmed`});
		} else if (settings.onHigh === 'hold') {
			blockers.push({why: `${why} (onHigh: hold)`, cause: `${rule.id} V2 worse than V1`});
		} else if (rollback === null) {
			// Its own id: the value is V2's and the "threshold" V1's, which must not read as the rule's SLO threshold in a report.
			const evidence = {
				ruleId: `${rule.id}:v2_vs_v1`,
				window: result.window,
				...windowMsOf(result),
				value: c.v2,
				threshold: c.v1,
				samples: c.v2Samples,
				ageMs: result.ageMs,
			};
			rollback = {
				kind: 'rollback',
				at,
				reason: `${why} (${rule.id}, alpha ${settings.alpha}, baseline V1)`,
				trigger: 'canary_comparison',
				fromPercent: percent ?? undefined,
				toPercent: 0,
				evidence: [evidence],
			};
		}
	}
	return {tracks, rollback, blockers};
}

/** The percent the judge is asked about at this phase: the stage's, else null (no split to judge). */
export function judgedPercent(phase: {kind: string; percent?: number}): number | null {
	return phase.kind === 'stage' && phase.percent !== undefined ? phase.percent : null;
}

/** A check assessment with the judge's blockers added: not green while any stands. */
export function withJudgeBlockers<A extends {green: boolean; why: string[]; causes: string[]}>(assessment: A, blockers: readonly JudgeBlocker[]): A {
	if (blockers.length === 0) return assessment;
	return {
		...assessment,
		green: false,
		why: [...assessment.why, ...blockers.map((b) => b.why)],
		causes: [...assessment.causes, ...blockers.map((b) => b.cause)],
	};
}
