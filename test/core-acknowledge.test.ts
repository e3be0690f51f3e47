/**
 * Acknowledging a flag change made outside golive, a separate decision from
 * re-arming: the launch goes on from the value the flag reads now. A manual
 * 0 % stays at 0 % until the operator starts the canary again (never an
 * automatic promotion); a stage starts its soak over with its triggers armed.
 */
import {describe, expect, it} from 'vitest';
import {acknowledgeSummary} from '../source/core/acknowledge.js';
import {initialCanaryState, reduceCanary} from '../source/core/canary-machine.js';
import type {CanaryEvent, CanaryState} from '../source/core/canary-types.js';
import {feedCanary} from './helpers/canary-feed.js';
import {greenInput, minute, seedPlan, t0} from './helpers/plan-fixture.js';

const plan = seedPlan();
const check = (at: number, overrides = {}): CanaryEvent => ({type: 'check', input: greenInput(plan, at, overrides)});
const greenRun = (from: number, count: number): CanaryEvent[] => Array.from({length: count}, (_, i) => check(from + i * minute));

/** An --auto launch at 10 %, green, when someone sets the flag to `to` by hand. */
function changedOutside(to: number): CanaryState {
	const policy = {autoStart: true, startedAt: t0, preLaunchTimeoutMs: null};
	const live = feedCanary(plan, {...initialCanaryState(), launchPolicy: policy}, [
		check(t0),
		{type: 'start', at: t0 + 1, by: 'auto'},
		{type: 'flag_confirmed', at: t0 + 2, percent: 10},
	]).state;
	const observed = reduceCanary(plan, live, {type: 'flag_observed', at: t0 + 3, percent: to});
	expect(observed.state.phase).toMatchObject({kind: 'aborted', outside: {from: 10, to}});
	expect(observed.state.armed).toBe(false);
	return observed.state;
}

const ack = (at: number, percent: number | null, readAt: number | null = at - 500): CanaryEvent => ({type: 'acknowledge', at, percent, readAt});

describe('acknowledge an outside flag change', () => {
	it('at 0 %: stays before the canary at 0 %, never starts by itself even with --auto and green checks; the operator starts it', () => {
		const acknowledged = reduceCanary(plan, changedOutside(0), ack(t0 + 10, 0));
		expect(acknowledged.effects).toEqual([]);
		expect(acknowledged.state.phase).toEqual({kind: 'pre'});
		expect(acknowledged.state.armed).toBe(true);
		expect(acknowledged.state.lastDecision?.reason).toMatch(/reads 0%; the launch stays at 0% before the canary and only the operator starts it again/);
		// --auto, gates never block here, every check green for an hour: no write.
		const waiting = feedCanary(plan, acknowledged.state, greenRun(t0 + minute, 60));
		expect(waiting.effects.some((e) => e.kind === 'set_flag')).toBe(false);
		const started = reduceCanary(plan, waiting.state, {type: 'promote', at: t0 + 60 * minute + 1, by: 'operator'});
		expect(started.effects).toContainEqual(expect.objectContaining({kind: 'set_flag', purpose: 'promote', percent: 10}));
	});

	it('at a stage: that stage, its soak started over at the acknowledgement, triggers armed, auto-advance as before', () => {
		const at = t0 + 10;
		const acknowledged = reduceCanary(plan, changedOutside(30), ack(at, 30));
		expect(acknowledged.effects).toEqual([]);
		expect(acknowledged.state.phase).toEqual({kind: 'stage', index: 1, percent: 30, enteredAt: at, greenSince: null});
		expect(acknowledged.state.armed).toBe(true);
		expect(acknowledged.state.paused).toBe(false);
		// Armed: a breach rolls back from 30 %.
		const breach = reduceCanary(plan, acknowledged.state, check(at + 1000, {errorRate: 0.2, errorRateSamples: 900, errorRateAgeMs: 1000}));
		expect(breach.effects).toContainEqual(expect.objectContaining({kind: 'set_flag', purpose: 'emergency_rollback', percent: 0}));
		// Green: the full soak from the acknowledgement, then 50 %.
		const nine = feedCanary(plan, acknowledged.state, greenRun(at + minute, 10));
		expect(nine.effects.some((e) => e.kind === 'set_flag')).toBe(false);
		const ten = reduceCanary(plan, nine.state, check(at + 11 * minute));
		expect(ten.effects[0]).toMatchObject({kind: 'set_flag', purpose: 'promote', percent: 50});
	});

	it.each([
		[
			'no outside change',
			() => reduceCanary(plan, initialCanaryState(), {type: 'rollback', at: t0, rollback: 'emergency', reason: 'x', by: 'operator'}).state,
			ack(t0 + 10, 0),
			/no flag change made outside golive is waiting/,
		],
		['an off-plan value', () => changedOutside(25), ack(t0 + 10, 25), /reads 25%, not a stage of the plan/],
		['no read', () => changedOutside(0), ack(t0 + 10, null, null), /has not been read/],
		['a stale read', () => changedOutside(0), ack(t0 + 10 * minute, 0, t0 + 3), /the last read of STATUS_BOARD_V2_ENABLED is .* old: wait for a fresh one/],
	] as const)('refused with %s: nothing changes, the reason is the decision', (_, state, event, why) => {
		const before = state();
		const step = reduceCanary(plan, before, event);
		expect(step.effects).toEqual([]);
		expect(step.state.phase).toBe(before.phase);
		expect(step.state.armed).toBe(before.armed);
		expect(step.state.lastDecision?.reason).toMatch(why);
	});

	it('re-arm is unchanged: back before the canary, auto-start allowed again', () => {
		const rearmed = reduceCanary(plan, changedOutside(0), {type: 'rearm', at: t0 + 10});
		expect(rearmed.state.phase).toEqual({kind: 'pre'});
		expect(rearmed.state.startByOperator).toBeUndefined();
		const waiting = feedCanary(plan, rearmed.state, greenRun(t0 + minute, 2));
		expect(waiting.effects).toContainEqual(expect.objectContaining({kind: 'set_flag', percent: 10}));
	});

	it('the console says what acknowledging does before it is sent', () => {
		const canary = changedOutside(0);
		const base = {flag: 'FLAG', stages: [10, 30, 50, 100], canary};
		expect(acknowledgeSummary({...base, flagObservation: {percent: 0, readAt: t0, outsideChange: null}})).toMatch(
			/at 0 %: the launch stays at 0 % and only p starts/,
		);
		expect(acknowledgeSummary({...base, flagObservation: {percent: 30, readAt: t0, outsideChange: null}})).toMatch(/stage 30 % with its soak started over/);
		expect(acknowledgeSummary({...base, canary: initialCanaryState(), flagObservation: {percent: 0, readAt: t0, outsideChange: null}})).toBeNull();
		// A write in flight: the reducer refuses, and the confirmation says so instead of promising the stage.
		const pending = {...base, canary: {...base.canary, pending: {percent: 0, purpose: 'rollback' as const, since: t0, attempts: 1}}};
		expect(acknowledgeSummary({...pending, flagObservation: {percent: 30, readAt: t0, outsideChange: null}})).toMatch(
			/a write to 0 % is in flight; golive will refuse/,
		);
	});
});
