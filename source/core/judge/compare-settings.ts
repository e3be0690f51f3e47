/**
 * A rule's judge settings (`SloRule.compare`) with every default filled, and
 * which rules can be judged at all. One place for the defaults: the plan's rules
 * and `golive compare` read them from here.
 */
import type {ProbeStat, SloRule, Plan} from '../plan-types.js';
import {isLatencyStat} from '../probe-stats.js';
import type {ComparedMetric, CompareSettings} from './comparison.js';

export type RuleCompareSettings = CompareSettings & {consecutive: number; onHigh: 'hold' | 'rollback'};

/** The plan schema's defaults; `minEffectAbs` depends on what is compared. */
export const defaultCompare = {
	minEffectPct: 10,
	minEffectMs: 5,
	minEffectRate: 0.005,
	minSamples: 50,
	consecutive: 3,
	alpha: 0.001,
	onHigh: 'rollback',
} as const;

/** What the judge compares for a probe statistic; null when it cannot (a request count). */
export function comparedMetricOf(stat: ProbeStat): ComparedMetric | null {
	if (isLatencyStat(stat)) return 'latency';
	return stat === 'requests' ? null : stat;
}

/** The rule's settings, or null when the rule has no enabled `compare` or cannot be judged. */
export function compareSettingsOf(rule: SloRule): RuleCompareSettings | null {
	const c = rule.compare;
	if (!c?.enabled || rule.source.kind !== 'probe') return null;
	const metric = comparedMetricOf(rule.source.stat);
	if (metric === null) return null;
	return {
		minEffectPct: c.minEffectPct,
		minEffectAbs: c.minEffectAbs ?? (metric === 'latency' ? defaultCompare.minEffectMs : defaultCompare.minEffectRate),
		minSamples: c.minSamples,
		alpha: c.alpha,
		consecutive: c.consecutive,
		onHigh: c.onHigh,
	};
}

/** Why a rule's `compare` cannot run as written (the loader refuses the plan), or null. */
export function compareCheckIssue(plan: Plan, rule: SloRule): string | null {
	if (!rule.compare) return null;
	const source = rule.source;
	if (source.kind !== 'probe') return 'compare needs a probe rule: CloudWatch values carry no V1/V2 split';
	if (comparedMetricOf(source.stat) === null) return `compare cannot judge "${source.stat}"; use a latency statistic, errorRate or conflicts`;
	const probe = plan.probes.find((p) => p.id === source.probe);
	if (probe && probe.variantHeader === undefined)
		return `compare needs /probes variantHeader on probe "${source.probe}" (which header names the version that served)`;
	return null;
}
