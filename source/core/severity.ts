/**
 * Severities (TEEI's run-of-show incident levels) on SLO rules: how long a
 * rule may stay breached before it rolls back, whether its breach holds the
 * canary, and what a new breach announces. A rule with no severity keeps the
 * run sheets' rule: rollback after `triggers.sloBreachForMs`.
 *
 * - P0: roll back at the first breached check.
 * - P1: roll back when breached for `sustainedMs`.
 * - P2: investigate — hold the canary (the rule is not green) and announce.
 * - P3: log — neither holds nor rolls back.
 */
import {decision} from './canary-step.js';
import type {CanaryEffect, CheckInput} from './canary-types.js';
import type {RuleResult} from './decision-types.js';
import {formatRuleResult, ruleEvidence} from './format.js';
import type {Plan, Severity} from './plan-types.js';

export function severityOf(plan: Pick<Plan, 'severities'>, ruleId: string): Severity | null {
	return plan.severities?.find((s) => s.rules.includes(ruleId))?.severity ?? null;
}

/** How long a rule may stay breached before it rolls back; Infinity when it never does. */
export function breachLimitMs(plan: Pick<Plan, 'severities' | 'triggers'>, ruleId: string): number {
	const level = plan.severities?.find((s) => s.rules.includes(ruleId));
	if (!level) return plan.triggers.sloBreachForMs;
	switch (level.severity) {
		case 'P0': {
			return 0;
		}
		case 'P1': {
			return level.sustainedMs ?? plan.triggers.sloBreachForMs;
		}
		case 'P2':
		case 'P3': {
			return Number.POSITIVE_INFINITY;
		}
		default: {
			const _never: never = level.severity;
			return _never;
		}
	}
}

/** Whether a rule's status decides if a check is green (P3 rules are only logged). */
export function holdsCanary(plan: Pick<Plan, 'severities'>, ruleId: string): boolean {
	return severityOf(plan, ruleId) !== 'P3';
}

/** What the operator does about a breach at this severity, in TEEI's words. */
const severityActions: Record<Severity, string> = {
	P0: 'immediate rollback',
	P1: 'rollback when sustained',
	P2: 'investigate: canary held',
	P3: 'logged, fix in the next release',
};

type SeverityNotice = {severity: 'P2' | 'P3'; rule: RuleResult};

/** P2 and P3 rules that started a breach at this check (announced once per breach). */
function newSeverityBreaches(
	plan: Pick<Plan, 'severities'>,
	before: Readonly<Record<string, number>>,
	after: Readonly<Record<string, number>>,
	rules: readonly RuleResult[],
): SeverityNotice[] {
	const notices: SeverityNotice[] = [];
	for (const rule of rules) {
		const severity = severityOf(plan, rule.ruleId);
		if ((severity === 'P2' || severity === 'P3') && after[rule.ruleId] !== undefined && before[rule.ruleId] === undefined) notices.push({severity, rule});
	}
	return notices;
}

/** A hold caused (among others) by a breached P2 rule carries P2: "investigate". */
export function heldSeverity(plan: Pick<Plan, 'severities'>, rules: readonly RuleResult[]): {severity?: 'P2'} {
	return rules.some((r) => r.status === 'BREACH' && severityOf(plan, r.ruleId) === 'P2') ? {severity: 'P2'} : {};
}

/** One announcement for each P2/P3 rule that started a breach at this check. */
export function severityNotices(
	plan: Pick<Plan, 'severities'>,
	before: Readonly<Record<string, number>>,
	after: Readonly<Record<string, number>>,
	input: Pick<CheckInput, 'at' | 'rules'>,
): CanaryEffect[] {
	return newSeverityBreaches(plan, before, after, input.rules).map((n) => ({
		kind: 'announce',
		decision: decision('hold', input.at, `${n.severity} ${formatRuleResult(n.rule)}: ${severityActions[n.severity]}`, {
			severity: n.severity,
			evidence: [ruleEvidence(n.rule)],
		}),
	}));
}
