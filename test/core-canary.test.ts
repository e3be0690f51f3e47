import {describe, expect, it} from 'vitest';
import {greenProgress, initialCanaryState, reduceCanary} from '../source/core/canary-machine.js';
import type {CanaryEvent, CanaryState} from '../source/core/canary-types.js';
import {greenInput, minute, seedPlan, t0} from './helpers/plan-fixture.js';
import {feedCanary} from './helpers/canary-feed.js';

const plan = seedPlan();

const feed = (state: CanaryState, events: CanaryEvent[]) => feedCanary(plan, state, events);

const check = (at: number, overrides = {}): CanaryEvent => ({type: 'check', input: greenInput(plan, at, overrides)});
/** Green checks every minute from `from` for `count` checks. */
const greenRun = (from: number, count: number): CanaryEvent[] => Array.from({length: count}, (_, i) => check(from + i * minute));

function started(): CanaryState {
	const s = feed(initialCanaryState(), [check(t0), {type: 'start', at: t0 + 1}, {type: 'flag_confirmed', at: t0 + 2, percent: 10}]).state;
	expect(s.phase).toMatchObject({kind: 'stage', index: 0, percent: 10, enteredAt: t0 + 2});
	return s;
}

describe('start', () => {
	it('asks for stages[0] and waits for the read-back before the stage clock starts', () => {
		const a = feed(initialCanaryState(), [check(t0)]);
		const b = reduceCanary(plan, a.state, {type: 'start', at: t0 + 1});
		expect(b.effects).toEqual([expect.objectContaining({kind: 'set_flag', percent: 10})]);
		expect(b.state.phase.kind).toBe('pre');
		expect(b.state.pending).toMatchObject({purpose: 'start', percent: 10});
		// Checks before the read-back never advance.
		const c = feed(b.state, greenRun(t0 + minute, 20));
		expect(c.effects).toEqual([]);
		expect(c.state.phase.kind).toBe('pre');
	});

	it('is refused with no check, a stale check, or a non-green check', () => {
		expect(reduceCanary(plan, initialCanaryState(), {type: 'start', at: t0}).state.lastDecision?.reason).toBe('Start refused: no check has run yet');
		const stale = feed(initialCanaryState(), [check(t0), {type: 'start', at: t0 + 3 * minute}]);
		expect(stale.effects).toEqual([]);
		expect(stale.state.lastDecision?.reason).toMatch(/last check is 3min old/);
		const red = feed(initialCanaryState(), [check(t0, {errorRate: Number.NaN}), {type: 'start', at: t0 + 1}]);
		expect(red.effects).toEqual([]);
		expect(red.state.lastDecision?.reason).toMatch(/error rate unknown/);
	});
});

describe('auto-advance', () => {
	it('walks 10→30→50→100 → Gate G → succeeded, each stage needing 10:00 of green', () => {
		let s = started();
		let at = t0 + minute;
		const messages: string[] = [];
		for (const percent of [10, 30, 50]) {
			// 10 checks: green from at to at + 9 min — 9:00 of green, not enough.
			const nine = feed(s, greenRun(at, 10));
			expect(nine.effects).toEqual([]);
			expect(nine.state.lastDecision?.reason).toBe(`Holding at ${percent}%: all checks green, 10:00 of continuous green needed`);
			// 9:00 of green so far: the last check is 9 minutes after the run began.
			expect(nine.state.phase).toMatchObject({kind: 'stage', greenSince: at});
			expect(nine.state.lastCheckAt).toBe(at + 9 * minute);
			const ten = reduceCanary(plan, nine.state, check(at + 10 * minute));
			const next = ({10: 30, 30: 50, 50: 100} as Record<number, number>)[percent]!;
			expect(ten.effects[0]).toMatchObject({kind: 'set_flag', percent: next});
			expect(ten.state.lastDecision).toMatchObject({kind: 'promote', fromPercent: percent, toPercent: next});
			messages.push(ten.effects.find((e) => e.kind === 'announce')!.decision.reason);
			at += 10 * minute + 1000;
			s = reduceCanary(plan, ten.state, {type: 'flag_confirmed', at, percent: next}).state;
			expect(s.phase).toMatchObject({kind: 'stage', percent: next, enteredAt: at, greenSince: null});
			at += minute;
		}

		expect(messages[1]).toBe('Canary 30% PASSED - Error: 0.2% (1m), Board: 400ms, Drawer: 100ms, API p95: 500ms (5m). Advancing to 50%.');
		// 100 %: stage duration, then Gate G without another flag write.
		const hundred = feed(s, greenRun(at, 11));
		expect(hundred.state.phase.kind).toBe('stabilizing');
		expect(hundred.effects.some((e) => e.kind === 'set_flag')).toBe(false);
		at += 11 * minute;
		const g29 = feed(hundred.state, greenRun(at, 30));
		expect(g29.state.phase.kind).toBe('stabilizing');
		const g30 = reduceCanary(plan, g29.state, check(at + 30 * minute));
		expect(g30.state.phase.kind).toBe('succeeded');
		expect(g30.effects[0]).toMatchObject({
			kind: 'announce',
			decision: {
				reason:
					'Gate G PASSED - 30min stability confirmed. All SLOs green (Error: 0.2% (1m), Board: 400ms, Drawer: 100ms, API p95: 500ms (5m)). StatusBoardV2 launch SUCCESSFUL!',
			},
		});
	});

	it('a holding check keeps the same decision while nothing changes', () => {
		const s = feed(started(), greenRun(t0 + minute, 3));
		const again = reduceCanary(plan, s.state, check(t0 + 4 * minute));
		expect(again.state.lastDecision).toBe(s.state.lastDecision);
		const red = reduceCanary(plan, again.state, check(t0 + 5 * minute, {latencyMs: Number.NaN}));
		expect(red.state.lastDecision?.reason).toBe('Holding at 10%: canary latency unknown');
	});

	it('one NO_DATA check restarts the green run', () => {
		const s = started();
		const run = feed(s, [...greenRun(t0 + minute, 5), check(t0 + 6 * minute, {latencyMs: Number.NaN}), ...greenRun(t0 + 7 * minute, 10)]);
		expect(run.effects).toEqual([]);
		expect(run.state.phase).toMatchObject({kind: 'stage', greenSince: t0 + 7 * minute});
		expect(reduceCanary(plan, run.state, check(t0 + 17 * minute)).effects[0]).toMatchObject({kind: 'set_flag', percent: 30});
	});

	it('a gap longer than two check intervals restarts the green run', () => {
		const s = started();
		const run = feed(s, [check(t0 + minute), check(t0 + 11 * minute)]);
		expect(run.effects).toEqual([]);
		expect(run.state.phase).toMatchObject({greenSince: t0 + 11 * minute});
	});

	it('paused: holds; resume lets the green run promote', () => {
		const s = feed(started(), [{type: 'pause', at: t0 + 1}, ...greenRun(t0 + minute, 12)]);
		expect(s.effects).toEqual([]);
		expect(s.state.lastDecision?.reason).toMatch(/\(paused\)$/);
		const resumed = feed(s.state, [{type: 'resume', at: t0 + 12 * minute + 1}, check(t0 + 13 * minute)]);
		expect(resumed.effects[0]).toMatchObject({kind: 'set_flag', percent: 30});
	});
});

describe('operator promote', () => {
	it('refuses to cut a soak short unless the operator confirmed the skip, and records the skip', () => {
		const refused = feed(started(), [check(t0 + minute), {type: 'promote', at: t0 + minute + 5, by: 'operator'}]);
		expect(refused.effects).toEqual([]);
		expect(refused.state.lastDecision?.reason).toBe('Promote refused: 10 % has held 0:00 of 10:00 green; confirm the skip (type SKIP) to promote early');
		const s = feed(started(), [check(t0 + minute), check(t0 + 2 * minute), {type: 'promote', at: t0 + 2 * minute + 5, by: 'operator', skip: true}]);
		expect(s.effects).toEqual([expect.objectContaining({kind: 'set_flag', percent: 30})]);
		expect(s.state.lastDecision?.skippedSoak).toEqual({stagePercent: 10, heldMs: 60_005, requiredMs: 10 * minute, jumped: []});
		expect(s.state.lastDecision?.reason).toContain('SKIPPED (operator, held 1:00)');
	});

	it('promotes to a chosen later stage only as a confirmed skip, never past the last stage', () => {
		const run = greenRun(t0 + minute, 11);
		const held = feed({...started(), paused: true}, run);
		expect(feed(held.state, [{type: 'promote', at: t0 + 11 * minute + 1, by: 'operator'}]).effects).toEqual([
			expect.objectContaining({kind: 'set_flag', percent: 30}),
		]);
		const jump = feed(held.state, [{type: 'promote', at: t0 + 11 * minute + 1, by: 'operator', to: 50}]);
		expect(jump.effects).toEqual([]);
		expect(jump.state.lastDecision?.reason).toContain('30 % never held');
		const jumped = feed(held.state, [{type: 'promote', at: t0 + 11 * minute + 1, by: 'operator', to: 50, skip: true}]);
		expect(jumped.effects).toEqual([expect.objectContaining({kind: 'set_flag', percent: 50})]);
		expect(jumped.state.lastDecision?.skippedSoak?.jumped).toEqual([30]);
		expect(feed(held.state, [{type: 'promote', at: t0 + 11 * minute + 1, by: 'operator', to: 10, skip: true}]).effects).toEqual([]);
	});

	it('in --manual, resume is refused and a re-arm keeps the mode', () => {
		const manual = {...started(), paused: true, launchPolicy: {autoStart: false, startedAt: t0, preLaunchTimeoutMs: null}};
		const resumed = feed(manual, [{type: 'resume', at: t0 + 1}]);
		expect(resumed.state.paused).toBe(true);
		expect(resumed.state.lastDecision?.reason).toMatch(/^Resume refused: --manual/);
		const rolled = feed(manual, [
			{type: 'rollback', at: t0 + 2, rollback: 'emergency', reason: 'test', by: 'operator'},
			{type: 'flag_confirmed', at: t0 + 3, percent: 0},
			{type: 'rearm', at: t0 + 4},
		]);
		expect(rolled.state).toMatchObject({paused: true, armed: true, launchPolicy: {autoStart: false}});
	});

	it('is refused on a red last check, saying why', () => {
		const s = feed(started(), [check(t0 + minute, {latencyMs: Number.NaN}), {type: 'promote', at: t0 + minute + 5, by: 'operator', skip: true}]);
		expect(s.effects).toEqual([]);
		expect(s.state.lastDecision).toMatchObject({kind: 'hold'});
		expect(s.state.lastDecision?.reason).toBe('Promote refused: the last check was not complete passing data (canary latency unknown)');
	});

	it('is refused while a write is in flight, and in Gate G', () => {
		const inFlight = feed(started(), [
			check(t0 + minute),
			{type: 'promote', at: t0 + minute + 5, by: 'operator', skip: true},
			{type: 'promote', at: t0 + minute + 6, by: 'operator', skip: true},
		]);
		expect(inFlight.effects.filter((e) => e.kind === 'set_flag')).toHaveLength(1);
		expect(inFlight.state.lastDecision?.reason).toBe('Promote refused: a flag write to 30% is in flight');
	});
});

describe('flag write outcomes', () => {
	it('a failed promote holds at the confirmed stage and pauses', () => {
		const s = feed(started(), [
			check(t0 + minute),
			{type: 'promote', at: t0 + minute + 5, by: 'operator', skip: true},
			{type: 'action_failed', at: t0 + minute + 6, action: 'set_flag', detail: 'HTTP 503'},
		]);
		expect(s.state.phase).toMatchObject({kind: 'stage', percent: 10});
		expect(s.state.paused).toBe(true);
		expect(s.state.pending).toBeNull();
		expect(s.state.lastDecision?.reason).toMatch(/^Promote to 30% failed: HTTP 503/);
	});

	it('a read-back showing another percent is a failed promote', () => {
		const s = feed(started(), [
			check(t0 + minute),
			{type: 'promote', at: t0 + minute + 5, by: 'operator', skip: true},
			{type: 'flag_confirmed', at: t0 + minute + 6, percent: 10},
		]);
		expect(s.state.phase).toMatchObject({kind: 'stage', percent: 10});
		expect(s.state.paused).toBe(true);
	});

	it('a failed rollback write is retried after a backoff, never at once, until it holds', () => {
		const s = feed(started(), [
			{type: 'rollback', at: t0 + 10, rollback: 'emergency', reason: 'drag&drop broken', by: 'operator'},
			{type: 'action_failed', at: t0 + 11, action: 'set_flag', detail: 'timeout', jitter: 1},
			// Not due yet: nothing is sent.
			{type: 'retry_due', at: t0 + 400},
		]);
		expect(s.effects.filter((e) => e.kind === 'set_flag')).toHaveLength(1);
		expect(s.state.pending).toMatchObject({purpose: 'rollback', attempts: 1, firstFailedAt: t0 + 11, nextTryAt: t0 + 511, gaveUp: false});
		expect(s.state.lastDecision?.reason).toMatch(/^ROLLBACK FAILING — try 1 failed \(timeout\); try 2 in/);
		const due = feed(s.state, [{type: 'retry_due', at: t0 + 511}]);
		expect(due.effects).toEqual([expect.objectContaining({kind: 'set_flag', percent: 0})]);
		expect(due.state.pending).toMatchObject({attempts: 2, nextTryAt: null});
		const held = feed(due.state, [{type: 'flag_confirmed', at: t0 + 600, percent: 0, requested: 0}]);
		expect(held.state.pending).toBeNull();
		expect(held.state.phase).toMatchObject({kind: 'rolled_back', flagReadBackAt: t0 + 600});
	});

	it('a flag observed at a check: its own value changes nothing; another value stops the canary; a pending write is left to its read-back', () => {
		const s = started();
		expect(reduceCanary(plan, s, {type: 'flag_observed', at: t0 + 10, percent: 10}).state).toBe(s);
		const changed = reduceCanary(plan, s, {type: 'flag_observed', at: t0 + 10, percent: 0});
		expect(changed.state.phase.kind).toBe('aborted');
		expect(changed.state.armed).toBe(false);
		expect(changed.effects.some((e) => e.kind === 'set_flag')).toBe(false);
		const promoting = feed(s, [check(t0 + minute), {type: 'promote', at: t0 + minute + 1, by: 'operator'}]).state;
		expect(reduceCanary(plan, promoting, {type: 'flag_observed', at: t0 + minute + 2, percent: 10}).state).toBe(promoting);
	});

	it('an outside change stops the canary and disarms', () => {
		const s = feed(started(), [{type: 'external_change', at: t0 + 10, observedPercent: 0}]);
		expect(s.state.phase.kind).toBe('aborted');
		expect(s.state.armed).toBe(false);
	});
});

describe('rollback and re-arm', () => {
	it('rollback beats an in-flight promote; nothing promotes until re-armed; re-arm goes back to pre', () => {
		const s = feed(started(), [
			check(t0 + minute),
			{type: 'promote', at: t0 + minute + 1, by: 'operator', skip: true},
			check(t0 + 2 * minute, {errorRate: 0.05}),
		]);
		expect(s.effects.map((e) => (e.kind === 'set_flag' ? e.percent : e.kind))).toEqual([30, 0, 'announce']);
		expect(s.state.phase.kind).toBe('rolled_back');
		const afterConfirm = feed(s.state, [
			{type: 'flag_confirmed', at: t0 + 2 * minute + 5, percent: 0},
			...greenRun(t0 + 3 * minute, 30),
			{type: 'promote', at: t0 + 33 * minute, by: 'operator'},
		]);
		expect(afterConfirm.effects.some((e) => e.kind === 'set_flag')).toBe(false);
		expect(afterConfirm.state.lastDecision?.reason).toBe('Promote refused: canary is rolled back; re-arm first');
		expect(afterConfirm.state.phase).toMatchObject({kind: 'rolled_back', flagReadBackAt: t0 + 2 * minute + 5});
		const rearmed = feed(afterConfirm.state, [{type: 'rearm', at: t0 + 34 * minute}, ...greenRun(t0 + 35 * minute, 20)]);
		expect(rearmed.state.phase.kind).toBe('pre');
		expect(rearmed.state.armed).toBe(true);
		expect(rearmed.effects).toEqual([]);
	});

	it('a promote that lands after the rollback was decided is not read as a failed rollback write', () => {
		const s = feed(started(), [
			check(t0 + minute),
			{type: 'promote', at: t0 + minute + 1, by: 'operator', skip: true},
			check(t0 + 2 * minute, {errorRate: 0.05}),
		]);
		expect(s.state.pending).toMatchObject({purpose: 'rollback', percent: 0});
		// The promote's own read-back (30 %) arrives first: nothing changes, no second rollback write.
		const overtaken = reduceCanary(plan, s.state, {type: 'flag_confirmed', at: t0 + 2 * minute + 1, percent: 30, requested: 30});
		expect(overtaken.effects).toEqual([]);
		expect(overtaken.state).toBe(s.state);
		// Without `requested` the same read-back is a rollback write that did not land: retried after its backoff.
		const unknown = reduceCanary(plan, s.state, {type: 'flag_confirmed', at: t0 + 2 * minute + 1, percent: 30});
		expect(unknown.state.pending).toMatchObject({purpose: 'rollback', lastFailure: 'read back 30%, expected 0%'});
		expect(reduceCanary(plan, unknown.state, {type: 'retry_due', at: unknown.state.pending!.nextTryAt!}).effects).toContainEqual(
			expect.objectContaining({kind: 'set_flag', percent: 0}),
		);
		// The rollback's read-back completes it.
		const done = reduceCanary(plan, overtaken.state, {type: 'flag_confirmed', at: t0 + 2 * minute + 2, percent: 0, requested: 0});
		expect(done.state.pending).toBeNull();
		expect(done.state.phase).toMatchObject({kind: 'rolled_back', flagReadBackAt: t0 + 2 * minute + 2});
	});

	it('full rollback runs the configured command as well as flag → 0', () => {
		const s = reduceCanary(plan, started(), {type: 'rollback', at: t0 + 10, rollback: 'full', reason: 'incident #42', by: 'operator'});
		expect(s.effects.map((e) => e.kind)).toEqual(['set_flag', 'full_rollback', 'announce']);
		expect(s.state.lastDecision).toMatchObject({kind: 'rollback', trigger: 'operator', fromPercent: 10, toPercent: 0});
	});
});

describe('unreadable flag values', () => {
	it('an unreadable read-back while live stops the canary, saying so', () => {
		const s = reduceCanary(plan, started(), {type: 'external_change', at: t0 + 10, observedPercent: Number.NaN});
		expect(s.state.phase.kind).toBe('aborted');
		expect(s.state.lastDecision?.reason).toBe(
			'STATUS_BOARD_V2_ENABLED reads an unreadable value (expected 10%): changed outside golive. Canary stopped; nothing promotes until acknowledged (o) or re-armed (a)',
		);
	});

	it('an unreadable read-back of a rollback write schedules the next try', () => {
		const rb = reduceCanary(plan, started(), {type: 'rollback', at: t0 + 10, rollback: 'emergency', reason: 'x', by: 'operator'});
		const s = reduceCanary(plan, rb.state, {type: 'external_change', at: t0 + 11, observedPercent: Number.NaN});
		expect(s.effects).toEqual([]);
		expect(s.state.pending).toMatchObject({purpose: 'rollback', attempts: 1, lastFailure: 'read back an unreadable value, expected 0%'});
		expect(reduceCanary(plan, s.state, {type: 'retry_due', at: t0 + 11 + 500}).effects).toEqual([expect.objectContaining({kind: 'set_flag', percent: 0})]);
	});
});

describe('greenProgress', () => {
	it('reports green time toward the stage requirement', () => {
		const s = feed(started(), greenRun(t0 + minute, 5)).state;
		expect(greenProgress(plan, s, t0 + 5 * minute)).toEqual({greenMs: 4 * minute, neededMs: 10 * minute});
		expect(greenProgress(plan, initialCanaryState(), t0)).toBeNull();
	});
});
