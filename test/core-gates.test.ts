import {describe, expect, it} from 'vitest';
import {initialCanaryState, reduceCanary} from '../source/core/canary-machine.js';
import type {CanaryState} from '../source/core/canary-types.js';
import type {GateView, SignOff} from '../source/core/decision-types.js';
import {evaluateGates, type GateInputs} from '../source/core/gates.js';
import {evaluateRules} from '../source/core/rules.js';
import {alarm, cloudwatchSnapshot, greenInput, healthyProbes, minute, probeSnapshot, seedPlan, t0} from './helpers/plan-fixture.js';

const plan = seedPlan();
const ioResults = {
	'A-smoke': {status: 'pass', detail: 'HTTP 200 in 41 ms'},
	'B-dns': {status: 'pass', detail: 'statusboard.example.com → 10.0.0.1'},
	'B-tls': {status: 'pass', detail: 'valid 84 days'},
	'B-rollback': {status: 'pass', detail: 'flag reads back at 0 %; emergency rollback sets it to 0 %'},
} as const;

function inputs(overrides: Partial<GateInputs> = {}): GateInputs {
	return {
		rules: evaluateRules(plan, {probes: healthyProbes(t0), cloudwatch: cloudwatchSnapshot(t0)}, t0),
		canary: initialCanaryState(),
		signOffs: [],
		autoResults: {...ioResults},
		cloudwatch: cloudwatchSnapshot(t0),
		...overrides,
	};
}

const gate = (views: GateView[], id: string) => views.find((g) => g.gate === id)!;
const item = (views: GateView[], id: string) => views.flatMap((g) => g.items).find((i) => i.id === id)!;
const uat = (name: string, role: string): SignOff => ({itemId: 'A-uat', role, name, at: t0});

describe('Gate A: UAT needs 2 approvals from required roles', () => {
	it.each([
		['no sign-off', [], 'waiting_sign_off', 'waiting_sign_off'],
		['1 approval', [uat('Dana', 'qa_lead')], 'waiting_sign_off', 'waiting_sign_off'],
		['2 approvals', [uat('Dana', 'qa_lead'), uat('Lee', 'product_owner')], 'pass', 'pass'],
		['same person twice', [uat('Dana', 'qa_lead'), uat('dana ', 'product_owner')], 'waiting_sign_off', 'waiting_sign_off'],
		['a role not required', [uat('Dana', 'qa_lead'), uat('Sam', 'intern')], 'waiting_sign_off', 'waiting_sign_off'],
		['another item', [uat('Dana', 'qa_lead'), {itemId: 'B-x', role: 'qa_lead', name: 'Lee', at: t0}], 'waiting_sign_off', 'waiting_sign_off'],
	] as const)('%s → item %s', (_name, signOffs, itemStatus, gateStatus) => {
		const views = evaluateGates(plan, inputs({signOffs: [...signOffs]}), t0);
		expect(item(views, 'A-uat').status).toBe(itemStatus);
		// The gate's other items pass, so the gate follows the sign-off: pending until then.
		expect(gate(views, 'A').status).toBe(gateStatus === 'pass' ? 'pass' : 'pending');
	});

	it('says who signed and how many are missing', () => {
		const views = evaluateGates(plan, inputs({signOffs: [uat('Dana', 'qa_lead')]}), t0);
		expect(item(views, 'A-uat').detail).toBe('1 of 2 approvals (qa_lead, product_owner, approver): Dana (qa_lead)');
	});

	it('a breached performance SLO fails Gate A, NO_DATA leaves it no_data', () => {
		const slow = evaluateRules(
			plan,
			{probes: [probeSnapshot('board', t0, {latencyMs: {p95: 800}}), ...healthyProbes(t0).slice(1)], cloudwatch: cloudwatchSnapshot(t0)},
			t0,
		);
		const views = evaluateGates(plan, inputs({rules: slow, signOffs: [uat('Dana', 'qa_lead'), uat('Lee', 'approver')]}), t0);
		expect(gate(views, 'A').status).toBe('fail');
		expect(item(views, 'A-perf').detail).toMatch(/^board_p95 BREACH 800 ms ≥ 800 ms/);
		const empty = evaluateRules(plan, {probes: [], cloudwatch: null}, t0);
		const none = evaluateGates(plan, inputs({rules: empty, signOffs: [uat('Dana', 'qa_lead'), uat('Lee', 'approver')]}), t0);
		expect(gate(none, 'A').status).toBe('no_data');
	});
});

describe('Gate B: production prep', () => {
	it('passes with DNS, TLS, alarms OK/INSUFFICIENT_DATA and rollback configured', () => {
		const cw = cloudwatchSnapshot(t0, {alarms: [alarm('sb-5xx', 'OK', t0), alarm('sb-latency', 'INSUFFICIENT_DATA', t0)]});
		const views = evaluateGates(plan, inputs({cloudwatch: cw}), t0);
		expect(gate(views, 'B').status).toBe('pass');
		expect(item(views, 'B-alarms').detail).toBe('2 alarms OK (1 INSUFFICIENT_DATA)');
	});

	it('fails on an alarm in ALARM or a missing alarm, naming it', () => {
		const inAlarm = evaluateGates(plan, inputs({cloudwatch: cloudwatchSnapshot(t0, {alarms: [alarm('sb-5xx', 'ALARM', t0)]})}), t0);
		expect(item(inAlarm, 'B-alarms')).toMatchObject({status: 'fail', detail: 'in ALARM: sb-5xx'});
		const missing = evaluateGates(plan, inputs({cloudwatch: cloudwatchSnapshot(t0, {missingAlarms: ['sb-db-cpu']})}), t0);
		expect(item(missing, 'B-alarms')).toMatchObject({status: 'fail', detail: 'alarm not found in CloudWatch: sb-db-cpu'});
		expect(gate(missing, 'B').status).toBe('fail');
	});

	it('CloudWatch down → no_data, never pass', () => {
		const views = evaluateGates(
			plan,
			inputs({cloudwatch: cloudwatchSnapshot(t0, {state: {kind: 'error', code: 'no_credentials', message: 'no credentials'}})}),
			t0,
		);
		expect(item(views, 'B-alarms').status).toBe('no_data');
		expect(gate(views, 'B').status).toBe('no_data');
	});

	it('DNS/TLS not checked yet → pending; a failed TLS check fails the gate', () => {
		expect(gate(evaluateGates(plan, inputs({autoResults: {}}), t0), 'B').status).toBe('pending');
		const views = evaluateGates(plan, inputs({autoResults: {...ioResults, 'B-tls': {status: 'fail', detail: 'expires in 12 days (< 30)'}}}), t0);
		expect(gate(views, 'B').status).toBe('fail');
	});
});

describe('Gates C–G follow the canary', () => {
	function walk(): CanaryState[] {
		const states: CanaryState[] = [];
		let s = initialCanaryState();
		let at = t0;
		s = reduceCanary(plan, s, {type: 'check', input: greenInput(plan, at)}).state;
		s = reduceCanary(plan, s, {type: 'start', at}).state;
		s = reduceCanary(plan, s, {type: 'flag_confirmed', at, percent: 10}).state;
		states.push(s);
		for (let i = 1; i <= 11; i++) {
			at += minute;
			const step = reduceCanary(plan, s, {type: 'check', input: greenInput(plan, at)});
			s = step.state;
		}

		s = reduceCanary(plan, s, {type: 'flag_confirmed', at: at + 1, percent: 30}).state;
		states.push(s);
		s = reduceCanary(plan, s, {type: 'check', input: greenInput(plan, at + minute, {latencyMs: 2500})}).state;
		states.push(s);
		return states;
	}

	it('C active at 10 %, passed at 30 %; D fails when rolled back from 30 %; G pending', () => {
		const [at10, at30, rolledBack] = walk();
		const v10 = evaluateGates(plan, inputs({canary: at10!}), t0);
		expect(gate(v10, 'C')).toMatchObject({status: 'active', title: 'Canary 10%'});
		expect(gate(v10, 'D').status).toBe('pending');
		const v30 = evaluateGates(plan, inputs({canary: at30!}), t0 + 12 * minute);
		expect(gate(v30, 'C').status).toBe('pass');
		expect(item(v30, 'C-slo')).toMatchObject({status: 'pass', detail: 'passed at 10%'});
		expect(gate(v30, 'D').status).toBe('active');
		const vRb = evaluateGates(plan, inputs({canary: rolledBack!}), t0 + 13 * minute);
		expect(gate(vRb, 'C').status).toBe('pass');
		expect(gate(vRb, 'D').status).toBe('fail');
		expect(item(vRb, 'D-stage').detail).toMatch(/^rolled back at 30%: canary board_p95 2500 ms > 2000 ms/);
		expect(gate(vRb, 'E').status).toBe('pending');
		expect(gate(vRb, 'G').status).toBe('pending');
	});

	it('without items in the plan, C–F and G still show the stages', () => {
		const views = evaluateGates(seedPlan({gates: []}), inputs(), t0);
		expect(views.map((g) => `${g.gate}:${g.title}:${g.items.length}`)).toEqual([
			'A:Staging validation:0',
			'B:Production preparation:0',
			'C:Canary 10%:1',
			'D:Canary 30%:1',
			'E:Canary 50%:1',
			'F:Canary 100%:1',
			'G:Stabilization:1',
		]);
		// A gate with no items never passes.
		expect(views[0]!.status).toBe('pending');
	});
});

describe('a skipped soak', () => {
	it('gates of stages promoted past early read SKIPPED (operator, held m:ss), never PASS', () => {
		const canary: CanaryState = {
			...initialCanaryState(),
			phase: {kind: 'stage', index: 2, percent: 50, enteredAt: t0, greenSince: null},
			skippedSoaks: {10: 3000, 30: 0},
		};
		const views = evaluateGates(plan, inputs({canary}), t0);
		expect(gate(views, 'C').status).toBe('skipped');
		expect(gate(views, 'C').items.every((i) => i.status === 'skipped')).toBe(true);
		expect(gate(views, 'C').items[0]?.detail).toBe('SKIPPED (operator, held 0:03)');
		expect(gate(views, 'D').items[0]?.detail).toBe('SKIPPED (operator, held 0:00)');
		expect(gate(views, 'E').status).toBe('active');
	});
	it("Gate B's rollback item says what R runs, or that no command is configured, and is pending until the flag reads back", () => {
		const detail = (p: typeof plan) => item(evaluateGates(p, {...inputs(), autoResults: {}}, t0), 'B-rollback').detail;
		expect(item(evaluateGates(plan, {...inputs(), autoResults: {}}, t0), 'B-rollback').status).toBe('pending');
		expect(detail(plan)).toBe(
			'flag write (http) and read-back configured, read-back not checked yet; full rollback runs: ./rollback.sh full --reason {reason}',
		);
		const {fullRollback: _none, ...actions} = plan.actions;
		expect(detail({...plan, actions})).toBe(
			'flag write (http) and read-back configured, read-back not checked yet; no full rollback command (R sets the flag to 0 % only)',
		);
	});
});
