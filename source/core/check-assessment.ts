/**
 * Whether one check is complete, passing data, and whether the last check is
 * recent enough to act on. Unknown numbers, missing rules and unknown alarms
 * are never green.
 */
import type {CanaryState, CheckInput} from './canary-types.js';
import {formatRuleResult, formatRuleValue} from './format.js';
import type {Plan} from './plan-types.js';
import {holdsCanary} from './severity.js';

/** A gap between checks longer than this many intervals breaks the green run (nobody looked in between). */
export const maxCheckGapIntervals = 2;

export type GreenAssessment = {
	green: boolean;
	/** Every reason the check is not green, with the numbers. */
	why: string[];
	/** The same reasons without numbers: stable from check to check while the cause persists. */
	causes: string[];
};

/** Complete, passing data at one check: every plan rule PASS, abort numbers known and under, alarms known and quiet. */
export function assessCheck(plan: Plan, input: CheckInput): GreenAssessment {
	const why: string[] = [];
	const causes: string[] = [];
	const push = (detail: string, cause: string = detail) => {
		why.push(detail);
		causes.push(cause);
	};

	if (!Number.isFinite(input.at)) {
		push('check has no valid time');
	}

	if (plan.slos.length === 0) {
		push('the plan has no SLO rules: nothing proves health');
	}

	for (const rule of plan.slos) {
		// A P3 rule is logged, never held for.
		if (!holdsCanary(plan, rule.id)) continue;
		const r = input.rules.find((x) => x.ruleId === rule.id);
		if (!r) {
			push(`${rule.id} not evaluated`);
		} else if (r.status !== 'PASS') {
			push(formatRuleResult(r), `${r.ruleId} ${r.status}`);
		}
	}

	const {abort} = plan.canary;
	const errorLimit = Math.min(abort.errorRate, plan.triggers.errorBurst.threshold);
	if (!(input.errorRate <= errorLimit)) {
		push(
			Number.isFinite(input.errorRate)
				? `error rate ${formatRuleValue(input.errorRate, 'ratio')} > ${formatRuleValue(errorLimit, 'ratio')}`
				: 'error rate unknown',
			Number.isFinite(input.errorRate) ? 'error rate high' : 'error rate unknown',
		);
	}

	if (!(input.latencyMs <= abort.latencyMs)) {
		push(
			Number.isFinite(input.latencyMs)
				? `canary latency ${formatRuleValue(input.latencyMs, 'ms')} > ${formatRuleValue(abort.latencyMs, 'ms')}`
				: 'canary latency unknown',
			Number.isFinite(input.latencyMs) ? 'canary latency high' : 'canary latency unknown',
		);
	}

	if (!input.alarmsKnown) {
		push('alarm states unknown (CloudWatch not ok or an alarm is missing)');
	}

	for (const a of input.alarms) {
		if (a.state === 'ALARM') {
			push(`alarm ${a.name} in ALARM`);
		} else if (a.state === 'INSUFFICIENT_DATA' && plan.canary.holdOnInsufficientData) {
			push(`alarm ${a.name} INSUFFICIENT_DATA`);
		} else if (a.state !== 'OK' && a.state !== 'INSUFFICIENT_DATA') {
			push(`alarm ${a.name} in unknown state`);
		}
	}

	return {green: why.length === 0, why, causes};
}

export function checkIsRecent(plan: Plan, state: CanaryState, at: number): boolean {
	const last = state.lastCheckAt ?? null;
	return last !== null && at - last >= 0 && at - last <= maxCheckGapIntervals * plan.canary.checkIntervalMs;
}
