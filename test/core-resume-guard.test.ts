/**
 * A launch resumed at a stage (restart on an unfinished journal): its rollback
 * triggers stay armed, it never promotes by itself, and headless its watch ends
 * (inconclusive) when the stage held its green soak or after the bound.
 */
import {describe, expect, it} from 'vitest';
import {initialCanaryState, reduceCanary} from '../source/core/canary-machine.js';
import type {CanaryEvent, CanaryState} from '../source/core/canary-types.js';
import {initialLaunchState} from '../source/core/pre-launch.js';
import {guardsResumedStage} from '../source/core/resume-guard.js';
import {feedCanary} from './helpers/canary-feed.js';
import {greenInput, minute, seedPlan, t0} from './helpers/plan-fixture.js';

const plan = seedPlan();
const check = (at: number, overrides = {}): CanaryEvent => ({type: 'check', input: greenInput(plan, at, overrides)});
const greenRun = (from: number, count: number): CanaryEvent[] => Array.from({length: count}, (_, i) => check(from + i * minute));

/** Restarted with the flag reading 30 %; `endAfterMs` null is the console. */
function resumed(endAfterMs: number | null): CanaryState {
	return initialLaunchState(plan, initialCanaryState(), {
		autoStart: false,
		startedAt: t0,
		preLaunchTimeoutMs: endAfterMs,
		resumeAtPercent: 30,
		resumeWatchMs: endAfterMs,
	});
}

describe('resume keeps guarding', () => {
	it('resumes at the stage the flag reads, paused, with a guard; only plan stages above 0 % are guarded', () => {
		const s = resumed(null);
		expect(s.phase).toMatchObject({kind: 'stage', percent: 30, index: 1});
		expect(s.paused).toBe(true);
		expect(s.resumeGuard).toEqual({percent: 30, since: t0, endAfterMs: null});
		expect(guardsResumedStage(plan, 30)).toBe(true);
		expect(guardsResumedStage(plan, 0)).toBe(false);
		expect(guardsResumedStage(plan, 25)).toBe(false);
		expect(guardsResumedStage(plan, null)).toBe(false);
	});

	it.each([
		['console', null],
		['headless', 10 * minute],
	] as const)('%s: a trigger firing rolls back to 0 % at once (triggers armed while paused)', (_, endAfterMs) => {
		const step = feedCanary(plan, resumed(endAfterMs), [check(t0 + 1000), check(t0 + 2000, {errorRate: 0.2, errorRateSamples: 900, errorRateAgeMs: 1000})]);
		expect(step.effects).toContainEqual(expect.objectContaining({kind: 'set_flag', purpose: 'emergency_rollback', percent: 0}));
		expect(step.state.phase.kind).toBe('rolled_back');
		expect(step.state.lastDecision).toMatchObject({kind: 'rollback', fromPercent: 30, toPercent: 0});
		expect(step.state.resumeGuard).toBeNull();
		expect(step.effects.some((e) => e.kind === 'give_up')).toBe(false);
	});

	it('console: a stage green far past its soak never promotes by itself and never ends the watch', () => {
		const step = feedCanary(plan, resumed(null), greenRun(t0 + 1000, 40));
		expect(step.effects).toEqual([]);
		expect(step.state.phase).toMatchObject({kind: 'stage', percent: 30});
		expect(step.state.lastDecision?.reason).toMatch(/resumed after a restart: rollback triggers armed, nothing promotes until the operator does/);
	});

	it('headless: the watch ends inconclusive (give_up, no write) once the stage held its full green soak', () => {
		const nine = feedCanary(plan, resumed(60 * minute), greenRun(t0 + 1000, 10));
		expect(nine.effects).toEqual([]);
		const ten = reduceCanary(plan, nine.state, check(t0 + 1000 + 10 * minute));
		expect(ten.effects).toHaveLength(1);
		expect(ten.effects[0]).toMatchObject({kind: 'give_up'});
		const reason = (ten.effects[0] as {reason: string}).reason;
		expect(reason).toMatch(/Resumed at 30 % after a restart: the 30 % stage held 10:00 of continuous green with every rollback trigger armed/);
		expect(reason).toMatch(/never promotes a resumed launch by itself: the flag stays at 30 %/);
	});

	it('headless: a stage that never holds green ends after the bound, not before', () => {
		const red = {errorRate: 0.006, errorRateSamples: 900};
		// Above the SLO (holds) but below the abort threshold: no rollback, no green.
		const before = feedCanary(
			plan,
			resumed(5 * minute),
			Array.from({length: 5}, (_, i) => check(t0 + i * minute, red)),
		);
		expect(before.effects.filter((e) => e.kind !== 'announce')).toEqual([]);
		expect(before.state.phase.kind).toBe('stage');
		const after = reduceCanary(plan, before.state, check(t0 + 5 * minute, red));
		expect(after.effects).toContainEqual(expect.objectContaining({kind: 'give_up', reason: expect.stringMatching(/watched 5:00 .* did not hold green/)}));
	});

	it('the operator ends the guard: a promote goes (and later stages wait for the operator), a refused one keeps it', () => {
		const green = feedCanary(plan, resumed(60 * minute), greenRun(t0 + 1000, 3)).state;
		const refused = reduceCanary(plan, green, {type: 'promote', at: t0 + 2 * minute + 2000, by: 'operator'});
		// The stage has not held its soak: refused without SKIP, still guarded.
		expect(refused.effects).toEqual([]);
		expect(refused.state.resumeGuard).not.toBeNull();
		const skipped = reduceCanary(plan, green, {type: 'promote', at: t0 + 2 * minute + 2000, by: 'operator', skip: true});
		expect(skipped.effects).toContainEqual(expect.objectContaining({kind: 'set_flag', purpose: 'promote', percent: 50}));
		expect(skipped.state.resumeGuard).toBeNull();
		const confirmed = reduceCanary(plan, skipped.state, {type: 'flag_confirmed', at: t0 + 3 * minute, percent: 50, requested: 50});
		// No longer the resumed stage: a headless run goes on like any manual launch, no give_up at 50 %.
		const later = feedCanary(plan, confirmed.state, greenRun(t0 + 4 * minute, 12));
		expect(later.effects.some((e) => e.kind === 'give_up' || e.kind === 'set_flag')).toBe(false);
	});
});
