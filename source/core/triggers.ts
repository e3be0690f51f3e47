/**
 * Rollback triggers, as pure functions of the previous tracking state and one
 * check. The reducer calls `evaluateTriggers` on every check while the canary
 * is live; any fired trigger means rollback, whatever else the check says.
 *
 * Missing data never clears evidence of trouble: a NO_DATA check keeps a
 * running breach (only a PASS ends it) and an unknown error rate leaves the
 * burst count where it was (neither +1 nor reset). So a probe outage in the
 * middle of a breach cannot hide it, at the price of a rollback that may come
 * one interval "early" if the unseen interval was in fact good.
 */
import type {CheckInput} from './canary-types.js';
import {syntheticFailuresSetting} from './fleet-checks.js';
import type {Decision, Evidence, RuleResult, TriggerId} from './decision-types.js';
import {checkWindow} from './check-input.js';
import {formatDuration, formatTimer, formatRuleResult, formatRuleValue, planWindowMs, ruleEvidence, windowText} from './format.js';
import type {AlarmView} from './measurements.js';
import type {Plan} from './plan-types.js';
import {breachLimitMs, severityOf} from './severity.js';

/** Which triggers win the headline when several fire at one check (all stay in the evidence). */
const triggerPriority: readonly TriggerId[] = [
	'alarm',
	'canary_error_rate',
	'canary_latency',
	'canary_comparison',
	'error_burst',
	'synthetic_failures',
	'slo_breach_sustained',
	'operator',
];

export type TriggerTracking = {
	/** Per rule id: epoch ms since when it has been BREACH (NO_DATA does not end a breach). */
	breachSince: Record<string, number>;
	/** Consecutive checks with a known error rate above the burst threshold. */
	errorBurstCount: number;
};

/** BREACH starts (or continues) a breach, PASS ends it, NO_DATA leaves it as it was. */
export function updateBreachSince(previous: Record<string, number>, rules: RuleResult[], at: number): Record<string, number> {
	const next: Record<string, number> = {};
	const current = new Map(rules.map((r) => [r.ruleId, r.status]));
	for (const [id, since] of Object.entries(previous)) {
		const status = current.get(id);
		// A rule that vanished from the input is unknown, not green: keep its breach.
		if (status !== 'PASS') {
			next[id] = since;
		}
	}

	for (const r of rules) {
		if (r.status === 'BREACH' && next[r.ruleId] === undefined) {
			next[r.ruleId] = at;
		}
	}

	return next;
}

/** A known error rate above the threshold counts +1, a known one at or below resets, an unknown one changes nothing. */
export function updateErrorBurst(count: number, errorRate: number, threshold: number): number {
	if (!Number.isFinite(errorRate)) {
		return count;
	}

	return errorRate > threshold ? count + 1 : 0;
}

function rollback(trigger: TriggerId, at: number, percent: number, reason: string, evidence: Evidence[]): Decision {
	return {kind: 'rollback', at, reason, trigger, fromPercent: percent, toPercent: 0, evidence};
}

/** Any rule breached continuously for its limit: `sloBreachForMs`, or its severity's (its current status not PASS). */
function sustainedBreachDecisions(plan: Plan, breachSince: Record<string, number>, rules: RuleResult[], at: number, percent: number): Decision[] {
	const decisions: Decision[] = [];
	for (const [id, since] of Object.entries(breachSince)) {
		const lasted = at - since;
		const limit = breachLimitMs(plan, id);
		if (!(lasted >= limit)) {
			continue;
		}

		const r = rules.find((x) => x.ruleId === id);
		const seen = r ? formatRuleResult(r) : `${id} no result at this check`;
		const evidence: Evidence = r ? ruleEvidence(r) : {ruleId: id, window: '', value: Number.NaN, threshold: Number.NaN, samples: 0, ageMs: null};
		const severity = severityOf(plan, id);
		const d = rollback(
			'slo_breach_sustained',
			at,
			percent,
			`${severity ? `${severity} ` : ''}${id} breached for ${formatTimer(lasted)} (limit ${formatTimer(limit)}): ${seen}`,
			[evidence],
		);
		decisions.push(severity ? {...d, severity} : d);
	}

	return decisions;
}

/** The abort numbers' window (the check window) as evidence records it: its name, and its real length when the plan sets one. */
function checkWindowOf(plan: Pick<Plan, 'windowsMs'>): {window: string; windowMs?: number} {
	return {window: checkWindow, ...planWindowMs(plan.windowsMs, checkWindow)};
}

/** The check window as text names it: `8s` for the demo's "1m". */
function checkWindowText(plan: Pick<Plan, 'windowsMs'>): string {
	return windowText(checkWindow, plan.windowsMs?.[checkWindow]);
}

/** Error rate above `errorBurst.threshold` for `errorBurst.intervals` consecutive checks. */
function errorBurstDecision(plan: Plan, count: number, input: CheckInput, percent: number): Decision | null {
	const {threshold, intervals} = plan.triggers.errorBurst;
	if (!(count >= intervals)) {
		return null;
	}

	const evidence: Evidence = {
		ruleId: 'error_rate',
		...checkWindowOf(plan),
		value: input.errorRate,
		threshold,
		samples: input.errorRateSamples,
		ageMs: input.errorRateAgeMs ?? null,
	};
	return rollback(
		'error_burst',
		input.at,
		percent,
		`error rate ${formatRuleValue(input.errorRate, 'ratio')} > ${formatRuleValue(threshold, 'ratio')} for ${count} consecutive checks (limit ${intervals}; ${checkWindowText(plan)}, ${input.errorRateSamples} samples, age ${formatDuration(input.errorRateAgeMs ?? null)})`,
		[evidence],
	);
}

/** During the canary: error rate above `abort.errorRate`, or latency above `abort.latencyMs`, at this check. */
export function canaryAbortDecisions(plan: Plan, input: CheckInput, percent: number): Decision[] {
	const {abort} = plan.canary;
	const decisions: Decision[] = [];
	// Finite first: an unknown number never fires an abort (the rules hold the canary instead).
	if (Number.isFinite(input.errorRate) && input.errorRate > abort.errorRate) {
		const ageMs = input.errorRateAgeMs ?? null;
		decisions.push(
			rollback(
				'canary_error_rate',
				input.at,
				percent,
				`canary error rate ${formatRuleValue(input.errorRate, 'ratio')} > ${formatRuleValue(abort.errorRate, 'ratio')} at ${percent}% (${checkWindowText(plan)}, ${input.errorRateSamples} samples, age ${formatDuration(ageMs)})`,
				[{ruleId: 'error_rate', ...checkWindowOf(plan), value: input.errorRate, threshold: abort.errorRate, samples: input.errorRateSamples, ageMs}],
			),
		);
	}

	if (Number.isFinite(input.latencyMs) && input.latencyMs > abort.latencyMs) {
		const ageMs = input.latencyAgeMs ?? null;
		const id = `${abort.latency.probe}_${abort.latency.stat}`;
		decisions.push(
			rollback(
				'canary_latency',
				input.at,
				percent,
				`canary ${id} ${formatRuleValue(input.latencyMs, 'ms')} > ${formatRuleValue(abort.latencyMs, 'ms')} at ${percent}% (${checkWindowText(plan)}, ${input.latencySamples} samples, age ${formatDuration(ageMs)})`,
				[{ruleId: id, ...checkWindowOf(plan), value: input.latencyMs, threshold: abort.latencyMs, samples: input.latencySamples, ageMs}],
			),
		);
	}

	return decisions;
}

/**
 * A fleet location whose synthetic checks failed `consecutive` times in a row, when the plan's
 * `triggers.syntheticFailures.action` is `rollback` (with `alert`, the console only warns). The
 * streak comes from the checks CloudWatch holds, so it needs no tracking here; a reading that is
 * not `ok` names no location and fires nothing.
 */
function syntheticFailureDecisions(plan: Plan, input: CheckInput, percent: number): Decision[] {
	const {consecutive, action} = syntheticFailuresSetting(plan);
	if (action !== 'rollback') {
		return [];
	}

	return (input.syntheticFailures ?? [])
		.filter((f) => f.consecutiveFailures >= consecutive)
		.map((f) =>
			rollback(
				'synthetic_failures',
				input.at,
				percent,
				`synthetic monitor ${f.location}/${f.probe}: ${f.consecutiveFailures} checks failed in a row (limit ${consecutive})`,
				[
					{
						ruleId: `synthetic:${f.location}/${f.probe}`,
						window: 'checks',
						value: f.consecutiveFailures,
						threshold: consecutive,
						samples: f.consecutiveFailures,
						ageMs: null,
					},
				],
			),
		);
}

/** Every alarm in ALARM, named (when `triggers.alarm`). */
function alarmDecisions(plan: Plan, alarms: AlarmView[], at: number, percent: number): Decision[] {
	if (!plan.triggers.alarm) {
		return [];
	}

	return alarms
		.filter((a) => a.state === 'ALARM')
		.map((a) => {
			const ageMs = Number.isFinite(a.updatedAt) ? Math.max(0, at - a.updatedAt) : null;
			const why = a.reason ? `: ${a.reason}` : '';
			return rollback('alarm', at, percent, `alarm ${a.name} in ALARM${why}`, [
				{ruleId: `alarm:${a.name}`, window: 'state', value: Number.NaN, threshold: Number.NaN, samples: 1, ageMs},
			]);
		});
}

/** Orders fired triggers by `triggerPriority` and folds them into one rollback decision. */
export function combineRollbacks(fired: Decision[]): Decision | null {
	if (fired.length === 0) {
		return null;
	}

	const sorted = [...fired].sort((a, b) => triggerPriority.indexOf(a.trigger ?? 'operator') - triggerPriority.indexOf(b.trigger ?? 'operator'));
	const head = sorted[0]!;
	const more =
		sorted.length > 1
			? ` (+${sorted.length - 1} more: ${sorted
					.slice(1)
					.map((d) => d.trigger)
					.join(', ')})`
			: '';
	return {...head, reason: `${head.reason}${more}`, evidence: sorted.flatMap((d) => d.evidence)};
}

/**
 * All triggers at one check while the canary is at `percent`: the updated
 * tracking and every trigger that fired (empty when none).
 */
export function evaluateTriggers(plan: Plan, tracking: TriggerTracking, input: CheckInput, percent: number): TriggerTracking & {fired: Decision[]} {
	const breachSince = updateBreachSince(tracking.breachSince, input.rules, input.at);
	const errorBurstCount = updateErrorBurst(tracking.errorBurstCount, input.errorRate, plan.triggers.errorBurst.threshold);
	const burst = errorBurstDecision(plan, errorBurstCount, input, percent);
	const fired = [
		...alarmDecisions(plan, input.alarms, input.at, percent),
		...canaryAbortDecisions(plan, input, percent),
		...(burst ? [burst] : []),
		...syntheticFailureDecisions(plan, input, percent),
		...sustainedBreachDecisions(plan, breachSince, input.rules, input.at, percent),
	];
	return {breachSince, errorBurstCount, fired};
}
