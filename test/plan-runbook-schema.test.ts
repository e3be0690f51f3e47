import {describe, expect, test} from 'vitest';
import {formatPlanErrors, validatePlan} from '../source/plan/load-plan.js';
import {demoPlan} from '../source/plan/demo-plan.js';

type Loose = {gates: unknown[]; canary: Record<string, unknown>; actions: Record<string, unknown>; postLaunch?: unknown; severities?: unknown};
const base = (): Loose => JSON.parse(JSON.stringify(demoPlan({serviceUrl: 'http://127.0.0.1:41234', cloudwatchUrl: 'http://127.0.0.1:41235'}))) as Loose;
const step = (extra: Record<string, unknown> = {}) => ({
	id: 'a_deploy',
	gate: 'A',
	label: 'Deploy staging',
	kind: 'step',
	action: {kind: 'command', argv: ['./deploy-staging.sh']},
	...extra,
});

function errors(plan: unknown): string {
	const result = validatePlan(plan, {});
	return result.ok ? '' : formatPlanErrors(result.errors);
}

describe('the plan loader and the runbook', () => {
	test('actions.hooks is refused: nothing would run it', () => {
		const plan = base();
		plan.actions['hooks'] = {deploy: {kind: 'command', argv: ['./deploy.sh']}};
		expect(errors(plan)).toMatch(/\/actions.*hooks/);
	});

	test('a step loads with its defaults; its bounds are enforced', () => {
		const plan = base();
		plan.gates.unshift(step());
		const loaded = validatePlan(plan, {});
		if (!loaded.ok) throw new Error(formatPlanErrors(loaded.errors));
		expect(loaded.plan.gates[0]).toEqual({...step(), action: {kind: 'command', argv: ['./deploy-staging.sh'], timeoutMs: 600_000}});
		for (const bad of [
			{retries: 6},
			{action: {kind: 'command', argv: ['x'], timeoutMs: 7_200_001}},
			{expect: {exitCode: 256}},
			{expect: {status: 99}},
			{action: {kind: 'command', argv: []}},
		]) {
			const p = base();
			p.gates.unshift(step(bad));
			expect(errors(p), JSON.stringify(bad)).toContain('/gates/0');
		}
	});

	test('onGateGFail "full" needs a full rollback to run', () => {
		const plan = base();
		plan.canary['onGateGFail'] = 'full';
		expect(errors(plan)).toContain('/canary/onGateGFail: "full" runs /actions/fullRollback, which the plan does not configure');
		plan.actions['fullRollback'] = {kind: 'command', argv: ['./rollback.sh', 'full']};
		expect(errors(plan)).toBe('');
	});

	test('postLaunch checkpoints fall inside the watch and ascend', () => {
		const plan = base();
		plan.postLaunch = {watchMs: 60_000, checkpoints: {offsetsMs: [20_000, 10_000, 90_000]}};
		const text = errors(plan);
		expect(text).toContain('/postLaunch/checkpoints/offsetsMs/1');
		expect(text).toContain('/postLaunch/checkpoints/offsetsMs/2: must fall inside watchMs 60000');
		plan.postLaunch = {watchMs: 60_000, checkpoints: {everyMs: 20_000}};
		expect(errors(plan)).toBe('');
		plan.postLaunch = {watchMs: 60_000, checkpoints: {everyMs: 500}};
		expect(errors(plan)).toContain('/postLaunch/checkpoints');
	});

	test('severities name real rules, once each; P1 says how long', () => {
		const plan = base();
		plan.severities = [
			{severity: 'P1', rules: ['board_p95']},
			{severity: 'P2', rules: ['board_p95', 'nope']},
		];
		const text = errors(plan);
		expect(text).toContain('/severities/0/sustainedMs');
		expect(text).toContain('/severities/1/rules/0: rule "board_p95" already has a severity at /severities/0');
		expect(text).toContain('/severities/1/rules/1: must name a rule in /slos');
		plan.severities = [{severity: 'P1', rules: ['board_p95'], sustainedMs: 120_000}];
		expect(errors(plan)).toBe('');
	});
});
