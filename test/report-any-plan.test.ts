/**
 * The report and the message catalogue for a plan that is not StatusBoardV2:
 * the Fleet Manager playbook's preset, driven through the real decision core,
 * journaled the way the engine journals, reported with its own rules and every
 * field of the run sheet's template (filled or "not recorded").
 */
import {describe, expect, it} from 'vitest';
import {reduceCanary} from '../source/core/canary-machine.js';
import type {CanaryEffect, CanaryState} from '../source/core/canary-types.js';
import {initialCanaryState} from '../source/core/canary-step.js';
import type {JournalInput, JournalRecord} from '../source/journal/records.js';
import {buildLaunchReport} from '../source/report/launch-report.js';
import {renderMarkdown} from '../source/report/markdown.js';
import {messageKinds, messageStyles, renderMessage, type StatusMessage} from '../source/report/messages.js';
import {launchStartFor} from './helpers/launch-start.js';
import {loadedPreset} from './helpers/loaded-preset.js';
import {greenInput, minute, t0} from './helpers/plan-fixture.js';

const plan = {
	...loadedPreset('fleet-manager'),
	report: {
		buildId: 'fm-2026.12.01-7',
		links: [{label: 'Monitoring Dashboards', url: 'https://grafana.example/d/fleet'}],
		messageStyle: 'fleet-manager' as const,
	},
};

/** Runs the reducer like the engine: every effect journaled as intent → outcome with the flag read back as asked. */
function fleetLaunch(): JournalRecord[] {
	const records: JournalRecord[] = [];
	const add = (at: number, r: JournalInput): void => void records.push({...r, seq: records.length + 1, ts: new Date(at).toISOString()} as JournalRecord);
	add(t0 - 30 * minute, launchStartFor(plan, 'fm-1', t0 - 30 * minute, 120 * minute));
	add(t0 - 20 * minute, {type: 'gate', gate: 'A', status: 'pass'});
	add(t0 - 10 * minute, {type: 'gate', gate: 'B', status: 'pass'});
	let state: CanaryState = {...initialCanaryState(), armed: true};
	let n = 0;
	const run = (at: number, effects: CanaryEffect[]): void => {
		for (const effect of effects) {
			if (effect.kind !== 'set_flag') continue;
			const id = `a${++n}`;
			const rollback = effect.decision.kind === 'rollback';
			add(at, {type: 'decision', decision: effect.decision});
			add(at, {
				type: 'intent',
				id,
				action: rollback ? 'emergency_rollback' : 'promote',
				targetPercent: effect.percent,
				fromPercent: null,
				reason: effect.decision.reason,
				by: 'auto',
				decision: effect.decision,
			});
			add(at + 500, {type: 'outcome', id, result: 'ok', readBackPercent: effect.percent, detail: 'read back', durationMs: 500});
			state = reduceCanary(plan, state, {type: 'flag_confirmed', at: at + 500, percent: effect.percent, requested: effect.percent}).state;
			if (rollback)
				add(at + 9000, {type: 'mitigation', triggeredAt: at, confirmedAt: at + 9000, detail: '40 responses in a row after the rollback, none from v2'});
		}
	};
	let step = reduceCanary(plan, state, {type: 'check', input: greenInput(plan, t0 - minute)});
	state = step.state;
	step = reduceCanary(plan, state, {type: 'start', at: t0, by: 'auto'});
	state = step.state;
	run(t0, step.effects);
	// Green at 10 % for the stage's 5 minutes, then a 6 % error rate at 50 %: the playbook's immediate rollback.
	for (let at = t0 + minute; at <= t0 + 12 * minute; at += minute) {
		const bad = at > t0 + 8 * minute;
		const input = greenInput(plan, at, bad ? {errorRate: 0.06} : {});
		if (bad) input.rules = input.rules.map((r) => (r.ruleId === 'error_rollback_now' ? {...r, value: 0.06, status: 'BREACH'} : r));
		step = reduceCanary(plan, state, {type: 'check', input});
		state = step.state;
		run(at, step.effects);
		if (state.phase.kind === 'rolled_back') break;
	}
	add(t0 + 20 * minute, {type: 'launch_end', outcome: 'rolled_back', exitCode: 1, reason: 'error rate at 50 %'});
	return records;
}

describe('a report for any plan', () => {
	it("shows the Fleet Manager plan's own rules and every field of the run sheet's template", () => {
		const report = buildLaunchReport(fleetLaunch());
		expect(report.result).toBe('ROLLBACK');
		expect(report.rules.map((r) => r.id)).toEqual(['error_target', 'p95_target', 'error_rollback_now', 'error_rollback_15m', 'p95_rollback']);
		const error = report.rules.find((r) => r.id === 'error_rollback_now')!;
		// The canary abort decided: the playbook's immediate 5 % limit over 1m, the same as the rule that states it.
		expect(error).toMatchObject({
			value: 0.06,
			threshold: 0.05,
			decidingThreshold: 0.05,
			decidingWindow: '1m',
			status: 'BREACH',
			atPercent: 50,
			decision: 'rollback',
		});
		expect(report.stages.map((s) => [s.percent, s.result])).toEqual([
			[10, 'passed'],
			[50, 'failed'],
			[100, 'not_reached'],
		]);

		const md = renderMarkdown(report);
		expect(md).toContain('## Fleet Manager Dashboard Production Launch Summary');
		for (const field of [
			'**Launch Date:**',
			'**Duration:**',
			'**Result:** ROLLBACK',
			'### Key Metrics',
			'### Timeline',
			'### Issues Encountered',
			'### Lessons Learned',
			'### Artifacts',
		])
			expect(md).toContain(field);
		// Fields the playbook's plan has no rule for are marked, not invented.
		expect(md).toContain('- Board Response Time P95: not recorded (the plan has no such rule)');
		expect(md).toContain('- Drawer Response Time Avg: not recorded (the plan has no such rule)');
		// The playbook splits error rate into a target and rollback rules: the run sheet's Error Rate line (rule error_rate) is marked, the rule table carries the value.
		expect(md).toContain('- Error Rate: not recorded (the plan has no such rule)');
		expect(md).toContain('| Error rate ≤ 5 % (immediate rollback) (`error_rollback_now`) | <= 5 % (1m) | 6 % | 1m | 100 | BREACH | 50 % | rollback |');
		expect(md).toContain('- User Adoption: not recorded (no report.adoption metric in the plan)');
		expect(md).toContain('| Response time p95 target (`p95_target`) | < 500 ms (1m) |');
		expect(md).toContain('- not reached: Rollout complete at 100%');
		expect(md).toContain('- Build ID: fm-2026.12.01-7');
		expect(md).toContain('- Git Tag: not recorded');
		expect(md).toContain('- Deployment Logs: not recorded');
		expect(md).toContain('- Monitoring Dashboards: [Monitoring Dashboards](https://grafana.example/d/fleet)');
		// The playbook's own words for the rollback.
		expect(report.messages).toContain('✅ Rollback complete. System stable (40 responses in a row after the rollback, none from v2, 9.0 s after the trigger).');
		expect(report.messages.some((m) => m.startsWith('Canary 50% FAILED - ') && m.includes('error_rollback_now 6% vs 5% (1m'))).toBe(true);
	});
});

describe('the message catalogue', () => {
	const numbers = {
		errorRate: 0.004,
		errorWindow: '5m',
		readings: [
			{
				ruleId: 'board_p95',
				label: 'Board load p95',
				value: 412.4,
				threshold: 800,
				op: '<' as const,
				unit: 'ms' as const,
				window: '1m' as const,
				samples: 600,
				status: 'PASS' as const,
			},
		],
	};
	const breach = [{ruleId: 'board_p95', window: '1m', value: 2399, threshold: 800, samples: 120, ageMs: 1000}];
	const units = {board_p95: 'ms' as const};
	const every: StatusMessage[] = [
		{kind: 'kickoff', targets: numbers.readings},
		{kind: 'gate_passed', gate: 'A', numbers},
		{kind: 'gate_failed', gate: 'B', issue: 'TLS certificate expires in 12 days'},
		{kind: 'stage_passed', percent: 30, next: 50, stabilizationMs: 30 * minute, numbers},
		{kind: 'stage_failed', percent: 30, breach, units, rollback: 'emergency'},
		{kind: 'stage_update', percent: 30, next: 50, greenMs: 4 * minute, neededMs: 10 * minute, numbers},
		{kind: 'incident', percent: 30, breach, units, rollback: 'emergency'},
		{kind: 'rollback_started', percent: 30, reason: 'drill', by: 'operator'},
		{kind: 'rollback_complete', rollback: 'emergency', seconds: 4.2, detail: '40 clean responses in a row'},
		{kind: 'rollback_not_verified', phase: 'not_healthy', flagPercent: 0, detail: 'board p95 still 2100 ms'},
		{kind: 'gate_g_passed', stabilizationMs: 30 * minute, numbers},
		{kind: 'gate_g_failed', breach, units, rollback: 'emergency'},
		{kind: 'success', stabilizationMs: 30 * minute, url: 'https://app.example/fleet', links: []},
		{kind: 'checkpoint', label: 'T+1h', numbers, requestsPerMin: 45},
	];

	it('covers every kind in every style, with the numbers and the window that decided', () => {
		expect(every.map((m) => m.kind)).toEqual([...messageKinds]);
		for (const style of messageStyles) {
			for (const m of every) {
				const text = renderMessage(m, 'StatusBoardV2', style).text;
				expect(text.length, `${style} ${m.kind}`).toBeGreaterThan(10);
				expect(text).not.toMatch(/NaN|undefined|\[object/);
			}
		}
		const text = (m: StatusMessage, style: (typeof messageStyles)[number] = 'statusboard') => renderMessage(m, 'StatusBoardV2', style).text;
		expect(text(every[3]!)).toBe('Canary 30% PASSED - Error: 0.4% (5m), Board load: 412ms (1m). Advancing to 50%.');
		expect(text(every[4]!)).toBe(
			'Canary 30% FAILED - board_p95 breach detected: board_p95 2399ms vs 800ms (1m, 120 samples). Executing emergency rollback immediately.',
		);
		expect(text(every[5]!)).toBe('📊 Canary at 30% - Error: 0.4% (5m), Board load: 412ms (1m). Proceeding to 50% after 6min more green.');
		expect(text(every[6]!)).toMatch(/^🚨 SLO breach detected at 30% rollout\. Metrics: board_p95 2399ms/);
		expect(text(every[12]!)).toBe('🎉 StatusBoardV2 launch COMPLETE! 100% rollout stable for 30min. All SLOs green. Monitoring continues.');
		expect(text(every[12]!, 'fleet-manager')).toBe('🎉 StatusBoardV2 is now LIVE!\nAccess at: https://app.example/fleet');
		expect(text(every[7]!, 'teei')).toBe('🔴 ROLLBACK INITIATED at 30% - drill');
		expect(text(every[13]!, 'teei')).toBe('T+1h: All green. Req/min: 45, Error rate: 0.4%, Board load p95: 412ms (1m)');
	});

	it('says COMPLETE only for a verified rollback', () => {
		for (const style of messageStyles) {
			expect(renderMessage(every[8]!, 'S', style).text).toMatch(/COMPLETE|complete/);
			for (const phase of ['writing', 'applied', 'not_healthy', 'failing', 'gave_up'] as const) {
				const text = renderMessage({kind: 'rollback_not_verified', phase, flagPercent: phase === 'failing' ? 30 : 0, detail: 'x'}, 'S', style).text;
				expect(text, phase).not.toMatch(/complete|verified\b(?! yet)/i);
			}
		}
	});
});
