/**
 * SLO rule evaluation: PASS / BREACH / NO_DATA over one window, with the
 * evidence. Every check is written "pass if provably good": a comparison with
 * NaN is false in JS, so only a finite, fresh value with enough samples can
 * reach the `op` test at all; everything else is NO_DATA with a note.
 */
import type {RuleResult} from './decision-types.js';
import {formatDuration, planWindowMs} from './format.js';
import {fleetUnusable} from './fleet-checks.js';
import type {FleetSnapshot} from './fleet-types.js';
import {compareSettingsOf, comparedMetricOf} from './judge/compare-settings.js';
import type {Comparison} from './judge/comparison.js';
import {judgeWindow} from './judge/judge-rule.js';
import {sourceNotOkWhy, type CloudWatchSnapshot, type ProbeSnapshot, type ProbeWindow} from './measurements.js';
import type {Plan, ProbeStat, SloRule} from './plan-types.js';
import {isLatencyStat} from './probe-stats.js';

export type RuleInputs = {
	probes: ProbeSnapshot[];
	/** `null` when the plan has no CloudWatch section or nothing was polled yet. */
	cloudwatch: CloudWatchSnapshot | null;
	/** The probe agents' newest reading; absent or null when the plan has no fleet or nothing was read yet. */
	fleet?: FleetSnapshot | null;
};

type Reading = {value: number; samples: number; ageMs: number | null; source: string; note?: string; window?: ProbeWindow};

/** The stat of a probe window; NaN when the window lacks it. */
export function probeStatValue(window: Pick<ProbeWindow, 'latencyMs' | 'errorRate' | 'conflicts' | 'requests'>, stat: ProbeStat): number {
	return isLatencyStat(stat) ? window.latencyMs[stat] : window[stat];
}

/** Age of a timestamp at `now`; a timestamp from the future reads as age 0 (same host, worker clock). */
function ageOf(timestamp: number | null, now: number): number | null {
	if (timestamp === null || !Number.isFinite(timestamp) || !Number.isFinite(now)) {
		return null;
	}

	return Math.max(0, now - timestamp);
}

function readProbe(rule: SloRule & {source: {kind: 'probe'}}, probes: ProbeSnapshot[], now: number): Reading {
	const source = `probe:${rule.source.probe}`;
	const snapshot = probes.find((p) => p.probeId === rule.source.probe);
	if (!snapshot) {
		return {value: Number.NaN, samples: 0, ageMs: null, source, note: `no data from probe ${rule.source.probe}`};
	}

	const window = snapshot.windows[rule.window] as ProbeWindow | undefined;
	if (!window) {
		return {value: Number.NaN, samples: 0, ageMs: null, source, note: `probe has no ${rule.window} window`};
	}

	const ageMs = ageOf(window.lastSampleAt, now);
	const value = probeStatValue(window, rule.source.stat);
	if (rule.source.stat === 'conflicts') {
		// A conflict is a 409 answer: a move that timed out or failed says nothing about conflicts, so only answers count.
		const answered = Object.values(window.statusCounts).reduce((sum, n) => sum + (Number.isFinite(n) ? n : 0), 0);
		if (answered === 0 && window.requests > 0) {
			return {value: Number.NaN, samples: 0, ageMs, source, window, note: `no answer to count conflicts in (${window.requests} sent, none answered)`};
		}
		if (!snapshot.scheduler.valid) return {value, samples: answered, ageMs, source, window, note: schedulerNote(snapshot)};
		return {value, samples: answered, ageMs, source, window};
	}
	const samples = Number.isFinite(window.requests) && window.requests > 0 ? window.requests : 0;
	if (!snapshot.scheduler.valid) return {value, samples, ageMs, source, window, note: schedulerNote(snapshot)};
	return {value, samples, ageMs, source, window};
}

function schedulerNote(snapshot: ProbeSnapshot): string {
	const lag = Number.isFinite(snapshot.scheduler.lagP99Ms)
		? ` (lag p99 ${Math.round(snapshot.scheduler.lagP99Ms)} ms, ${snapshot.scheduler.dropped} dropped)`
		: '';
	return `probe scheduler could not hold its rate${lag}: numbers suspect`;
}

function readCloudWatch(rule: SloRule & {source: {kind: 'cloudwatch'}}, cloudwatch: CloudWatchSnapshot | null, now: number): Reading {
	const source = `cloudwatch:${rule.source.metric}`;
	if (!cloudwatch) {
		return {value: Number.NaN, samples: 0, ageMs: null, source, note: 'no CloudWatch data yet'};
	}

	const metric = cloudwatch.metrics.find((m) => m.id === rule.source.metric);
	// A CloudWatch datapoint is already an aggregate: it counts as one sample.
	const ageMs = ageOf(metric?.timestamp ?? null, now);
	const value = metric?.value ?? Number.NaN;
	const samples = metric && Number.isFinite(metric.value) && metric.timestamp !== null ? 1 : 0;
	const state = cloudwatch.state;
	if (state.kind !== 'ok') {
		const why = sourceNotOkWhy(state);
		return {value, samples, ageMs, source, note: `CloudWatch ${state.kind} (${why})`};
	}

	if (!metric) {
		return {value: Number.NaN, samples: 0, ageMs: null, source, note: `CloudWatch returned no metric ${rule.source.metric}`};
	}

	if (metric.statusCode !== 'Complete') {
		return {value, samples, ageMs, source, note: `CloudWatch status ${metric.statusCode || 'unknown'} (not Complete)`};
	}

	return {value, samples, ageMs, source};
}

function readFleet(rule: SloRule & {source: {kind: 'fleet'}}, fleet: FleetSnapshot | null, now: number): Reading {
	const {probe: probeId, stat} = rule.source;
	const source = `fleet:${probeId}`;
	const probe = fleet?.probes.find((p) => p.id === probeId);
	// The window's end is when its newest data could have been measured.
	const ageMs = fleet ? ageOf(fleet.windowEndMs, now) : null;
	const value = !probe ? Number.NaN : stat === 'errorRate' ? (probe.requests > 0 ? probe.errors / probe.requests : Number.NaN) : probe[stat];
	const samples = probe && Number.isFinite(probe.requests) ? probe.requests : 0;
	const why = fleetUnusable(fleet);
	if (why !== undefined) return {value, samples, ageMs, source, note: why};
	if (!probe) return {value: Number.NaN, samples: 0, ageMs, source, note: `no fleet data for probe ${probeId}`};
	return {value, samples, ageMs, source};
}

function readRule(rule: SloRule, inputs: RuleInputs, now: number): Reading {
	const source = rule.source;
	switch (source.kind) {
		case 'probe':
			return readProbe({...rule, source}, inputs.probes, now);
		case 'cloudwatch':
			return readCloudWatch({...rule, source}, inputs.cloudwatch, now);
		case 'fleet':
			return readFleet({...rule, source}, inputs.fleet ?? null, now);
		default: {
			const never: never = source;
			return never;
		}
	}
}

/** `stale: newest data 45s old > 30s`: how much older than the rule allows. */
function staleText(rule: SloRule, ageMs: number): string {
	return `stale: newest data ${formatDuration(ageMs)} old > ${formatDuration(rule.maxAgeMs)}`;
}

/**
 * A value that exists but is older than the rule's `maxAgeMs` (by default 3 check
 * intervals for a probe rule; for CloudWatch 3 × the longer of the poll interval
 * and the metric period, since a datapoint is stamped with its period's start):
 * the last thing seen, not the state now. It wins over a source error so the
 * screen says how old the number is instead of showing it as if current.
 */
function staleness(rule: SloRule, reading: Reading): string | undefined {
	if (reading.samples === 0 || reading.ageMs === null || reading.ageMs <= rule.maxAgeMs) {
		return undefined;
	}

	const why = reading.note === undefined ? '' : `; ${reading.note}`;
	return `${staleText(rule, reading.ageMs)}${why}`;
}

/** Why a reading is not usable, or `undefined` when it is. */
function unusable(rule: SloRule, reading: Reading): string | undefined {
	if (reading.note !== undefined) {
		return reading.note;
	}

	if (reading.samples === 0) {
		return 'empty window';
	}

	if (reading.ageMs === null) {
		return 'no sample timestamp';
	}

	if (!(reading.ageMs <= rule.maxAgeMs)) {
		return staleText(rule, reading.ageMs);
	}

	if (!Number.isFinite(reading.value)) {
		return `value is ${String(reading.value)}`;
	}

	if (!(reading.samples >= rule.minSamples)) {
		return `too few samples (${reading.samples} < ${rule.minSamples})`;
	}

	return undefined;
}

function holds(value: number, op: SloRule['op'], threshold: number): boolean {
	switch (op) {
		case '<': {
			return value < threshold;
		}

		case '<=': {
			return value <= threshold;
		}

		default: {
			const _never: never = op;
			return Boolean(_never);
		}
	}
}

/** V2 against V1 for a rule with `compare`; the aggregate's own minimum is not the judge's (it counts per variant). */
function compareRule(rule: SloRule, reading: Reading, why: string | undefined): Comparison | undefined {
	const settings = compareSettingsOf(rule);
	if (!settings || rule.source.kind !== 'probe') return undefined;
	const metric = comparedMetricOf(rule.source.stat)!;
	const blocking = why !== undefined && !why.startsWith('too few samples') ? why : undefined;
	return judgeWindow(metric, rule.source.stat, reading.window, settings, probeStatValue, blocking);
}

/**
 * One rule over its window at `now`. PASS only on finite, fresh data with at
 * least `minSamples`; BREACH when usable data fails `op`; NO_DATA otherwise,
 * with a note. A rule with `onNoData: 'fail'` reports no data as BREACH (the
 * note says so), so it counts toward the sustained-breach trigger.
 */
export function evaluateRule(rule: SloRule, inputs: RuleInputs, now: number, windowsMs?: Plan['windowsMs']): RuleResult {
	const reading = readRule(rule, inputs, now);
	const stale = staleness(rule, reading);
	const why = stale ?? unusable(rule, reading);
	const comparison = compareRule(rule, reading, why);
	const base = {
		ruleId: rule.id,
		label: rule.label,
		value: reading.value,
		threshold: rule.threshold,
		op: rule.op,
		unit: rule.unit,
		window: rule.window,
		...planWindowMs(windowsMs, rule.window),
		samples: reading.samples,
		ageMs: reading.ageMs,
		source: reading.source,
		...(comparison ? {comparison} : {}),
	};
	if (why !== undefined) {
		return rule.onNoData === 'fail'
			? {...base, status: 'BREACH', note: `no data counts as breach (onNoData: fail): ${why}`}
			: {...base, status: stale ? 'STALE' : 'NO_DATA', note: why};
	}

	return {...base, status: holds(reading.value, rule.op, rule.threshold) ? 'PASS' : 'BREACH'};
}

/** Every SLO rule of the plan, in plan order. */
export function evaluateRules(plan: Plan, inputs: RuleInputs, now: number): RuleResult[] {
	return plan.slos.map((rule) => evaluateRule(rule, inputs, now, plan.windowsMs));
}
