/**
 * The report's V2-vs-V1 table from a journal on disk: check records written the way the engine
 * writes them (`checkRecord` with the rules' comparisons and the reducer's HIGH streaks) through
 * the real journal file, read back, reported. Per stage and rule: the last check and the worst.
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {RuleResult} from '../source/core/decision-types.js';
import {noComparison, type Comparison} from '../source/core/judge/comparison.js';
import {checkRecord} from '../source/engine/journal-records.js';
import {openJournal, readJournal} from '../source/journal/journal.js';
import {buildLaunchReport} from '../source/report/launch-report.js';
import {renderMarkdown} from '../source/report/markdown.js';
import {passResult, t0} from './helpers/plan-fixture.js';

function latency(verdict: Comparison['verdict'], v1: number, v2: number, samples: [number, number], p: number, ci: [number, number]): Comparison {
	return {
		...noComparison('latency', 'test'),
		verdict,
		v1,
		v2,
		v1Samples: samples[0],
		v2Samples: samples[1],
		deltaPct: ((v2 - v1) / v1) * 100,
		pValue: p,
		method: 'mann-whitney-normal',
		effectPct: {estimate: (ci[0] + ci[1]) / 2, lower: ci[0], upper: ci[1]},
	};
}

const board = (c: Comparison): RuleResult => ({...passResult('board_p95', t0, 400), comparison: c});
const errors = (c: Comparison): RuleResult => ({...passResult('error_rate', t0, 0.001), unit: 'ratio', comparison: c});

async function journalOf(checks: Array<{at: number; percent: number; rules: RuleResult[]; judge: Record<string, number>}>): Promise<string> {
	const file = join(mkdtempSync(join(tmpdir(), 'golive-report-variants-')), 'launch.jsonl');
	const journal = await openJournal(file, {now: () => t0});
	for (const c of checks) await journal.append(checkRecord(c.rules, c.percent, c.at, c.judge));
	await journal.close();
	return file;
}

describe('report: V2 vs V1 per stage, from a journal file', () => {
	it('per stage and rule the last check and the worst (a HIGH run that cleared still shows); stages apart; NO_DATA counted', async () => {
		const file = await journalOf([
			{
				at: t0 + 1000,
				percent: 10,
				rules: [board(noComparison('latency', 'too few samples', {v1Samples: 20, v2Samples: 3})), errors(noComparison('errorRate', 'too few'))],
				judge: {},
			},
			{
				at: t0 + 2000,
				percent: 10,
				rules: [board(latency('HIGH', 380, 470, [500, 60], 0.0004, [12, 31])), errors(noComparison('errorRate', 'too few'))],
				judge: {board_p95: 1},
			},
			{
				at: t0 + 3000,
				percent: 10,
				rules: [board(latency('HIGH', 381, 520, [600, 70], 0.00001, [25, 57])), errors(noComparison('errorRate', 'too few'))],
				judge: {board_p95: 2},
			},
			{
				at: t0 + 4000,
				percent: 10,
				rules: [board(latency('PASS', 382, 390, [700, 80], 0.41, [-4, 9])), errors(noComparison('errorRate', 'too few'))],
				judge: {board_p95: 0},
			},
			{at: t0 + 9000, percent: 30, rules: [board(latency('PASS', 379, 384, [800, 300], 0.62, [-3, 5]))], judge: {}},
		]);
		const read = await readJournal(file);
		const report = buildLaunchReport(read.records, {journalPath: file});
		expect(report.variantComparisons.map((r) => [r.percent, r.ruleId, r.judged, r.high, r.noData])).toEqual([
			[10, 'board_p95', 4, 2, 1],
			[10, 'error_rate', 4, 0, 4],
			[30, 'board_p95', 1, 0, 0],
		]);
		const [b10, e10, b30] = report.variantComparisons;
		expect(b10!.last).toMatchObject({verdict: 'PASS', v1: 382, v2: 390, checks: 0, t: 'T+0:04'});
		expect(b10!.worst).toMatchObject({
			verdict: 'HIGH',
			v1: 381,
			v2: 520,
			v1Samples: 600,
			v2Samples: 70,
			pValue: 0.00001,
			ciPct: [25, 57],
			checks: 2,
			t: 'T+0:03',
		});
		expect(e10!.worst).toBe(e10!.last);
		expect(e10!.last).toMatchObject({verdict: 'NO_DATA', v1: null, deltaPct: null, pValue: null});
		expect(b30!.last).toBe(b30!.worst);

		const md = renderMarkdown(report);
		expect(md).toContain('### V2 vs V1 per stage');
		expect(md).toContain(
			'| 10 % | `board_p95` (4 checks, 2 HIGH, 1 NO_DATA) | last T+0:04 | 382 ms | 390 ms | +2.1 % | [−4.0…+9.0 %] | 0.41 | PASS | 700 / 80 | 0 |',
		);
		expect(md).toContain('| | | worst T+0:03 | 381 ms | 520 ms | +36 % | [+25…+57 %] | < 0.001 | HIGH | 600 / 70 | 2 |');
		expect(md).toContain('| 10 % | `error_rate` (4 checks, 0 HIGH, 4 NO_DATA) | last = worst T+0:04 | n/a | n/a | — | — | — | NO_DATA | 0 / 0 | 0 |');
		expect(md).toContain('| 30 % | `board_p95` (1 checks, 0 HIGH, 0 NO_DATA) | last = worst T+0:09 |');
	});

	it('a journal without comparisons (no rule with compare, or an older golive) has no table; foreign entries are skipped', async () => {
		const file = await journalOf([{at: t0 + 1000, percent: 10, rules: [passResult('board_p95', t0, 400)], judge: {}}]);
		const report = buildLaunchReport((await readJournal(file)).records);
		expect(report.variantComparisons).toEqual([]);
		expect(renderMarkdown(report)).not.toContain('V2 vs V1 per stage');
		const forged = buildLaunchReport([
			{
				seq: 1,
				ts: new Date(t0).toISOString(),
				type: 'check',
				at: t0,
				flagPercent: 10,
				green: true,
				comparisons: [{ruleId: 'x', metric: 'rm -rf', verdict: 'HIGH'}, 'junk', null],
			} as never,
		]);
		expect(forged.variantComparisons).toEqual([]);
	});
});
