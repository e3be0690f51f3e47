/**
 * The plan's own rules in the report: for each rule, the value the decision
 * that mattered saw, in the window it saw it — the rollback's evidence when
 * there was one, else Gate G's, else the last promotion's. Pure.
 */
import type {Decision, Evidence} from '../core/decision-types.js';
import {windowText} from '../core/format.js';
import type {LaunchStartRecord} from '../journal/records.js';
import {finiteOrNull} from '../core/rule-json.js';

export type PlanRule = NonNullable<LaunchStartRecord['rules']>[number];

export type RuleRow = PlanRule & {
	/** What the deciding check measured; null when not recorded or not a finite number. */
	value: number | null;
	/** The window that decided (`1m`, `5m`); null when the rule was never part of a decision. */
	decidingWindow: string | null;
	/** The limit the deciding check compared against: the rule's threshold, or a trigger's own (the canary abort's 5 %). */
	decidingThreshold: number | null;
	samples: number | null;
	status: 'PASS' | 'BREACH' | 'NO_DATA' | 'not recorded';
	/** Flag percent at that decision, and what the decision was. */
	atPercent: number | null;
	decision: Decision['kind'] | null;
};

/** PASS only on a finite value on the passing side of the threshold; anything else is not a pass. */
export function statusOf(rule: Pick<PlanRule, 'op' | 'threshold'>, value: number | null): RuleRow['status'] {
	if (value === null) return 'NO_DATA';
	const pass = rule.op === '<=' ? value <= rule.threshold : value < rule.threshold;
	return pass ? 'PASS' : 'BREACH';
}

/** A decision with the flag percent it was taken at. */
export type DecisionAt = {decision: Decision; percent: number | null};

/** Rollback beats Gate G beats promotion: the evidence that decided the launch's fate, per rule. */
function decidingEvidence(ruleId: string, decisions: readonly DecisionAt[]): {evidence: Evidence; at: DecisionAt} | null {
	const rank = (d: Decision): number => (d.kind === 'rollback' ? 3 : d.kind === 'succeed' ? 2 : d.kind === 'promote' ? 1 : 0);
	let best: {evidence: Evidence; at: DecisionAt} | null = null;
	for (const at of decisions) {
		const evidence = (Array.isArray(at.decision.evidence) ? at.decision.evidence : []).find((e) => e.ruleId === ruleId);
		if (!evidence || rank(at.decision) === 0) continue;
		// A later decision of the same rank is fresher.
		if (best === null || rank(at.decision) >= rank(best.at.decision)) best = {evidence, at};
	}
	return best;
}

/** One row per plan rule (or, for an old journal without rules, per rule id the decisions name). */
export function buildRuleRows(planRules: readonly PlanRule[] | undefined, decisions: readonly DecisionAt[]): RuleRow[] {
	const rules: PlanRule[] = planRules
		? [...planRules]
		: [...new Set(decisions.flatMap((d) => (Array.isArray(d.decision.evidence) ? d.decision.evidence.map((e) => e.ruleId) : [])))].map((id) => ({
				id,
				label: id,
				threshold: Number.NaN,
				op: '<',
				unit: 'count' as const,
				window: 'n/a',
			}));
	return rules.map((rule) => {
		const found = decidingEvidence(rule.id, decisions);
		if (!found)
			return {...rule, value: null, decidingWindow: null, decidingThreshold: null, samples: null, status: 'not recorded', atPercent: null, decision: null};
		const value = finiteOrNull(found.evidence.value);
		const threshold = finiteOrNull(found.evidence.threshold) ?? rule.threshold;
		return {
			...rule,
			value,
			decidingWindow: windowText(String(found.evidence.window), finiteOrNull(found.evidence.windowMs) ?? rule.windowMs),
			decidingThreshold: threshold,
			samples: finiteOrNull(found.evidence.samples),
			status: statusOf({op: rule.op, threshold}, value),
			atPercent: found.at.percent,
			decision: found.at.decision.kind,
		};
	});
}
