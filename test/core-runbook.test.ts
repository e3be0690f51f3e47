import {describe, expect, it} from 'vitest';
import {initialCanaryState, reduceCanary} from '../source/core/canary-machine.js';
import type {CanaryEffect, CanaryEvent, CanaryState} from '../source/core/canary-types.js';
import type {RuleResult} from '../source/core/decision-types.js';
import {exitBlocker, workingGate} from '../source/core/gate-progress.js';
import {evaluateGates, evaluateSignOffs} from '../source/core/gates.js';
import type {GateItemPlan, Plan, StepItemPlan} from '../source/core/plan-types.js';
import {checkpointOffsets, dueCheckpoints, offsetLabel, watchBanner} from '../source/core/post-launch.js';
import {breachLimitMs} from '../source/core/severity.js';
import {nextStep, rerunStep, stepPassed, type StepStates} from '../source/core/steps.js';
import {cloudwatchSnapshot, greenInput, minute, seedPlan, t0} from './helpers/plan-fixture.js';

const hour = 60 * minute;
const step = (id: string, gate: GateItemPlan['gate'], argv = ['touch', id]): StepItemPlan => ({
	id,
	gate,
	label: `step ${id}`,
	kind: 'step',
	action: {kind: 'command', argv, timeoutMs: 1000},
});

function feed(plan: Plan, state: CanaryState, events: CanaryEvent[]) {
	let s = state;
	const effects: CanaryEffect[] = [];
	for (const e of events) {
		const next = reduceCanary(plan, s, e);
		s = next.state;
		effects.push(...next.effects);
	}
	return {state: s, effects};
}

const check = (plan: Plan, at: number, overrides = {}): CanaryEvent => ({type: 'check', input: greenInput(plan, at, overrides)});
const greenRun = (plan: Plan, from: number, count: number, overrides = {}): CanaryEvent[] =>
	Array.from({length: count}, (_, i) => check(plan, from + i * minute, overrides));

/** At the last stage (100 %), then held green to Gate G. */
function toGateG(plan: Plan): {state: CanaryState; at: number} {
	let s = feed(plan, initialCanaryState(), [check(plan, t0), {type: 'start', at: t0 + 1}, {type: 'flag_confirmed', at: t0 + 2, percent: 10}]).state;
	let at = t0 + minute;
	for (const next of [30, 50, 100]) {
		s = feed(plan, s, greenRun(plan, at, 11)).state;
		at += 11 * minute;
		s = feed(plan, s, [{type: 'flag_confirmed', at, percent: next}]).state;
		at += 1;
	}
	s = feed(plan, s, greenRun(plan, at, 11)).state;
	at += 11 * minute;
	expect(s.phase.kind).toBe('stabilizing');
	return {state: s, at};
}

describe('steps', () => {
	const plan = seedPlan({gates: [step('a1', 'A'), step('a2', 'A'), step('b1', 'B'), ...seedPlan().gates]});

	it('run once each, in plan order, one at a time; a failure stops the gate', () => {
		expect(nextStep(plan, 'A', {})?.id).toBe('a1');
		expect(nextStep(plan, 'A', {a1: {status: 'running', attempt: 1, since: t0}})).toBeNull();
		const passed: StepStates = {a1: {status: 'pass', at: t0, attempts: 1, detail: 'exit 0', output: ''}};
		expect(nextStep(plan, 'A', passed)?.id).toBe('a2');
		expect(nextStep(plan, 'A', {...passed, a2: {status: 'pass', at: t0, attempts: 1, detail: 'exit 0', output: ''}})).toBeNull();
		const failed: StepStates = {a1: {status: 'fail', at: t0, attempts: 1, detail: 'exit 3', output: 'boom'}};
		expect(nextStep(plan, 'A', failed)).toBeNull();
		expect(nextStep(plan, null, {})).toBeNull();
	});

	it('a failed step fails its gate item with its output; re-run clears it unless running', () => {
		const failed: StepStates = {a1: {status: 'fail', at: t0, attempts: 2, detail: 'exit 3 in 0.1 s, attempt 2/2', output: 'deploy: no artifact'}};
		const gates = evaluateGates(plan, {rules: [], canary: initialCanaryState(), signOffs: [], autoResults: {}, cloudwatch: null, steps: failed}, t0);
		const a = gates.find((g) => g.gate === 'A')!;
		expect(a.status).toBe('fail');
		expect(a.items.find((i) => i.id === 'a1')).toMatchObject({kind: 'step', status: 'fail', output: 'deploy: no artifact'});
		expect(a.items.find((i) => i.id === 'a2')).toMatchObject({status: 'pending', detail: 'not run yet: touch a2'});
		const again = rerunStep(plan, failed, 'a1');
		expect(again).toEqual({ok: true, states: {}});
		expect(rerunStep(plan, {a1: {status: 'running', attempt: 1, since: t0}}, 'a1')).toMatchObject({ok: false, why: 'step a1 is running (attempt 1)'});
		expect(rerunStep(plan, {}, 'A-uat')).toMatchObject({ok: false, why: 'no step "A-uat" in the plan (steps: a1, a2, b1)'});
	});

	it('the working gate is A, then B once A passed, then the running stage, then G', () => {
		const gates = (statusA: 'pass' | 'fail', statusB: 'pass' | 'active') => [
			{gate: 'A' as const, title: 'A', status: statusA, items: []},
			{gate: 'B' as const, title: 'B', status: statusB, items: []},
		];
		expect(workingGate(plan, initialCanaryState(), gates('fail', 'active'))).toBe('A');
		expect(workingGate(plan, initialCanaryState(), gates('pass', 'active'))).toBe('B');
		expect(workingGate(plan, initialCanaryState(), gates('pass', 'pass'))).toBeNull();
		const stage: CanaryState = {...initialCanaryState(), phase: {kind: 'stage', index: 1, percent: 30, enteredAt: t0, greenSince: null}};
		expect(workingGate(plan, stage, [])).toBe('D');
		expect(workingGate(plan, {...stage, phase: {kind: 'stabilizing', enteredAt: t0, greenSince: null}}, [])).toBe('G');
	});

	it('exit code and status expectations', () => {
		const s = step('x', 'A');
		expect(stepPassed(s, {exitCode: 0})).toBe(true);
		expect(stepPassed(s, {exitCode: 1})).toBe(false);
		expect(stepPassed(s, {exitCode: null})).toBe(false);
		expect(stepPassed({...s, expect: {exitCode: 3}}, {exitCode: 3})).toBe(true);
		expect(stepPassed(s, {status: 204})).toBe(true);
		expect(stepPassed(s, {status: 302})).toBe(false);
		expect(stepPassed({...s, expect: {status: 202}}, {status: 200})).toBe(false);
		expect(stepPassed(s, {status: null})).toBe(false);
	});
});

describe('approvals in every gate', () => {
	const manual: GateItemPlan & {kind: 'manual'} = {
		id: 'd_ok',
		gate: 'D',
		label: 'Approver: 30 % looks right',
		kind: 'manual',
		roles: ['approver'],
		minApprovals: 1,
	};

	it("a rejection fails the item with its note; the person's latest word counts", () => {
		const at = t0;
		const rejected = evaluateSignOffs(manual, [{itemId: 'd_ok', role: 'approver', name: 'Ana', at, decision: 'reject', note: 'support tickets up'}]);
		expect(rejected).toEqual({status: 'fail', detail: 'rejected by Ana (approver): support tickets up'});
		const changed = evaluateSignOffs(manual, [
			{itemId: 'd_ok', role: 'approver', name: 'Ana', at, decision: 'reject'},
			{itemId: 'd_ok', role: 'approver', name: 'ana ', at: at + 1},
		]);
		expect(changed.status).toBe('pass');
	});

	it('an unsigned item in Gate D holds the canary at 30 % however long it is green; signing lets it go', () => {
		const plan = seedPlan({gates: [...seedPlan().gates, manual]});
		let s = feed(plan, initialCanaryState(), [check(plan, t0), {type: 'start', at: t0 + 1}, {type: 'flag_confirmed', at: t0 + 2, percent: 10}]).state;
		s = feed(plan, s, greenRun(plan, t0 + minute, 11)).state;
		s = feed(plan, s, [{type: 'flag_confirmed', at: t0 + 12 * minute, percent: 30}]).state;
		const gatesAt = (state: CanaryState, signed: boolean) =>
			evaluateGates(
				plan,
				{
					rules: [],
					canary: state,
					signOffs: signed ? [{itemId: 'd_ok', role: 'approver', name: 'Ana', at: t0}] : [],
					autoResults: {},
					cloudwatch: cloudwatchSnapshot(t0),
				},
				t0,
			);
		const blocker = exitBlocker(plan, s, gatesAt(s, false));
		expect(blocker).toBe('Gate D: Approver: 30 % looks right (0 of 1 approval (approver))');
		const held = feed(plan, s, greenRun(plan, t0 + 13 * minute, 30, {exitBlocker: blocker}));
		expect(held.effects.filter((e) => e.kind === 'set_flag')).toEqual([]);
		expect(held.state.phase).toMatchObject({kind: 'stage', percent: 30});
		expect(held.state.lastDecision?.reason).toContain('waiting for Gate D: Approver');
		// An operator promote waits for it too.
		expect(reduceCanary(plan, held.state, {type: 'promote', at: t0 + 43 * minute - 1, by: 'operator'}).state.lastDecision?.reason).toContain(
			'Promote refused: waiting for Gate D',
		);
		expect(exitBlocker(plan, s, gatesAt(s, true))).toBeNull();
		const go = feed(plan, held.state, [check(plan, t0 + 43 * minute, {exitBlocker: null})]);
		expect(go.effects).toContainEqual(expect.objectContaining({kind: 'set_flag', percent: 50}));
	});

	it('an unsigned Gate G item keeps the run from success', () => {
		const plan = seedPlan();
		const {state, at} = toGateG(plan);
		const held = feed(plan, state, greenRun(plan, at, 40, {exitBlocker: 'Gate G: Final launch sign-off (0 of 1 approval (approver))'}));
		expect(held.state.phase.kind).toBe('stabilizing');
		expect(held.effects.filter((e) => e.kind === 'announce' && e.decision.kind === 'succeed')).toEqual([]);
		const done = feed(plan, held.state, [check(plan, at + 40 * minute)]);
		expect(done.state.phase.kind).toBe('succeeded');
	});
});

describe('Gate G policy', () => {
	const breach = (at: number) => ({errorRate: 0.05, at});

	it('onGateGFail full: flag to 0 first, the full rollback once after the read-back; stages keep their pass', () => {
		const plan = seedPlan();
		plan.canary.onGateGFail = 'full';
		const {state, at} = toGateG(plan);
		const fired = reduceCanary(plan, state, check(plan, at, breach(at)));
		expect(fired.effects.map((e) => e.kind)).toEqual(['set_flag', 'announce']);
		expect(fired.state.phase).toMatchObject({kind: 'rolled_back', rollback: 'full', during: 'gate_g', fullOnZero: true});
		expect(fired.effects[1]).toMatchObject({decision: {reason: expect.stringContaining('Gate G FAILED')}});
		const confirmed = feed(plan, fired.state, [
			{type: 'flag_confirmed', at: at + 1000, percent: 0, requested: 0},
			{type: 'flag_confirmed', at: at + 2000, percent: 0},
			check(plan, at + minute, breach(at + minute)),
		]);
		expect(confirmed.effects.filter((e) => e.kind === 'full_rollback')).toHaveLength(1);
		const gates = evaluateGates(plan, {rules: [], canary: confirmed.state, signOffs: [], autoResults: {}, cloudwatch: null}, at);
		expect(Object.fromEntries(gates.map((g) => [g.gate, g.status]))).toMatchObject({C: 'pass', D: 'pass', E: 'pass', F: 'pass', G: 'fail'});
	});

	it('a flag write that never reads 0 never runs the full rollback', () => {
		const plan = seedPlan();
		plan.canary.onGateGFail = 'full';
		const {state, at} = toGateG(plan);
		const fired = reduceCanary(plan, state, check(plan, at, breach(at)));
		const failing = feed(
			plan,
			fired.state,
			[1, 2, 3].map((i): CanaryEvent => ({type: 'action_failed', at: at + i, action: 'set_flag', detail: 'HTTP 503', requested: 0})),
		);
		expect(failing.effects.filter((e) => e.kind === 'full_rollback')).toEqual([]);
	});

	it('emergency (the default) only sets the flag, and still keeps F passed', () => {
		const plan = seedPlan();
		const {state, at} = toGateG(plan);
		const fired = reduceCanary(plan, state, check(plan, at, breach(at)));
		expect(fired.effects.map((e) => e.kind)).toEqual(['set_flag', 'announce']);
		expect(fired.state.phase).toMatchObject({kind: 'rolled_back', rollback: 'emergency', during: 'gate_g'});
	});
});

describe('post-launch watch', () => {
	const post = {watchMs: 24 * hour, checkpoints: {offsetsMs: [hour, 4 * hour, 8 * hour, 24 * hour]}};

	it('checkpoints from offsets or a cadence, labelled T+…', () => {
		expect(checkpointOffsets(post).map(offsetLabel)).toEqual(['T+1h', 'T+4h', 'T+8h', 'T+24h']);
		expect(checkpointOffsets({watchMs: 65_000, checkpoints: {everyMs: 20_000}})).toEqual([20_000, 40_000, 60_000]);
		expect(dueCheckpoints(post, t0, 0, t0 + 4 * hour).map((c) => c.label)).toEqual(['T+1h', 'T+4h']);
		expect(dueCheckpoints(post, t0, 2, t0 + 4 * hour)).toEqual([]);
		expect(dueCheckpoints(post, t0, 3, t0 + 24 * hour)[0]).toMatchObject({label: 'T+24h', dayOne: true});
		expect(watchBanner(post, t0, 1, t0 + hour + 12 * minute)).toBe('POST-LAUNCH WATCH T+1:12 · next checkpoint T+4h');
	});

	it('after Gate G the triggers stay armed until the watch ends, then the watch is over', () => {
		const plan = seedPlan({postLaunch: {watchMs: 10 * minute, checkpoints: {everyMs: 5 * minute}}});
		const {state, at} = toGateG(plan);
		const done = feed(plan, state, greenRun(plan, at, 31));
		expect(done.state.phase.kind).toBe('succeeded');
		const since = (done.state.phase as {at: number}).at;
		expect(done.state.watch).toEqual({startedAt: since, until: since + 10 * minute, endedAt: null});
		const late = reduceCanary(plan, done.state, check(plan, since + 5 * minute, {errorRate: 0.05}));
		expect(late.state.phase).toMatchObject({kind: 'rolled_back', during: 'watch'});
		expect(late.effects[0]).toMatchObject({kind: 'set_flag', percent: 0});
		const gates = evaluateGates(plan, {rules: [], canary: late.state, signOffs: [], autoResults: {}, cloudwatch: null}, since);
		expect(gates.find((g) => g.gate === 'G')?.status).toBe('pass');
		const over = feed(plan, done.state, [check(plan, since + 10 * minute), check(plan, since + 11 * minute, {errorRate: 0.05})]);
		expect(over.state.watch?.endedAt).toBe(since + 10 * minute);
		expect(over.state.phase.kind).toBe('succeeded');
		expect(over.effects.filter((e) => e.kind === 'set_flag')).toEqual([]);
	});
});

describe('severities', () => {
	const plan = seedPlan({
		severities: [
			{severity: 'P0', rules: ['error_rate']},
			{severity: 'P1', rules: ['board_p95'], sustainedMs: 3 * minute},
			{severity: 'P2', rules: ['drawer_avg']},
			{severity: 'P3', rules: ['occ_conflicts']},
		],
	});
	const breached = (input: ReturnType<typeof greenInput>, id: string): RuleResult[] =>
		input.rules.map((r) => (r.ruleId === id ? {...r, status: 'BREACH', value: r.threshold * 2} : r));
	const at10 = () => feed(plan, initialCanaryState(), [check(plan, t0), {type: 'start', at: t0 + 1}, {type: 'flag_confirmed', at: t0 + 2, percent: 10}]).state;

	it('limits: P0 now, P1 sustained, P2/P3 never, others sloBreachForMs', () => {
		expect(breachLimitMs(plan, 'error_rate')).toBe(0);
		expect(breachLimitMs(plan, 'board_p95')).toBe(3 * minute);
		expect(breachLimitMs(plan, 'drawer_avg')).toBe(Number.POSITIVE_INFINITY);
		expect(breachLimitMs(seedPlan(), 'drawer_avg')).toBe(seedPlan().triggers.sloBreachForMs);
	});

	it('P0 rolls back at the first breached check, with severity on the decision', () => {
		const input = greenInput(plan, t0 + minute);
		const step = reduceCanary(plan, at10(), {type: 'check', input: {...input, rules: breached(input, 'error_rate')}});
		expect(step.state.phase.kind).toBe('rolled_back');
		expect(step.state.lastDecision).toMatchObject({kind: 'rollback', severity: 'P0'});
	});

	it('P1 rolls back only when sustained; P2 holds and announces once; P3 logs and does not hold', () => {
		let s = at10();
		const p1: CanaryEffect[] = [];
		for (let i = 1; i <= 4; i += 1) {
			const input = greenInput(plan, t0 + i * minute);
			const step = reduceCanary(plan, s, {type: 'check', input: {...input, rules: breached(input, 'board_p95')}});
			s = step.state;
			p1.push(...step.effects);
			expect(s.phase.kind).toBe(i < 4 ? 'stage' : 'rolled_back');
		}
		expect(s.lastDecision).toMatchObject({severity: 'P1'});

		let held = at10();
		const notices: CanaryEffect[] = [];
		for (let i = 1; i <= 3; i += 1) {
			const input = greenInput(plan, t0 + i * minute);
			const step = reduceCanary(plan, held, {type: 'check', input: {...input, rules: breached(input, 'drawer_avg')}});
			held = step.state;
			notices.push(...step.effects);
		}
		expect(held.phase.kind).toBe('stage');
		expect(held.lastDecision).toMatchObject({kind: 'hold', severity: 'P2'});
		expect(notices).toEqual([
			expect.objectContaining({kind: 'announce', decision: expect.objectContaining({severity: 'P2', reason: expect.stringContaining('investigate')})}),
		]);

		let logged = at10();
		const p3: CanaryEffect[] = [];
		for (let i = 1; i <= 12; i += 1) {
			const input = greenInput(plan, t0 + i * minute);
			const step = reduceCanary(plan, logged, {type: 'check', input: {...input, rules: breached(input, 'occ_conflicts')}});
			logged = step.state;
			p3.push(...step.effects);
		}
		expect(p3.filter((e) => e.kind === 'announce' && e.decision.severity === 'P3')).toHaveLength(1);
		expect(p3).toContainEqual(expect.objectContaining({kind: 'set_flag', percent: 30}));
	});
});
