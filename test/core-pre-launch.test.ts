/**
 * The decisions that used to live in the engine, now the reducer's: gates A
 * and B block the start, auto-start, the pre-launch timeout, the "already busy"
 * refusal, freezing gates A and B once the canary runs, and the purpose each
 * flag write carries.
 */
import {describe, expect, it} from 'vitest';
import {initialCanaryState, reduceCanary} from '../source/core/canary-machine.js';
import type {CanaryEvent, CanaryState} from '../source/core/canary-types.js';
import type {GateView} from '../source/core/decision-types.js';
import {gatesInView, initialLaunchState} from '../source/core/pre-launch.js';
import {greenInput, minute, seedPlan, t0} from './helpers/plan-fixture.js';
import {feedCanary} from './helpers/canary-feed.js';

const plan = seedPlan();

const feed = (state: CanaryState, events: CanaryEvent[]) => feedCanary(plan, state, events);

const check = (at: number): CanaryEvent => ({type: 'check', input: greenInput(plan, at)});

function gate(id: GateView['gate'], status: GateView['status']): GateView {
	return {
		gate: id,
		title: `Gate ${id}`,
		status,
		items: [
			{id: `${id}-1`, label: `${id} item`, kind: 'auto', status: status === 'pass' ? 'pass' : 'fail', detail: status === 'pass' ? 'ok' : 'UAT not signed'},
		],
	};
}

const gatesOpen: CanaryEvent = {type: 'gates', at: t0, gates: [gate('A', 'pass'), gate('B', 'fail'), gate('C', 'pending')]};
const gatesPassed: CanaryEvent = {type: 'gates', at: t0, gates: [gate('A', 'pass'), gate('B', 'pass'), gate('C', 'pending')]};

function launch(options: {autoStart: boolean; preLaunchTimeoutMs?: number | null}): CanaryState {
	return initialLaunchState(plan, initialCanaryState(), {autoStart: options.autoStart, startedAt: t0, preLaunchTimeoutMs: options.preLaunchTimeoutMs ?? null});
}

describe('before the canary', () => {
	it('refuses an operator start while gate B is open, naming the open item', () => {
		const s = feed(launch({autoStart: false}), [gatesOpen, check(t0 + 1), {type: 'promote', at: t0 + 2, by: 'operator'}]);
		expect(s.effects).toEqual([]);
		expect(s.state.pending ?? null).toBeNull();
		expect(s.state.lastDecision?.reason).toBe('Start refused: Gate B not passed — B item: UAT not signed');
	});

	it('starts by itself once gates A and B pass when auto-start is on, and says so', () => {
		const open = feed(launch({autoStart: true}), [gatesOpen, check(t0 + 1)]);
		expect(open.effects).toEqual([]);
		const started = feed(open.state, [gatesPassed, check(t0 + minute)]);
		expect(started.effects).toEqual([
			expect.objectContaining({kind: 'set_flag', purpose: 'promote', percent: 10}),
			{kind: 'notice', level: 'success', text: 'Gates A and B PASSED: starting the canary'},
		]);
		expect(started.state.pending).toMatchObject({purpose: 'start', percent: 10});
	});

	it('never starts by itself without auto-start', () => {
		const s = feed(launch({autoStart: false}), [gatesPassed, check(t0 + 1), {type: 'resume', at: t0 + 2}, check(t0 + minute)]);
		expect(s.effects).toEqual([]);
	});

	it('gives up after the pre-launch timeout while a gate is open, and not before', () => {
		const policy = {autoStart: true, preLaunchTimeoutMs: 5 * minute};
		const early = feed(launch(policy), [gatesOpen, check(t0 + 4 * minute)]);
		expect(early.effects).toEqual([]);
		const late = reduceCanary(plan, early.state, check(t0 + 5 * minute));
		expect(late.effects).toEqual([{kind: 'give_up', reason: 'Launch did not start within 300 s: Gate B not passed — B item: UAT not signed'}]);
	});

	it('a second press while the start is in flight is refused and logged each time', () => {
		const s = feed(launch({autoStart: false}), [gatesPassed, check(t0 + 1), {type: 'promote', at: t0 + 2, by: 'operator'}]);
		expect(s.effects).toHaveLength(1);
		const again = feed(s.state, [
			{type: 'promote', at: t0 + 3, by: 'operator'},
			{type: 'promote', at: t0 + 4, by: 'operator'},
		]);
		expect(again.effects).toEqual([
			{kind: 'notice', level: 'warn', text: 'ignored: promote to 10 % already in flight'},
			{kind: 'notice', level: 'warn', text: 'ignored: promote to 10 % already in flight'},
		]);
		expect(again.state.pending).toMatchObject({percent: 10});
	});

	it('a flag found already up pauses auto-advance', () => {
		const s = reduceCanary(plan, launch({autoStart: true}), {type: 'flag_read', at: t0, percent: 30});
		expect(s.state.paused).toBe(true);
		expect(s.effects).toEqual([expect.objectContaining({kind: 'notice', level: 'warn'})]);
	});
});

describe('once the canary runs', () => {
	it('gates A and B stand as they were; a later failure does not rewrite them', () => {
		const started = feed(launch({autoStart: false}), [
			gatesPassed,
			check(t0 + 1),
			{type: 'promote', at: t0 + 2, by: 'operator'},
			{type: 'flag_confirmed', at: t0 + 3, percent: 10},
			gatesPassed,
		]);
		const later = reduceCanary(plan, started.state, gatesOpen).state;
		expect(gatesInView(later, gatesOpen.type === 'gates' ? gatesOpen.gates : []).map((g) => g.status)).toEqual(['pass', 'pass', 'pending']);
	});

	it('every flag write says what it is for: promote up, emergency rollback down', () => {
		const started = feed(launch({autoStart: false}), [
			gatesPassed,
			check(t0 + 1),
			{type: 'promote', at: t0 + 2, by: 'operator'},
			{type: 'flag_confirmed', at: t0 + 3, percent: 10},
		]);
		const rolled = reduceCanary(plan, started.state, {type: 'rollback', at: t0 + 4, rollback: 'full', reason: 'drill', by: 'operator'});
		const purposes = rolled.effects.map((e) => (e.kind === 'set_flag' ? `${e.kind}:${e.purpose}` : e.kind));
		expect(purposes).toEqual(['set_flag:emergency_rollback', 'full_rollback', 'announce']);
	});

	it('re-arming keeps the launch policy', () => {
		const rolled = feed(launch({autoStart: true}), [
			gatesPassed,
			check(t0 + 1),
			{type: 'flag_confirmed', at: t0 + 2, percent: 10},
			{type: 'rollback', at: t0 + 3, rollback: 'emergency', reason: 'x', by: 'operator'},
			{type: 'flag_confirmed', at: t0 + 4, percent: 0},
			{type: 'rearm', at: t0 + 5},
		]);
		expect(rolled.state.phase.kind).toBe('pre');
		expect(rolled.state.launchPolicy?.autoStart).toBe(true);
	});
});
