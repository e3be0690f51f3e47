/**
 * Builds one periodic check's input from what the probes and CloudWatch
 * measured: the rule verdicts plus the canary abort numbers (blended error
 * rate, canary latency) and the alarms. Unknown numbers are NaN, never 0.
 */
import type {CheckInput} from './canary-types.js';
import type {RuleResult} from './decision-types.js';
import {monitorAlerts, syntheticFailuresSetting} from './fleet-checks.js';
import type {FleetSnapshot} from './fleet-types.js';
import type {CloudWatchSnapshot, ProbeSnapshot, ProbeWindow} from './measurements.js';
import type {Plan, WindowName} from './plan-types.js';
import {evaluateRules, probeStatValue} from './rules.js';

/** The abort checks look at the most recent minute: "at a check", not over 5 minutes. */
export const checkWindow: WindowName = '1m';

/** Abort numbers older than this many check intervals are stale and read as unknown. */
const staleAfterIntervals = 3;

function freshWindow(snapshot: ProbeSnapshot | undefined, now: number, maxAgeMs: number): ProbeWindow | null {
	const window = snapshot?.windows[checkWindow] as ProbeWindow | undefined;
	if (!window || !(window.requests > 0) || window.lastSampleAt === null) {
		return null;
	}

	const age = now - window.lastSampleAt;
	return Number.isFinite(age) && age <= maxAgeMs ? window : null;
}

function ageOf(window: ProbeWindow, now: number): number | null {
	return window.lastSampleAt === null ? null : Math.max(0, now - window.lastSampleAt);
}

/**
 * Error rate blended over the plan's probes (or `abort.errorRateProbe`),
 * weighted by requests over the 1m window. Probes with no fresh data are left
 * out rather than making the whole number unknown: errors seen on the other
 * probes are real and must still be able to trigger a rollback. A probe whose
 * scheduler fell behind still counts: its errors are errors.
 */
function blendedErrorRate(plan: Plan, probes: ProbeSnapshot[], now: number): {errorRate: number; samples: number; ageMs: number | null} {
	const maxAgeMs = staleAfterIntervals * plan.canary.checkIntervalMs;
	const ids = plan.canary.abort.errorRateProbe === undefined ? plan.probes.map((p) => p.id) : [plan.canary.abort.errorRateProbe];
	let requests = 0;
	let errors = 0;
	let ageMs: number | null = null;
	for (const id of ids) {
		const window = freshWindow(
			probes.find((p) => p.probeId === id),
			now,
			maxAgeMs,
		);
		if (!window || !Number.isFinite(window.errors) || !Number.isFinite(window.requests) || window.errors < 0) {
			continue;
		}

		requests += window.requests;
		errors += Math.min(window.errors, window.requests);
		const age = ageOf(window, now);
		ageMs = age === null ? ageMs : Math.max(ageMs ?? 0, age);
	}

	return {errorRate: requests > 0 ? errors / requests : Number.NaN, samples: requests, ageMs};
}

/** The canary latency statistic (`abort.latency`) over the 1m window; NaN when unknown or stale. */
function canaryLatency(plan: Plan, probes: ProbeSnapshot[], now: number): {latencyMs: number; samples: number; ageMs: number | null} {
	const source = plan.canary.abort.latency;
	const window = freshWindow(
		probes.find((p) => p.probeId === source.probe),
		now,
		staleAfterIntervals * plan.canary.checkIntervalMs,
	);
	if (!window) {
		return {latencyMs: Number.NaN, samples: 0, ageMs: null};
	}

	const value = probeStatValue(window, source.stat);
	return {latencyMs: Number.isFinite(value) ? value : Number.NaN, samples: window.requests, ageMs: ageOf(window, now)};
}

/**
 * Whether the alarms in the snapshot can be trusted: with no CloudWatch section
 * there are no alarms to know; with one, the source must be `ok` and every plan
 * alarm found.
 */
function alarmsKnown(plan: Plan, cloudwatch: CloudWatchSnapshot | null): boolean {
	if (plan.cloudwatch === undefined) {
		return true;
	}

	return cloudwatch !== null && cloudwatch.state.kind === 'ok' && cloudwatch.missingAlarms.length === 0;
}

/**
 * Everything one check needs, evaluated at `now`. Pass the rules already
 * evaluated for the screen at `now` so one evaluation feeds both.
 */
export function buildCheckInput(
	plan: Plan,
	inputs: {probes: ProbeSnapshot[]; cloudwatch: CloudWatchSnapshot | null; fleet?: FleetSnapshot | null},
	now: number,
	rules: RuleResult[] = evaluateRules(plan, inputs, now),
): CheckInput {
	const error = blendedErrorRate(plan, inputs.probes, now);
	const latency = canaryLatency(plan, inputs.probes, now);
	return {
		at: now,
		rules,
		errorRate: error.errorRate,
		errorRateSamples: error.samples,
		errorRateAgeMs: error.ageMs,
		latencyMs: latency.latencyMs,
		latencySamples: latency.samples,
		latencyAgeMs: latency.ageMs,
		alarms: inputs.cloudwatch?.alarms ?? [],
		alarmsKnown: alarmsKnown(plan, inputs.cloudwatch),
		...(plan.fleet ? {syntheticFailures: monitorAlerts(inputs.fleet, syntheticFailuresSetting(plan).consecutive)} : {}),
	};
}
