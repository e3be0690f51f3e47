/**
 * The fleet as a rule source and the TEEI run-of-show's synthetic monitors, in the pure
 * core: a fleet rule PASSes only on a fresh reading with enough agents; below minAgents it
 * is NO_DATA; checks give per-location uptime and the two-failures-in-a-row alert.
 */
import {describe, expect, it} from 'vitest';
import {monitorAlerts, summarizeChecks, uptimeVerdict} from '../source/core/fleet-checks.js';
import type {FleetLocation, FleetSnapshot} from '../source/core/fleet-types.js';
import type {SloRule} from '../source/core/plan-types.js';
import {evaluateRule} from '../source/core/rules.js';
import {evaluateGates} from '../source/core/gates.js';
import {initialCanaryState} from '../source/core/canary-machine.js';
import {validatePlan} from '../source/plan/load-plan.js';
import {seedPlan, t0} from './helpers/plan-fixture.js';

const location = (name: string, values: Partial<FleetLocation> = {}): FleetLocation => ({
	name,
	agents: 1,
	p95: 120,
	uptime: 1,
	checks: 30,
	failedChecks: 0,
	consecutiveFailures: 0,
	...values,
});

function reading(values: Partial<FleetSnapshot> = {}, p95 = 300): FleetSnapshot {
	return {
		at: t0,
		state: {kind: 'ok'},
		windowStartMs: t0 - 70_000,
		windowEndMs: t0 - 10_000,
		intervalMs: 10_000,
		agents: 3,
		minAgents: 3,
		probes: [
			{id: 'board', p50: 100, p95, p99: 500, requests: 900, errors: 9, timeouts: 1, agents: 3, locations: [location('eu'), location('us'), location('ap')]},
		],
		callsLastHour: 720,
		...values,
	};
}

const rule: SloRule = {
	id: 'fleet_p95',
	label: 'Fleet board p95',
	source: {kind: 'fleet', probe: 'board', stat: 'p95'},
	window: '1m',
	op: '<',
	threshold: 800,
	unit: 'ms',
	minSamples: 20,
	maxAgeMs: 120_000,
	onNoData: 'hold',
};
const inputs = (fleet: FleetSnapshot | null) => ({probes: [], cloudwatch: null, fleet});

describe('fleet rule source', () => {
	it('PASS / BREACH on a fresh reading with enough agents; the value is the fleet p95', () => {
		expect(evaluateRule(rule, inputs(reading()), t0)).toMatchObject({status: 'PASS', value: 300, samples: 900, ageMs: 10_000, source: 'fleet:board'});
		expect(evaluateRule(rule, inputs(reading({}, 900)), t0)).toMatchObject({status: 'BREACH', value: 900});
		expect(
			evaluateRule({...rule, source: {kind: 'fleet', probe: 'board', stat: 'errorRate'}, threshold: 0.02, unit: 'ratio'}, inputs(reading()), t0),
		).toMatchObject({status: 'PASS', value: 0.01});
	});

	it('fewer agents than minAgents → NO_DATA (never a pass), even with a good value', () => {
		expect(evaluateRule(rule, inputs(reading({agents: 2})), t0)).toMatchObject({status: 'NO_DATA', note: '2 agents reporting, fewer than minAgents 3'});
		expect(evaluateRule({...rule, onNoData: 'fail'}, inputs(reading({agents: 0})), t0)).toMatchObject({status: 'BREACH'});
	});

	it('no reading, a failed source or too few requests → NO_DATA; a stale window → STALE (never a pass)', () => {
		expect(evaluateRule(rule, inputs(null), t0)).toMatchObject({status: 'NO_DATA', note: 'no fleet reading yet'});
		expect(evaluateRule(rule, inputs(reading({state: {kind: 'error', code: 'unreachable', message: 'x'}})), t0).status).toBe('NO_DATA');
		expect(evaluateRule(rule, inputs(reading({windowEndMs: t0 - 200_000})), t0)).toMatchObject({status: 'STALE'});
		const few = reading();
		few.probes[0]!.requests = 5;
		expect(evaluateRule(rule, inputs(few), t0)).toMatchObject({status: 'NO_DATA', note: 'too few samples (5 < 20)'});
		const nan = reading({}, Number.NaN);
		expect(evaluateRule(rule, inputs(nan), t0).status).toBe('NO_DATA');
	});

	it('the plan loader: a fleet rule needs /fleet; the publish interval must divide a minute', () => {
		const base = seedPlan();
		// The fixture's move probe has no body template; the loader wants one.
		base.probes = base.probes.map((p) => (p.kind === 'occ-move' ? {...p, body: {status: '{status}'}} : p));
		const withRule = {...base, slos: [...base.slos, rule]};
		const noFleet = validatePlan(JSON.parse(JSON.stringify(withRule)), {});
		expect(noFleet.ok).toBe(false);
		if (!noFleet.ok) expect(noFleet.errors.map((e) => e.path)).toContain('/slos/5/source');
		const ok = validatePlan(JSON.parse(JSON.stringify({...withRule, fleet: {namespace: 'golive/fleet'}})), {});
		expect(ok.ok).toBe(true);
		if (ok.ok) expect(ok.plan.fleet).toEqual({namespace: 'golive/fleet', publishIntervalMs: 10_000, minAgents: 1});
		const odd = validatePlan(JSON.parse(JSON.stringify({...withRule, fleet: {namespace: 'golive/fleet', publishIntervalMs: 7000}})), {});
		expect(odd.ok).toBe(false);
		const aws = validatePlan(JSON.parse(JSON.stringify({...withRule, fleet: {namespace: 'AWS/EC2'}})), {});
		expect(aws.ok).toBe(false);
	});
});

describe('synthetic monitors (TEEI run-of-show)', () => {
	const check = (k: number, requests: number, errors: number) => ({startMs: t0 + k * 10_000, requests, errors});

	it('uptime = passed checks / checks; a check fails when at least half its requests failed; empty intervals are not checks', () => {
		expect(summarizeChecks([check(0, 10, 0), check(1, 10, 5), check(2, 10, 4), check(3, 0, 0)])).toEqual({
			uptime: 2 / 3,
			checks: 3,
			failedChecks: 1,
			consecutiveFailures: 0,
		});
		expect(summarizeChecks([]).uptime).toBeNaN();
	});

	it('two consecutive failed checks raise the alert; one does not; a pass in between resets', () => {
		expect(summarizeChecks([check(0, 1, 0), check(1, 1, 1)]).consecutiveFailures).toBe(1);
		expect(summarizeChecks([check(2, 1, 1), check(0, 1, 0), check(1, 1, 1)]).consecutiveFailures).toBe(2);
		expect(summarizeChecks([check(0, 1, 1), check(1, 1, 0), check(2, 1, 1)]).consecutiveFailures).toBe(1);
		const alerting = reading();
		alerting.probes[0]!.locations[1] = location('us', {consecutiveFailures: 2, uptime: 0.8});
		expect(monitorAlerts(alerting, 2)).toEqual([{location: 'us', probe: 'board', consecutiveFailures: 2}]);
		expect(monitorAlerts(alerting, 3)).toEqual([]);
		expect(monitorAlerts(reading(), 2)).toEqual([]);
	});

	it('gate item: uptime ≥ 90 % at every location passes; 89.9 % fails; no checks or too few agents is NO_DATA', () => {
		expect(uptimeVerdict(reading()).status).toBe('PASS');
		const low = reading();
		low.probes[0]!.locations[2] = location('ap', {uptime: 0.899});
		expect(uptimeVerdict(low)).toEqual({status: 'FAIL', detail: 'ap/board 89.9 %'});
		const edge = reading();
		edge.probes[0]!.locations[2] = location('ap', {uptime: 0.9});
		expect(uptimeVerdict(edge).status).toBe('PASS');
		const none = reading();
		none.probes[0]!.locations[0] = location('eu', {uptime: Number.NaN, checks: 0});
		expect(uptimeVerdict(none).status).toBe('NO_DATA');
		expect(uptimeVerdict(reading({agents: 1})).status).toBe('NO_DATA');
	});
});

describe('synthetic-uptime gate item', () => {
	it('passes at ≥ 90 % everywhere, fails below, is NO_DATA without a reading', () => {
		const plan = seedPlan({
			fleet: {namespace: 'golive/fleet', publishIntervalMs: 10_000, minAgents: 3},
			gates: [{id: 'g_uptime', gate: 'G', label: 'Synthetic monitors ≥ 90 %', kind: 'auto', check: {kind: 'synthetic-uptime'}}],
		});
		const item = (fleet: FleetSnapshot | null) =>
			evaluateGates(plan, {rules: [], canary: initialCanaryState(), signOffs: [], autoResults: {}, cloudwatch: null, fleet}, t0).find((g) => g.gate === 'G')!
				.items[0]!;
		expect(item(reading()).status).toBe('pass');
		const low = reading();
		low.probes[0]!.locations[0] = location('eu', {uptime: 0.8});
		expect(item(low)).toMatchObject({status: 'fail', detail: 'eu/board 80.0 %'});
		expect(item(null).status).toBe('no_data');
	});
});
