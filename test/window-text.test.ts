/**
 * Messages name a window by its real length, as the tiles do: the demo plan's
 * "1m" and "5m" windows are 8 s and 20 s (`windowsMs`), so the Why, the
 * decision reasons and the ready-to-paste messages say `8s`/`20s`, never
 * `1m`/`5m`. A plan without `windowsMs` keeps the names. Pure.
 */
import {describe, expect, it} from 'vitest';
import {formatRuleResult, ruleEvidence, windowText} from '../source/core/format.js';
import {buildCheckInput} from '../source/core/check-input.js';
import {evaluateRules} from '../source/core/rules.js';
import {canaryAbortDecisions} from '../source/core/triggers.js';
import {planTargets, renderMessage, stageFailedText, stagePassedText} from '../source/report/messages.js';
import {demoPlan} from '../source/plan/demo-plan.js';
import {demoProbes} from './helpers/probe-snapshots.js';

const plan = demoPlan({serviceUrl: 'http://127.0.0.1:1', cloudwatchUrl: 'http://127.0.0.1:2'});
const at = Date.UTC(2026, 10, 23, 10, 0, 0);

describe('window text', () => {
	it('the real length when known, else the name', () => {
		expect(windowText('1m', 8000)).toBe('8s');
		expect(windowText('5m', 20_000)).toBe('20s');
		expect(windowText('5m', 300_000)).toBe('5m');
		expect(windowText('1m')).toBe('1m');
		expect(windowText('1m', Number.NaN)).toBe('1m');
	});

	it('the demo plan: rule lines, evidence and messages say 8s / 20s, as the tiles do', () => {
		const rules = evaluateRules(plan, {probes: demoProbes(at, {board: {requests: 200, p95: 2400, mean: 900}}), cloudwatch: null}, at);
		const board = rules.find((r) => r.ruleId === 'board_p95')!;
		expect(board.windowMs).toBe(plan.windowsMs![board.window]);
		const line = formatRuleResult(board);
		expect(line).toMatch(/\((8s|20s), \d+ samples, age/);
		expect(line).not.toMatch(/\((1m|5m),/);
		const evidence = rules.filter((r) => r.status === 'BREACH').map(ruleEvidence);
		expect(evidence.length).toBeGreaterThan(0);
		const failed = stageFailedText(plan, 30, evidence);
		expect(failed).toMatch(/board_p95 \S+ vs \S+ \((8s|20s), \d+ samples\)/);
		expect(failed).not.toMatch(/\((1m|5m)[,)]/);
		const green = evaluateRules(plan, {probes: demoProbes(at), cloudwatch: null}, at);
		const passed = stagePassedText(plan, 10, 30, {errorRate: 0.001, rules: green});
		expect(passed).toMatch(/Error: \S+, .* \(8s\)\./);
		expect(passed).not.toMatch(/\((1m|5m)\)/);
		const kickoff = renderMessage({kind: 'kickoff', targets: planTargets(plan)}, plan.service).text;
		expect(kickoff).not.toMatch(/\((1m|5m)\)/);
	});

	it('the canary abort triggers (the Why of an automatic rollback) say the check window as 8s', () => {
		const probes = demoProbes(at, {board: {requests: 200, p95: 2600, mean: 900, errors: 20}});
		const input = buildCheckInput(plan, {probes, cloudwatch: null}, at, evaluateRules(plan, {probes, cloudwatch: null}, at));
		const decisions = canaryAbortDecisions(plan, input, 30);
		expect(decisions.map((d) => d.trigger)).toEqual(['canary_error_rate', 'canary_latency']);
		for (const d of decisions) {
			expect(d.reason).toMatch(/at 30% \(8s, \d+ samples, age/);
			expect(d.evidence[0]).toMatchObject({window: '1m', windowMs: 8000});
		}
	});

	it('a plan without windowsMs keeps the window names', () => {
		const {windowsMs: _real, ...named} = plan;
		const rules = evaluateRules(named, {probes: demoProbes(at), cloudwatch: null}, at);
		expect(rules.every((r) => r.windowMs === undefined)).toBe(true);
		expect(formatRuleResult(rules.find((r) => r.ruleId === 'board_p95')!)).toMatch(/\((1m|5m), /);
	});
});
