/**
 * The judge inside the canary: rule comparisons from per-variant windows, repeated
 * looks (HIGH only after N consecutive checks), onHigh hold/rollback, NO_DATA
 * holding a stage that needs a verdict, and nothing asked of the judge at 100 %.
 */
import {describe, expect, it} from 'vitest';
import {initialCanaryState, reduceCanary} from '../source/core/canary-machine.js';
import type {CanaryEvent, CanaryState} from '../source/core/canary-types.js';
import {buildCheckInput} from '../source/core/check-input.js';
import type {CompareConfig, Plan, SloRule} from '../source/core/plan-types.js';
import {validatePlan} from '../source/plan/load-plan.js';
import {cloudwatchSnapshot, healthyProbes, minute, seedPlan, t0} from './helpers/plan-fixture.js';
import {boardWithVariants, latencySamples, seeded, variantWindow} from './helpers/variant-fixture.js';

const compare: CompareConfig = {enabled: true, minEffectPct: 10, minEffectAbs: 20, minSamples: 50, consecutive: 3, alpha: 0.001, onHigh: 'rollback'};

function judgedPlan(onHigh: CompareConfig['onHigh'] = 'rollback'): Plan {
	const base = seedPlan();
	return {
		...base,
		probes: base.probes.map((p) => (p.id === 'board' ? {...p, variantHeader: 'x-served-by'} : p)),
		slos: base.slos.map((r): SloRule =>
			r.id === 'board_p95'
				? {...r, compare: {...compare, onHigh}}
				: r.id === 'error_rate'
					? {...r, compare: {...compare, minEffectAbs: 0.005, onHigh: 'hold'}}
					: r,
		),
	};
}

type Variants = {v1Median: number; v2Median: number; v1n: number; v2n: number; v2Errors?: number};

/** A check at `at` whose board probe has V1 and V2 windows drawn afresh (seeded by `at`). */
function checkWith(plan: Plan, at: number, v: Variants): CanaryEvent {
	const random = seeded(at % 1_000_003);
	const v1 = variantWindow(latencySamples(random, v.v1n, v.v1Median, 0.5), 0, at);
	const v2 = variantWindow(latencySamples(random, v.v2n, v.v2Median, 0.5), v.v2Errors ?? 0, at);
	const probes = [boardWithVariants(at, v1, v2), ...healthyProbes(at).filter((p) => p.probeId !== 'board')];
	return {type: 'check', input: buildCheckInput(plan, {probes, cloudwatch: cloudwatchSnapshot(at)}, at)};
}

function run(plan: Plan, state: CanaryState, events: CanaryEvent[]) {
	let s = state;
	const effects = [];
	for (const e of events) {
		const step = reduceCanary(plan, s, e);
		s = step.state;
		effects.push(...step.effects);
	}
	return {state: s, effects};
}

function atStage(plan: Plan, v: Variants): CanaryState {
	const s = run(plan, initialCanaryState(), [checkWith(plan, t0, v), {type: 'start', at: t0 + 1}, {type: 'flag_confirmed', at: t0 + 2, percent: 10}]).state;
	expect(s.phase).toMatchObject({kind: 'stage', percent: 10});
	return s;
}

const healthy: Variants = {v1Median: 150, v2Median: 150, v1n: 1000, v2n: 110};
const slower: Variants = {v1Median: 150, v2Median: 202, v1n: 1000, v2n: 110};

describe('judge in the canary reducer', () => {
	it('V2 35 % slower: two checks hold (unconfirmed), the third rolls back naming V2 vs V1', () => {
		const plan = judgedPlan();
		let s = atStage(plan, healthy);
		const reasons: string[] = [];
		for (let i = 1; i <= 2; i++) {
			const step = run(plan, s, [checkWith(plan, t0 + i * minute, slower)]);
			s = step.state;
			expect(step.effects).toEqual([]);
			expect(s.lastCheckGreen).toBe(false);
			reasons.push(s.lastDecision!.reason);
		}
		expect(reasons[1]).toMatch(/board_p95 V2 worse than V1, unconfirmed/);
		expect(s.judge).toEqual({board_p95: 2, error_rate: 0});
		const third = run(plan, s, [checkWith(plan, t0 + 3 * minute, slower)]);
		expect(third.effects[0]).toMatchObject({kind: 'set_flag', percent: 0});
		const d = third.state.lastDecision!;
		expect(d).toMatchObject({kind: 'rollback', trigger: 'canary_comparison', fromPercent: 10, toPercent: 0});
		expect(d.reason).toMatch(/^V2 board p95 \d+ ms vs V1 \d+ ms, \+\d+ % \[CI \+\d+…\+\d+ %\], p < 0\.001, 3 checks \(board_p95, alpha 0\.001, baseline V1\)/);
		expect(third.state.phase.kind).toBe('rolled_back');
	});

	it('a HIGH that does not repeat resets: one slow check between healthy ones never rolls back', () => {
		const plan = judgedPlan();
		let s = atStage(plan, healthy);
		const pattern = [slower, slower, healthy, slower, slower, healthy, slower];
		pattern.forEach((v, i) => {
			const step = run(plan, s, [checkWith(plan, t0 + (i + 1) * minute, v)]);
			expect(step.effects.filter((e) => e.kind === 'set_flag')).toEqual([]);
			s = step.state;
		});
		expect(s.phase.kind).toBe('stage');
	});

	it('onHigh hold: a confirmed HIGH holds the stage, no rollback', () => {
		const plan = judgedPlan('hold');
		let s = atStage(plan, healthy);
		for (let i = 1; i <= 12; i++) {
			const step = run(plan, s, [checkWith(plan, t0 + i * minute, slower)]);
			expect(step.effects).toEqual([]);
			s = step.state;
		}
		expect(s.phase).toMatchObject({kind: 'stage', percent: 10, greenSince: null});
		expect(s.lastDecision!.reason).toMatch(/Holding at 10%: board_p95 V2 worse than V1/);
	});

	it('too few V2 samples is NO_DATA and holds the stage past its duration (never a pass)', () => {
		const plan = judgedPlan();
		let s = atStage(plan, healthy);
		const few: Variants = {...healthy, v2n: 30};
		for (let i = 1; i <= 15; i++) s = run(plan, s, [checkWith(plan, t0 + i * minute, few)]).state;
		expect(s.phase).toMatchObject({kind: 'stage', percent: 10, greenSince: null});
		expect(s.lastCheckNote).toMatch(/board_p95 V2 vs V1: no verdict \(too few samples \(V1 1000, V2 30; 50 each needed\)\)/);
	});

	it('healthy V2: the stage advances after its duration; the judge is not asked at 100 % (no V1 left)', () => {
		const plan = judgedPlan();
		let s = atStage(plan, healthy);
		let at = t0;
		for (const next of [30, 50, 100]) {
			for (let i = 0; i <= 10 && !(s.pending?.percent === next); i++) s = run(plan, s, [checkWith(plan, (at += minute), healthy)]).state;
			expect(s.pending).toMatchObject({percent: next});
			s = run(plan, s, [{type: 'flag_confirmed', at: at + 1, percent: next}]).state;
		}
		const noV1: Variants = {...healthy, v1n: 0, v2n: 1000};
		for (let i = 0; i < 12; i++) s = run(plan, s, [checkWith(plan, (at += minute), noV1)]).state;
		expect(s.phase.kind).toBe('stabilizing');
		for (let i = 0; i < 31 && s.phase.kind !== 'succeeded'; i++) s = run(plan, s, [checkWith(plan, (at += minute), noV1)]).state;
		expect(s.phase.kind).toBe('succeeded');
	});
});

describe('plan: compare is bounded and must be runnable', () => {
	function planWith(rulePatch: Record<string, unknown>, probePatch: Record<string, unknown> = {}) {
		const plan = JSON.parse(JSON.stringify(judgedPlan())) as Record<string, unknown> & {
			slos: Array<Record<string, unknown>>;
			probes: Array<Record<string, unknown>>;
		};
		Object.assign(plan.slos[0]!, rulePatch);
		Object.assign(plan.probes[0]!, probePatch);
		// The seed fixture's move probe has no body; the loader wants one.
		plan.probes[2]!['body'] = {status: '{status}', version: '{version}'};
		return validatePlan(plan, {}, 'golive.json');
	}

	it('defaults are filled; out-of-range values and unrunnable compares are refused with the field named', () => {
		const ok = planWith({compare: {}});
		expect(ok.ok && ok.plan.slos[0]!.compare).toEqual({enabled: true, minEffectPct: 10, minSamples: 50, consecutive: 3, alpha: 0.001, onHigh: 'rollback'});
		const alpha = planWith({compare: {alpha: 0.5}});
		expect(alpha.ok).toBe(false);
		expect(JSON.stringify(alpha)).toContain('/slos/0/compare/alpha');
		const noHeader = planWith({compare: {}}, {variantHeader: undefined});
		expect(noHeader.ok).toBe(false);
		expect(JSON.stringify(noHeader)).toContain('compare needs /probes variantHeader on probe');
		const requests = planWith({compare: {}, source: {kind: 'probe', probe: 'board', stat: 'requests'}, unit: 'count'});
		expect(JSON.stringify(requests)).toContain('compare cannot judge');
	});
});
