/**
 * Property-based tests of the decision core: raw measurements (NaN, ±Infinity,
 * empty and stale windows, flapping values, source errors, alarms) go through
 * `buildCheckInput` and `reduceCanary`, interleaved with operator events and
 * flag-write outcomes. An independent oracle, written from the runbooks' rules and
 * the generator's own knowledge of what it produced, says when a promotion is
 * allowed and when a rollback is due; the machine must agree at every step.
 */
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {initialCanaryState, reduceCanary} from '../source/core/canary-machine.js';
import type {CanaryEffect, CanaryEvent, CanaryState} from '../source/core/canary-types.js';
import {buildCheckInput} from '../source/core/check-input.js';
import type {CloudWatchSnapshot, ProbeSnapshot} from '../source/core/measurements.js';
import {evaluateRule} from '../source/core/rules.js';
import type {Plan, SloRule} from '../source/core/plan-types.js';
import {greenInput, minute, probeSnapshot, seedPlan, t0} from './helpers/plan-fixture.js';

// The StatusBoardV2 plan with its durations compressed to a few check intervals (as the demo does), so
// short scenarios reach every stage; the exact run-sheet boundaries are in the table tests.
const seed = seedPlan();
const compressedPlan = seedPlan({
	canary: {...seed.canary, stageDurationMs: 3 * minute, stabilizationMs: 5 * minute},
	triggers: {...seed.triggers, sloBreachForMs: 4 * minute},
});
const plan = compressedPlan;
/** Scenarios for the main property; raise it locally (`GOLIVE_PROPERTY_RUNS=100000`) for a deeper search. */
const propertyRuns = Math.max(10_000, Number(process.env.GOLIVE_PROPERTY_RUNS ?? 0) || 0);
const interval = plan.canary.checkIntervalMs;
const maxAge = 3 * minute;

// ---------------------------------------------------------------- generators

const qualities = ['good', 'few', 'empty', 'stale', 'nan', 'posinf', 'neginf', 'invalid', 'missing'] as const;
type Quality = (typeof qualities)[number];
type ProbeRaw = {q: Quality; value: number; r1: number; r5: number; e1: number; e5: number; ageMs: number};
type CwRaw = {
	state: 'ok' | 'error' | 'degraded';
	status: 'Complete' | 'PartialData';
	value: number;
	ageMs: number;
	present: boolean;
	alarm: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
	missing: boolean;
};
type RawCheck = {board: ProbeRaw; drawer: ProbeRaw; move: ProbeRaw; cw: CwRaw};

const finite = (min: number, max: number) => fc.double({min, max, noNaN: true, noDefaultInfinity: true});

function healthyProbe(value: fc.Arbitrary<number>): fc.Arbitrary<ProbeRaw> {
	return fc.record({
		q: fc.constant<Quality>('good'),
		value,
		r1: fc.integer({min: 250, max: 400}),
		r5: fc.integer({min: 1250, max: 2000}),
		e1: fc.integer({min: 0, max: 2}),
		e5: fc.integer({min: 0, max: 10}),
		ageMs: fc.integer({min: 0, max: 30_000}),
	});
}

function anyProbe(boundaries: number[], max: number): fc.Arbitrary<ProbeRaw> {
	return fc
		.record({
			q: fc.constantFrom(...qualities),
			value: fc.oneof(fc.constantFrom(...boundaries), finite(0, max)),
			r1: fc.oneof(fc.constantFrom(0, 1, 19, 20, 100), fc.integer({min: 0, max: 400})),
			r5: fc.oneof(fc.constantFrom(0, 1, 19, 20, 1000), fc.integer({min: 0, max: 2000})),
			e1: fc.oneof(fc.constantFrom(0, 1, 3, 4, 7, 100), fc.integer({min: 0, max: 400})),
			e5: fc.oneof(fc.constantFrom(0, 10, 15, 40), fc.integer({min: 0, max: 2000})),
			ageMs: fc.oneof(fc.constantFrom(0, maxAge, maxAge + 1), fc.integer({min: 0, max: 15 * minute})),
		})
		.map((p) => ({...p, e1: Math.min(p.e1, p.r1), e5: Math.min(p.e5, p.r5)}));
}

const healthyCw: fc.Arbitrary<CwRaw> = fc.record({
	state: fc.constant('ok' as const),
	status: fc.constant('Complete' as const),
	value: finite(50, 999),
	ageMs: fc.integer({min: 0, max: 2 * minute}),
	present: fc.constant(true),
	alarm: fc.constant('OK' as const),
	missing: fc.constant(false),
});

const anyCw: fc.Arbitrary<CwRaw> = fc.record({
	state: fc.constantFrom('ok', 'ok', 'error', 'degraded'),
	status: fc.constantFrom('Complete', 'Complete', 'PartialData'),
	value: fc.oneof(fc.constantFrom(999, 1000, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY), finite(0, 3000)),
	ageMs: fc.oneof(fc.constantFrom(maxAge, maxAge + 1), fc.integer({min: 0, max: 10 * minute})),
	present: fc.boolean(),
	alarm: fc.constantFrom('OK', 'OK', 'ALARM', 'INSUFFICIENT_DATA'),
	missing: fc.boolean(),
});

const healthyCheck: fc.Arbitrary<RawCheck> = fc.record({
	board: healthyProbe(fc.oneof(fc.constant(799), finite(50, 799.99))),
	drawer: healthyProbe(fc.oneof(fc.constant(199), finite(5, 199.99))),
	move: healthyProbe(fc.integer({min: 0, max: 29})),
	cw: healthyCw,
});

/** Mostly healthy with one thing wrong: the usual shape of a flapping launch. */
const oneFault: fc.Arbitrary<RawCheck> = fc
	.tuple(healthyCheck, fc.constantFrom('board', 'drawer', 'move', 'cw'), anyProbe([799, 800, 801, 1999, 2000, 2001, 199, 200, 29, 30], 3000), anyCw)
	.map(([check, which, probe, cw]) => (which === 'cw' ? {...check, cw} : {...check, [which]: probe}));

const anyCheck: fc.Arbitrary<RawCheck> = fc.record({
	board: anyProbe([799, 800, 801, 1999, 2000, 2001], 3000),
	drawer: anyProbe([199, 200, 201], 400),
	move: anyProbe([29, 30, 31], 60).map((p) => ({...p, value: Math.round(p.value)})),
	cw: anyCw,
});

/** Every source down at once (probe worker gone, CloudWatch unreachable): nothing is known. */
const blackout: fc.Arbitrary<RawCheck> = fc
	.tuple(
		anyCheck,
		fc.constantFrom<Quality>('empty', 'stale', 'missing'),
		fc.constantFrom<Quality>('empty', 'stale', 'missing'),
		fc.constantFrom<Quality>('empty', 'stale', 'missing'),
	)
	.map(([c, b, d, m]) => ({board: {...c.board, q: b}, drawer: {...c.drawer, q: d}, move: {...c.move, q: m}, cw: {...c.cw, state: 'error' as const}}));

type Step =
	| {kind: 'check'; dt: number; raw: RawCheck}
	| {kind: 'pick'; dt: number; pool: 'healthy' | 'faulty'; index: number}
	| {kind: 'op'; dt: number; op: 'start' | 'promote' | 'pause' | 'resume' | 'emergency' | 'full' | 'rearm'}
	| {kind: 'confirm'; dt: number}
	| {kind: 'fail'; dt: number}
	| {kind: 'wrong_readback'; dt: number; percent: number}
	| {kind: 'external'; dt: number; percent: number};

const checkDt = fc.oneof(
	{arbitrary: fc.constant(interval), weight: 12},
	{arbitrary: fc.constantFrom(0, 1000, interval - 1, interval + 1, 2 * interval, 2 * interval + 1, 5 * minute, 11 * minute, -1000), weight: 1},
);
const eventDt = fc.constantFrom(0, 1, 500, 5000);

function stepArb(calm: boolean): fc.Arbitrary<Step> {
	const pick = (pool: 'healthy' | 'faulty') => fc.record({kind: fc.constant('pick' as const), dt: checkDt, pool: fc.constant(pool), index: fc.nat(7)});
	const ops = calm
		? fc.constantFrom('start', 'start', 'promote', 'pause', 'resume', 'resume', 'rearm', 'rearm')
		: fc.constantFrom('start', 'promote', 'promote', 'pause', 'resume', 'emergency', 'full', 'rearm', 'rearm');
	return fc.oneof(
		{arbitrary: pick('healthy'), weight: calm ? 60 : 20},
		{arbitrary: pick('faulty'), weight: calm ? 3 : 20},
		{arbitrary: fc.record({kind: fc.constant('op' as const), dt: eventDt, op: ops}), weight: calm ? 3 : 6},
		{arbitrary: fc.record({kind: fc.constant('op' as const), dt: eventDt, op: fc.constantFrom('emergency', 'full')}), weight: calm ? 0 : 1},
		{arbitrary: fc.record({kind: fc.constant('confirm' as const), dt: eventDt}), weight: 12},
		{arbitrary: fc.record({kind: fc.constant('fail' as const), dt: eventDt}), weight: 1},
		{arbitrary: fc.record({kind: fc.constant('wrong_readback' as const), dt: eventDt, percent: fc.constantFrom(0, 10, 30, 50, 100, 7)}), weight: calm ? 0 : 1},
		{arbitrary: fc.record({kind: fc.constant('external' as const), dt: eventDt, percent: fc.constantFrom(0, 10, 30, 50, 100)}), weight: calm ? 0 : 1},
	);
}

type Scenario = {healthy: RawCheck[]; faulty: RawCheck[]; steps: Step[]};

/**
 * A scenario draws its checks from small pools of healthy and faulty
 * measurements (cheap to generate, and re-picking makes values flap); calm
 * scenarios are long and mostly green so they reach the late stages, chaotic
 * ones are short and full of faults and key presses.
 */
const scenarioArb: fc.Arbitrary<Scenario> = fc
	.record({
		healthy: fc.array(healthyCheck, {minLength: 1, maxLength: 4}),
		faulty: fc.array(fc.oneof(oneFault, anyCheck, blackout), {minLength: 1, maxLength: 6}),
		calm: fc.boolean(),
	})
	.chain(({healthy, faulty, calm}) =>
		fc.array(stepArb(calm), {minLength: calm ? 30 : 5, maxLength: calm ? 100 : 40, size: 'max'}).map((steps) => ({healthy, faulty, steps})),
	);

// ---------------------------------------------------------------- raw → measurements

function statFor(q: Quality, value: number): number {
	return q === 'nan' ? Number.NaN : q === 'posinf' ? Number.POSITIVE_INFINITY : q === 'neginf' ? Number.NEGATIVE_INFINITY : value;
}

function toSnapshot(id: 'board' | 'drawer' | 'move', p: ProbeRaw, now: number): ProbeSnapshot | null {
	if (p.q === 'missing') {
		return null;
	}

	const empty = p.q === 'empty';
	const ageMs = p.q === 'stale' ? maxAge + 1 + p.ageMs : p.ageMs;
	const lastSampleAt = empty ? null : now - ageMs;
	const v = empty ? Number.NaN : statFor(p.q, p.value);
	const latencyMs = id === 'board' ? {p95: v} : id === 'drawer' ? {mean: v} : {};
	const conflicts = id === 'move' ? v : 0;
	const r1 = empty ? 0 : p.q === 'few' ? Math.min(Math.max(p.r1, 1), 19) : p.r1;
	const r5 = empty ? 0 : p.q === 'few' ? Math.min(Math.max(p.r5, 1), 19) : p.r5;
	const e1 = Math.min(p.e1, r1);
	const e5 = Math.min(p.e5, r5);
	return probeSnapshot(
		id,
		now,
		{requests: r1, errors: e1, conflicts, latencyMs, lastSampleAt},
		{requests: r5, errors: e5, conflicts, latencyMs, lastSampleAt},
		p.q !== 'invalid',
	);
}

function toCloudWatch(c: CwRaw, now: number): CloudWatchSnapshot {
	return {
		at: now,
		state:
			c.state === 'ok'
				? {kind: 'ok'}
				: c.state === 'error'
					? {kind: 'error', code: 'expired_token', message: 'ExpiredToken'}
					: {kind: 'degraded', why: 'throttled', retryInMs: 5000},
		metrics: c.present ? [{id: 'api_p95', label: 'API p95', value: c.value, timestamp: now - c.ageMs, statusCode: c.status}] : [],
		alarms: c.missing ? [] : [{name: 'sb-5xx', state: c.alarm, reason: 'x', updatedAt: now - 1000}],
		missingAlarms: c.missing ? ['sb-5xx'] : [],
		callsLastHour: 1,
		lastSuccessAt: now,
	};
}

function measurements(raw: RawCheck, now: number) {
	const probes = [toSnapshot('board', raw.board, now), toSnapshot('drawer', raw.drawer, now), toSnapshot('move', raw.move, now)].filter(
		(p): p is ProbeSnapshot => p !== null,
	);
	return {probes, cloudwatch: toCloudWatch(raw.cw, now)};
}

// ---------------------------------------------------------------- the oracle

type Status = 'PASS' | 'BREACH' | 'NO_DATA';

/** Effective request counts as toSnapshot builds them. */
function counts(p: ProbeRaw) {
	if (p.q === 'empty' || p.q === 'missing') {
		return {r1: 0, r5: 0, e1: 0, e5: 0};
	}

	const r1 = p.q === 'few' ? Math.min(Math.max(p.r1, 1), 19) : p.r1;
	const r5 = p.q === 'few' ? Math.min(Math.max(p.r5, 1), 19) : p.r5;
	return {r1, r5, e1: Math.min(p.e1, r1), e5: Math.min(p.e5, r5)};
}

/**
 * A probe rule: usable only when the generator made a fresh, valid, finite window with enough
 * samples. `latencyStat`: the nan/±inf qualities corrupt the latency stat; an error rate stays real.
 */
function probeRule(p: ProbeRaw, minSamples: number, value: number, threshold: number, latencyStat = true): Status {
	const {r5} = counts(p);
	const corrupted = p.q === 'nan' || p.q === 'posinf' || p.q === 'neginf';
	const fresh = p.q === 'good' || p.q === 'few' || (!latencyStat && corrupted);
	const usable = fresh && p.ageMs <= maxAge && r5 >= minSamples && r5 > 0 && Number.isFinite(value);
	if (!usable) {
		return 'NO_DATA';
	}

	return value < threshold ? 'PASS' : 'BREACH';
}

function oracleRules(raw: RawCheck): Record<string, Status> {
	const c = raw.cw;
	const cwUsable = c.state === 'ok' && c.present && c.status === 'Complete' && c.ageMs <= maxAge && Number.isFinite(c.value);
	const b = counts(raw.board);
	return {
		board_p95: probeRule(raw.board, 20, raw.board.value, 800),
		drawer_avg: probeRule(raw.drawer, 20, raw.drawer.value, 200),
		error_rate: probeRule(raw.board, 20, b.r5 > 0 ? b.e5 / b.r5 : Number.NaN, 0.01, false),
		occ_conflicts: probeRule(raw.move, 1, raw.move.value, 30),
		api_p95: cwUsable ? (c.value < 1000 ? 'PASS' : 'BREACH') : 'NO_DATA',
	};
}

/** Blended 1m error rate over fresh probes with requests; NaN when none. */
function oracleErrorRate(raw: RawCheck): number {
	let r = 0;
	let e = 0;
	for (const p of [raw.board, raw.drawer, raw.move]) {
		const c = counts(p);
		if (p.q !== 'stale' && p.q !== 'empty' && p.q !== 'missing' && p.ageMs <= maxAge && c.r1 > 0) {
			r += c.r1;
			e += c.e1;
		}
	}

	return r > 0 ? e / r : Number.NaN;
}

function oracleLatency(raw: RawCheck): number {
	const p = raw.board;
	const known = (p.q === 'good' || p.q === 'few' || p.q === 'invalid') && p.ageMs <= maxAge && counts(p).r1 > 0;
	return known ? p.value : Number.NaN;
}

type Oracle = {
	green: boolean;
	errorRate: number;
	latency: number;
	alarm: boolean;
	rules: Record<string, Status>;
};

function oracle(raw: RawCheck, p: Plan): Oracle {
	const rules = oracleRules(raw);
	const errorRate = oracleErrorRate(raw);
	const latency = oracleLatency(raw);
	const alarmsClean = raw.cw.state === 'ok' && !raw.cw.missing && raw.cw.alarm === 'OK';
	const green = Object.values(rules).every((s) => s === 'PASS') && errorRate <= Math.min(p.canary.abort.errorRate, 0.02) && latency <= 2000 && alarmsClean;
	return {green, errorRate, latency, alarm: !raw.cw.missing && raw.cw.alarm === 'ALARM', rules};
}

/** A canary live at its first stage, flag confirmed, at t0. */
function feedLive(p: Plan): CanaryState {
	let state = initialCanaryState();
	for (const event of [
		{type: 'check', input: greenInput(p, t0 - 2)},
		{type: 'start', at: t0 - 1},
		{type: 'flag_confirmed', at: t0, percent: p.canary.stages[0]!},
	] as CanaryEvent[]) {
		state = reduceCanary(p, state, event).state;
	}

	return state;
}

// ---------------------------------------------------------------- the run

type Tracker = {
	now: number;
	lastCheckAt: number | null;
	lastCheckGreen: boolean;
	runStart: number | null;
	burst: number;
	breachSince: Record<string, number>;
	disarmed: boolean;
	/** Upward flag write asked for and not yet resolved. */
	pendingUp: number | null;
};

const coverage = {scenarios: 0, steps: 0, autoPromotions: 0, manualPromotions: 0, stabilizing: 0, succeeded: 0, autoRollbacks: 0, deepestStage: 0};

function expected(state: CanaryState): number {
	const p = state.phase;
	return p.kind === 'stage' ? p.percent : p.kind === 'stabilizing' || p.kind === 'succeeded' ? 100 : 0;
}

function live(state: CanaryState): boolean {
	return state.phase.kind === 'stage' || state.phase.kind === 'stabilizing' || (state.phase.kind === 'pre' && state.pending?.purpose === 'start');
}

function upward(before: CanaryState, effects: CanaryEffect[]): number[] {
	const from = expected(before);
	return effects.flatMap((e) => (e.kind === 'set_flag' && e.percent > from ? [e.percent] : []));
}

function toEvent(step: Step, state: CanaryState, at: number): CanaryEvent | null {
	switch (step.kind) {
		case 'check':
		case 'pick': {
			return null;
		}

		case 'op': {
			switch (step.op) {
				case 'start': {
					return {type: 'start', at};
				}

				case 'promote': {
					return {type: 'promote', at, by: 'operator'};
				}

				case 'pause':
				case 'resume':
				case 'rearm': {
					return {type: step.op, at};
				}

				case 'emergency':
				case 'full': {
					return {type: 'rollback', at, rollback: step.op, reason: 'operator', by: 'operator'};
				}

				default: {
					const _never: never = step.op;
					return _never;
				}
			}
		}

		case 'confirm': {
			return state.pending ? {type: 'flag_confirmed', at, percent: state.pending.percent} : null;
		}

		case 'fail': {
			return state.pending ? {type: 'action_failed', at, action: 'set_flag', detail: 'HTTP 503'} : null;
		}

		case 'wrong_readback': {
			return {type: 'flag_confirmed', at, percent: step.percent};
		}

		case 'external': {
			return {type: 'external_change', at, observedPercent: step.percent};
		}

		default: {
			const _never: never = step;
			return _never;
		}
	}
}

/** Runs one scenario; throws (with the step) at the first disagreement with the oracle. */
function runScenario(scenario: Scenario, plan: Plan = compressedPlan): void {
	const steps: Step[] = scenario.steps.map((step) => {
		if (step.kind !== 'pick') {
			return step;
		}

		const pool = step.pool === 'healthy' ? scenario.healthy : scenario.faulty;
		return {kind: 'check', dt: step.dt, raw: pool[step.index % pool.length]!};
	});
	let state = initialCanaryState();
	const t: Tracker = {now: t0, lastCheckAt: null, lastCheckGreen: false, runStart: null, burst: 0, breachSince: {}, disarmed: false, pendingUp: null};
	coverage.scenarios++;
	for (const [i, step] of steps.entries()) {
		coverage.steps++;
		t.now += step.dt;
		const at = t.now;
		const before = state;
		const where = () => `step ${i} (${step.kind}) at +${(at - t0) / 1000}s, phase ${before.phase.kind}`;
		let o: Oracle | null = null;
		let event: CanaryEvent | null;
		if (step.kind === 'check') {
			o = oracle(step.raw, plan);
			event = {type: 'check', input: buildCheckInput(plan, measurements(step.raw, at), at)};
		} else {
			event = toEvent(step, state, at);
		}

		if (!event) {
			continue;
		}

		const {state: after, effects} = reduceCanary(plan, state, event);
		state = after;
		const up = upward(before, effects);
		const rollbackWrite = effects.some((e) => e.kind === 'set_flag' && e.percent === 0);
		const advancedToG = before.phase.kind === 'stage' && after.phase.kind === 'stabilizing';
		const succeeded = before.phase.kind !== 'succeeded' && after.phase.kind === 'succeeded';
		const promoted = up.length > 0 || advancedToG || succeeded;

		// Rollback beats promote, always.
		if (rollbackWrite && up.length > 0) {
			throw new Error(`${where()}: rollback and promote in one step`);
		}

		if (up.length > 1) {
			throw new Error(`${where()}: more than one upward write`);
		}

		if (promoted && t.disarmed) {
			throw new Error(`${where()}: promoted while disarmed`);
		}

		if (o) {
			// Mirror of the spec's tracking, computed from the oracle's own verdicts.
			const wasLive = live(before);
			if (wasLive) {
				for (const [id, s] of Object.entries(o.rules)) {
					if (s === 'PASS') {
						delete t.breachSince[id];
					} else if (s === 'BREACH' && t.breachSince[id] === undefined) {
						t.breachSince[id] = at;
					}
				}

				t.burst = Number.isFinite(o.errorRate) ? (o.errorRate > 0.02 ? t.burst + 1 : 0) : t.burst;
			} else if (before.phase.kind === 'pre') {
				t.breachSince = {};
				t.burst = 0;
			}

			const gap = t.lastCheckAt === null || at < t.lastCheckAt || at - t.lastCheckAt > 2 * interval;
			t.runStart = o.green ? (gap || t.runStart === null ? at : t.runStart) : null;
			t.lastCheckAt = at;
			t.lastCheckGreen = o.green;

			const sustained = Object.values(t.breachSince).some((since) => at - since >= plan.triggers.sloBreachForMs);
			const trigger =
				o.alarm ||
				(Number.isFinite(o.errorRate) && o.errorRate > plan.canary.abort.errorRate) ||
				(Number.isFinite(o.latency) && o.latency > 2000) ||
				t.burst >= 3 ||
				sustained;
			if (wasLive && trigger) {
				if (!rollbackWrite || after.phase.kind !== 'rolled_back' || promoted) {
					throw new Error(
						`${where()}: missed rollback (alarm ${o.alarm}, error ${o.errorRate}, latency ${o.latency}, burst ${t.burst}, sustained ${sustained})`,
					);
				}

				coverage.autoRollbacks++;
			}

			if (wasLive && !trigger && rollbackWrite) {
				throw new Error(`${where()}: rollback with no trigger condition: ${after.lastDecision?.reason}`);
			}

			if (promoted) {
				const needed = before.phase.kind === 'stabilizing' ? plan.canary.stabilizationMs : plan.canary.stageDurationMs;
				if (!o.green || t.runStart === null || at - t.runStart < needed || before.paused || before.pending) {
					throw new Error(
						`${where()}: auto-promoted without ${needed / 1000}s of complete passing data (green ${o.green}, run from ${t.runStart === null ? 'none' : (t.runStart - t0) / 1000})`,
					);
				}

				coverage.autoPromotions++;
			}
		} else if (event.type === 'promote' || event.type === 'start') {
			if (promoted) {
				const recent = t.lastCheckAt !== null && at >= t.lastCheckAt && at - t.lastCheckAt <= 2 * interval;
				if (!t.lastCheckGreen || !recent || succeeded) {
					throw new Error(`${where()}: operator promote accepted on a non-green or old check`);
				}

				coverage.manualPromotions++;
			}
		} else if (promoted) {
			throw new Error(`${where()}: ${event.type} promoted`);
		}

		if (up.length === 1) {
			t.pendingUp = up[0]!;
		}

		if (rollbackWrite || after.phase.kind === 'aborted') {
			t.disarmed = true;
			t.pendingUp = null;
		}

		if (event.type === 'rearm' && after.phase.kind === 'pre') {
			t.disarmed = false;
		}

		// Entering a higher stage only on the read-back of a write that was asked for.
		const entered = after.phase.kind === 'stage' && (before.phase.kind !== 'stage' || after.phase.index !== before.phase.index) ? after.phase.percent : null;
		const enteredHigher = entered !== null;
		if (entered !== null) {
			// An outside read showing exactly the percent asked for is a read-back too.
			if (t.disarmed || (event.type !== 'flag_confirmed' && event.type !== 'external_change') || t.pendingUp !== entered) {
				throw new Error(`${where()}: entered a stage without a confirmed promote`);
			}

			t.pendingUp = null;
			coverage.deepestStage = Math.max(coverage.deepestStage, entered);
		}

		if (enteredHigher || advancedToG) {
			t.runStart = null;
		}

		if (advancedToG) {
			coverage.stabilizing++;
		}

		if (succeeded) {
			coverage.succeeded++;
		}

		if (!state.pending && t.pendingUp !== null && event.type !== 'check') {
			// The promote write failed or was refused on read-back.
			t.pendingUp = null;
		}
	}
}

describe('canary machine properties (fast-check)', () => {
	it(
		'never promotes without complete passing data, never misses a rollback (10,000 scenarios)',
		() => {
			fc.assert(
				fc.property(scenarioArb, (scenario) => {
					runScenario(scenario);
				}),
				{numRuns: propertyRuns},
			);
			// The scenarios must actually reach the states the properties are about.
			console.error(`[core-properties] ${JSON.stringify(coverage)}`);
			expect(coverage.autoPromotions).toBeGreaterThan(500);
			expect(coverage.manualPromotions).toBeGreaterThan(100);
			expect(coverage.autoRollbacks).toBeGreaterThan(500);
			expect(coverage.stabilizing).toBeGreaterThan(0);
			expect(coverage.deepestStage).toBe(100);
		},
		Math.max(60_000, propertyRuns * 6),
	);

	it('with the canary error abort off, the 2 % × 3 error burst is what rolls back (1,000 scenarios)', () => {
		const lax = seedPlan({...compressedPlan, canary: {...compressedPlan.canary, abort: {...compressedPlan.canary.abort, errorRate: 1}}});
		fc.assert(
			fc.property(scenarioArb, (scenario) => {
				runScenario(scenario, lax);
			}),
			{numRuns: 1000},
		);
	});

	it('a long healthy run with prompt read-backs reaches success', () => {
		// Deterministic anchor for the generator above: start, confirm, then green checks.
		const sample = fc.sample(healthyCheck, {numRuns: 100, seed: 42});
		const steps: Step[] = [
			{kind: 'check', dt: 0, raw: sample[0]!},
			{kind: 'op', dt: 1, op: 'start'},
			{kind: 'confirm', dt: 1},
		];
		for (let i = 0; i < 40; i++) {
			steps.push({kind: 'check', dt: interval, raw: sample[i % sample.length]!}, {kind: 'confirm', dt: 1});
		}

		const before = coverage.succeeded;
		runScenario({healthy: [], faulty: [], steps});
		expect(coverage.succeeded).toBe(before + 1);
	});
});

describe('trigger tracking properties (fast-check)', () => {
	// Canary error abort off so the burst and the sustained breach are the only triggers in play.
	const lax = seedPlan({...compressedPlan, canary: {...compressedPlan.canary, abort: {...compressedPlan.canary.abort, errorRate: 1}}});
	const checkArb = fc.record({
		board: fc.constantFrom<Status>('PASS', 'BREACH', 'NO_DATA'),
		errorRate: fc.constantFrom(0.001, 0.02, 0.0201, 0.5, Number.NaN, Number.POSITIVE_INFINITY),
	});

	it('rolls back at exactly the check where the burst count reaches 3 or a breach reaches its limit, NO_DATA never clearing either (5,000 sequences)', () => {
		fc.assert(
			fc.property(fc.array(checkArb, {minLength: 1, maxLength: 30}), (checks) => {
				let state = feedLive(lax);
				let burst = 0;
				let since: number | null = null;
				for (const [i, c] of checks.entries()) {
					const at = t0 + (i + 1) * interval;
					const input = greenInput(lax, at, {errorRate: c.errorRate});
					input.rules = input.rules.map((r) => (r.ruleId === 'board_p95' ? {...r, status: c.board} : r));
					burst = Number.isFinite(c.errorRate) ? (c.errorRate > 0.02 ? burst + 1 : 0) : burst;
					since = c.board === 'PASS' ? null : c.board === 'BREACH' && since === null ? at : since;
					const due = burst >= 3 || (since !== null && at - since >= lax.triggers.sloBreachForMs);
					const step = reduceCanary(lax, state, {type: 'check', input});
					expect(step.state.phase.kind === 'rolled_back', `check ${i}: burst ${burst}, breach since ${since}`).toBe(due);
					if (due) {
						expect(step.effects.filter((e) => e.kind === 'set_flag').map((e) => (e.kind === 'set_flag' ? e.percent : -1))).toEqual([0]);
						return;
					}

					state = step.state;
				}
			}),
			{numRuns: 5000},
		);
	});
});

describe('rule evaluation properties (fast-check)', () => {
	const rule: SloRule = plan.slos[0]!;
	it('PASS only on finite, fresh data with enough samples that satisfies op (10,000 cases)', () => {
		fc.assert(
			fc.property(anyProbe([799, 800, 801], 3000), fc.constantFrom<SloRule['op']>('<', '<='), (raw, op) => {
				const r = evaluateRule({...rule, op}, {probes: [toSnapshot('board', raw, t0)].filter((p): p is ProbeSnapshot => p !== null), cloudwatch: null}, t0);
				const expectPass =
					probeRule(raw, 20, raw.value, op === '<' ? 800 : Number.POSITIVE_INFINITY) !== 'NO_DATA' && (op === '<' ? raw.value < 800 : raw.value <= 800);
				expect(r.status === 'PASS').toBe(expectPass);
				if (r.status === 'NO_DATA') {
					expect(r.note).toBeTruthy();
				}

				if (r.status === 'PASS') {
					expect(Number.isFinite(r.value) && r.samples >= 20 && r.ageMs !== null && r.ageMs <= rule.maxAgeMs).toBe(true);
				}
			}),
			{numRuns: 10_000},
		);
	});
});
