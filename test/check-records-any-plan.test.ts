/**
 * Check records carry the plan's own rules: a Fleet Manager launch journals
 * every rule's value and status by its rule id, and `golive status` (from the
 * journal), the status messages and the report read them back. A check line
 * from an older journal (the StatusBoardV2 run sheet's four named numbers)
 * still parses and reports.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {readStatusFromJournal} from '../source/control/status-view.js';
import type {RuleResult} from '../source/core/decision-types.js';
import {checkRecord} from '../source/engine/journal-records.js';
import {checkRuleValue, checkedRules} from '../source/journal/check-values.js';
import {parseJournal} from '../source/journal/journal.js';
import type {CheckRecord} from '../source/journal/records.js';
import {journalMessages} from '../source/report/journal-messages.js';
import {loadedPreset} from './helpers/loaded-preset.js';
import {launchStartFor} from './helpers/launch-start.js';
import {t0} from './helpers/plan-fixture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'golive-check-records-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const plan = loadedPreset('fleet-manager');

/** Each of the plan's rules measured just inside (or, for `breach`, outside) its threshold. */
function measured(breach: string | null): RuleResult[] {
	return plan.slos.map((r) => ({
		ruleId: r.id,
		label: r.label,
		status: r.id === breach ? 'BREACH' : 'PASS',
		value: r.id === breach ? r.threshold * 1.5 : r.threshold / 2,
		threshold: r.threshold,
		op: r.op,
		unit: r.unit,
		window: r.window,
		samples: 100,
		ageMs: 1000,
		source: 'test',
	}));
}

function journalFile(name: string, lines: unknown[]): string {
	const file = path.join(dir, name);
	writeFileSync(file, lines.map((l, i) => JSON.stringify({seq: i + 1, ts: new Date(t0 + i * 1000).toISOString(), ...(l as object)})).join('\n') + '\n');
	return file;
}

const start = launchStartFor(plan, 'fm-check', t0, 3_600_000);

describe('check records for any plan', () => {
	it("journal a Fleet Manager plan's own rules, by rule id, with value and status", () => {
		const ids = plan.slos.map((r) => r.id);
		expect(ids).not.toContain('board_p95');
		const record = checkRecord(measured('p95_rollback'), 10, t0);
		expect(Object.keys(record.rules ?? {})).toEqual(ids);
		const p95 = plan.slos.find((r) => r.id === 'p95_rollback')!;
		expect(record.rules?.p95_rollback).toEqual({value: p95.threshold * 1.5, status: 'BREACH'});
		expect(record.green).toBe(false);
		expect(record).not.toHaveProperty('boardP95Ms');
		expect(checkRuleValue(record, 'p95_target')).toBe(plan.slos.find((r) => r.id === 'p95_target')!.threshold / 2);
	});

	it('golive status from the journal shows the plan’s rules with their thresholds and values', async () => {
		const file = journalFile('fm.jsonl', [start, checkRecord(measured('p95_rollback'), 10, t0 + 60_000)]);
		const status = await readStatusFromJournal(file);
		expect(status.rules.map((r) => r.id)).toEqual(plan.slos.map((r) => r.id));
		for (const rule of plan.slos) {
			const shown = status.rules.find((r) => r.id === rule.id)!;
			expect(shown).toMatchObject({label: rule.label, threshold: rule.threshold, unit: rule.unit, status: rule.id === 'p95_rollback' ? 'BREACH' : 'PASS'});
			expect(shown.value).toBe(rule.id === 'p95_rollback' ? rule.threshold * 1.5 : rule.threshold / 2);
		}
	});

	it('a promote without evidence posts the last check’s own numbers, from the plan’s rules', () => {
		const record = {...checkRecord(measured(null), 10, t0 + 60_000), seq: 2, ts: new Date(t0 + 60_000).toISOString()};
		const {records} = parseJournal(
			[
				{...start, seq: 1, ts: new Date(t0).toISOString()},
				record,
				{
					type: 'decision',
					seq: 3,
					ts: new Date(t0 + 61_000).toISOString(),
					decision: {kind: 'promote', at: t0 + 61_000, reason: 'operator', evidence: [], fromPercent: 100, toPercent: 100},
				},
			]
				.map((r) => JSON.stringify(r))
				.join('\n') + '\n',
		);
		const passed = journalMessages(records).find((m) => m.kind === 'stage_passed');
		expect(passed?.kind === 'stage_passed' && passed.numbers.readings.map((r) => r.ruleId)).toEqual(plan.slos.filter((r) => r.unit === 'ms').map((r) => r.id));
		expect(passed?.kind === 'stage_passed' && passed.numbers.errorRate).toBe(plan.slos.find((r) => r.unit === 'ratio')!.threshold / 2);
	});

	it('an old check line (the run sheet’s four named numbers, no rules) still parses and reports', async () => {
		const oldStart =
			'{"type":"launch_start","launchId":"old-1","format":1,"service":"StatusBoardV2","environment":"production","flag":"STATUS_BOARD_V2_ENABLED","stages":[10,30,50,100],"stageDurationMs":600000,"stabilizationMs":1800000,"plannedDurationMs":6300000,"planHash":"sha256:x","startedAt":1795424400000,"targets":{"boardP95Ms":800,"drawerAvgMs":200,"errorRate":0.01,"occConflicts":30},"seq":1,"ts":"2026-11-23T09:00:00.000Z"}';
		const oldCheck =
			'{"type":"check","at":1795424460000,"flagPercent":30,"boardP95Ms":912.4,"drawerAvgMs":95.4,"errorRate":0.002,"occConflicts":5,"green":false,"failing":["board_p95 BREACH 912.4"],"seq":2,"ts":"2026-11-23T09:01:00.000Z"}';
		const {records, errors} = parseJournal(`${oldStart}\n${oldCheck}\n`);
		expect(errors).toEqual([]);
		const check = records.find((r): r is typeof r & CheckRecord => r.type === 'check')!;
		expect(Object.fromEntries(checkedRules(check))).toEqual({
			board_p95: {value: 912.4, status: 'BREACH'},
			drawer_avg: {value: 95.4, status: 'PASS'},
			error_rate: {value: 0.002, status: 'PASS'},
			occ_conflicts: {value: 5, status: 'PASS'},
		});
		const file = path.join(dir, 'old.jsonl');
		writeFileSync(file, `${oldStart}\n${oldCheck}\n`);
		const status = await readStatusFromJournal(file);
		expect(status.rules.find((r) => r.id === 'board_p95')).toMatchObject({label: 'Board p95', value: 912.4, threshold: 800, unit: 'ms', status: 'BREACH'});
		expect(status.rules.find((r) => r.id === 'error_rate')).toMatchObject({value: 0.002, threshold: 0.01, unit: 'ratio', status: 'PASS'});
	});
});
