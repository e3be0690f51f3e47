/**
 * "Alert if 2 consecutive failures" (the TEEI run-of-show's synthetic monitors) as a trigger the
 * plan sets: `triggers.syntheticFailures {consecutive, action}`. Pure: the check input names the
 * failing locations from the fleet reading, the reducer rolls back only when the plan's action is
 * `rollback`, and a rollback beats a promotion due at the same check. The loader validates it.
 */
import {describe, expect, it} from 'vitest';
import {initialCanaryState, reduceCanary} from '../source/core/canary-machine.js';
import type {CanaryState} from '../source/core/canary-types.js';
import {buildCheckInput} from '../source/core/check-input.js';
import type {FleetSnapshot} from '../source/core/fleet-types.js';
import type {Plan} from '../source/core/plan-types.js';
import {validatePlan} from '../source/plan/load-plan.js';
import {teeiPreset} from '../source/plan/presets/teei.js';
import {fleetReading} from './helpers/fleet-reading.js';
import {greenInput, minute, seedPlan, t0} from './helpers/plan-fixture.js';

const fleetSection = {namespace: 'golive/test', publishIntervalMs: 10_000, minAgents: 1};

function planWith(syntheticFailures: Plan['triggers']['syntheticFailures']): Plan {
	const base = seedPlan({fleet: fleetSection});
	return {...base, triggers: {...base.triggers, ...(syntheticFailures ? {syntheticFailures} : {})}};
}

const reading = (failures: Record<string, number>, state?: FleetSnapshot['state']): FleetSnapshot => fleetReading(t0, failures, state);

/** A canary live at 10 % since t0 - 10 min: its soak is done, so a green check promotes. */
function soakedAt10(plan: Plan): CanaryState {
	let state = initialCanaryState();
	const start = t0 - plan.canary.stageDurationMs - minute;
	state = reduceCanary(plan, state, {type: 'check', input: greenInput(plan, start)}).state;
	state = reduceCanary(plan, state, {type: 'start', at: start + 1}).state;
	state = reduceCanary(plan, state, {type: 'flag_confirmed', at: start + 2, percent: 10}).state;
	for (let at = start + minute; at < t0; at += minute) state = reduceCanary(plan, state, {type: 'check', input: greenInput(plan, at)}).state;
	expect(state.phase).toMatchObject({kind: 'stage', percent: 10});
	return state;
}

/** The check at t0: every rule green, the fleet reading as given. */
function checkAt(plan: Plan, fleet: FleetSnapshot | null) {
	const green = greenInput(plan, t0);
	const {syntheticFailures} = buildCheckInput(plan, {probes: [], cloudwatch: null, fleet}, t0, green.rules);
	return {...green, ...(syntheticFailures ? {syntheticFailures} : {})};
}

describe('check input: the failing locations, counted against the plan', () => {
	it('names each location × probe with at least `consecutive` failed checks in a row (default 2, the run-of-show)', () => {
		const twice = planWith(undefined);
		expect(checkAt(twice, reading({eu: 2, us: 1, ap: 0})).syntheticFailures).toEqual([{location: 'eu', probe: 'board', consecutiveFailures: 2}]);
		const thrice = planWith({consecutive: 3, action: 'rollback'});
		expect(checkAt(thrice, reading({eu: 2, us: 1, ap: 0})).syntheticFailures).toEqual([]);
		expect(checkAt(thrice, reading({eu: 4})).syntheticFailures).toEqual([{location: 'eu', probe: 'board', consecutiveFailures: 4}]);
	});

	it('an unusable or missing reading names nobody (unknown is neither an alert nor a rollback); no fleet section, no field', () => {
		const plan = planWith({consecutive: 2, action: 'rollback'});
		expect(
			checkAt(plan, reading({eu: 5}, {kind: 'unreachable', why: 'ECONNREFUSED', retryInMs: 1000} as unknown as FleetSnapshot['state'])).syntheticFailures,
		).toEqual([]);
		expect(checkAt(plan, null).syntheticFailures).toEqual([]);
		expect(buildCheckInput(seedPlan(), {probes: [], cloudwatch: null}, t0).syntheticFailures).toBeUndefined();
	});
});

describe('the reducer: rollback when the plan says so, and it beats the promotion due at the same check', () => {
	it('action rollback: a location failing twice rolls back (trigger synthetic_failures, the location named), not the promote the soak allowed', () => {
		const plan = planWith({consecutive: 2, action: 'rollback'});
		const state = soakedAt10(plan);
		// The control: the same check without failures promotes.
		const control = reduceCanary(plan, state, {type: 'check', input: checkAt(plan, reading({eu: 0, us: 1}))});
		expect(control.state.lastDecision).toMatchObject({kind: 'promote', toPercent: 30});
		const step = reduceCanary(plan, state, {type: 'check', input: checkAt(plan, reading({eu: 0, us: 2}))});
		expect(step.state.phase.kind).toBe('rolled_back');
		expect(step.effects[0]).toMatchObject({kind: 'set_flag', percent: 0});
		expect(step.state.lastDecision).toMatchObject({kind: 'rollback', trigger: 'synthetic_failures', fromPercent: 10, toPercent: 0});
		expect(step.state.lastDecision!.reason).toBe('synthetic monitor us/board: 2 checks failed in a row (limit 2)');
		expect(step.state.lastDecision!.evidence[0]).toMatchObject({ruleId: 'synthetic:us/board', value: 2, threshold: 2});
	});

	it('action alert (the run-of-show, and the default): the same failures do not roll back', () => {
		for (const plan of [planWith({consecutive: 2, action: 'alert'}), planWith(undefined)]) {
			const step = reduceCanary(plan, soakedAt10(plan), {type: 'check', input: checkAt(plan, reading({us: 5}))});
			expect(step.state.lastDecision).toMatchObject({kind: 'promote', toPercent: 30});
		}
	});

	it('before the canary is live the trigger is not armed (like every trigger)', () => {
		const plan = planWith({consecutive: 2, action: 'rollback'});
		const step = reduceCanary(plan, initialCanaryState(), {type: 'check', input: checkAt(plan, reading({us: 5}))});
		expect(step.state.phase.kind).toBe('pre');
	});
});

describe('the loader', () => {
	// The fixture's move probe has no body template; the loader wants one.
	const probes = seedPlan().probes.map((p) => (p.kind === 'occ-move' ? {...p, body: {status: '{status}'}} : p));
	const doc = (triggers: Record<string, unknown>, withFleet = true) =>
		JSON.parse(
			JSON.stringify({...seedPlan(), probes, ...(withFleet ? {fleet: fleetSection} : {}), triggers: {...seedPlan().triggers, ...triggers}}),
		) as unknown;

	it('fills the defaults (2, alert) and accepts rollback', () => {
		const loaded = validatePlan(doc({syntheticFailures: {}}), {});
		expect(loaded.ok && loaded.plan.triggers.syntheticFailures).toEqual({consecutive: 2, action: 'alert'});
		const rollback = validatePlan(doc({syntheticFailures: {consecutive: 3, action: 'rollback'}}), {});
		expect(rollback.ok && rollback.plan.triggers.syntheticFailures).toEqual({consecutive: 3, action: 'rollback'});
	});

	it('rejects an unknown action, a count out of bounds, and the trigger without a fleet, naming the field', () => {
		const bad = (document: unknown) => {
			const r = validatePlan(document, {});
			return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
		};
		expect(bad(doc({syntheticFailures: {action: 'page'}})).join('\n')).toContain('/triggers/syntheticFailures/action');
		expect(bad(doc({syntheticFailures: {consecutive: 0}})).join('\n')).toContain('/triggers/syntheticFailures/consecutive');
		expect(bad(doc({syntheticFailures: {consecutive: 2}}, false)).join('\n')).toContain(
			'/triggers/syntheticFailures: needs a /fleet section (the probe agents are the synthetic monitors)',
		);
	});

	it('the TEEI preset: alert after 2 consecutive failures, as its run-of-show says, and it loads', () => {
		const teei = teeiPreset();
		const loaded = validatePlan(JSON.parse(JSON.stringify(teei)), {STAGING_URL: 'http://127.0.0.1:1', PROD_URL: 'http://127.0.0.1:2', PREVIOUS_VERSION: 'v1'});
		expect(loaded.ok ? [] : loaded.errors).toEqual([]);
		// The preset switches the trigger on; the schema's defaults are the run-of-show's numbers.
		expect(loaded.ok ? loaded.plan.triggers.syntheticFailures : null).toEqual({consecutive: 2, action: 'alert'});
	});
});
