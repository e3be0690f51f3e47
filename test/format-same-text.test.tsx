/**
 * One value, one text: a rule value prints the same on the tile, the compact
 * row, the log line and the Why (`formatRuleResult`), the comparison line, the
 * report's rule table and the status messages (which glue the unit on, as the
 * runbooks' templates do: `912ms`). Before the formatting module was one, the
 * tile said "912 ms" and the log "912.4 ms".
 */
import React from 'react';
import {describe, expect, test} from 'vitest';
import {render} from 'ink-testing-library';
import type {Decision, RuleResult} from '../source/core/decision-types.js';
import {formatRuleResult, formatRuleValue, ruleEvidence} from '../source/core/format.js';
import type {SloView} from '../source/core/snapshot.js';
import type {JournalInput, JournalRecord} from '../source/journal/records.js';
import {buildLaunchReport} from '../source/report/launch-report.js';
import {renderMarkdown} from '../source/report/markdown.js';
import {readingsOf, renderMessage} from '../source/report/messages.js';
import {SloRow, SloTile} from '../widgets/slo-tiles.js';
import {ColorProvider} from '../widgets/theme.js';
import {launchStartFor} from './helpers/launch-start.js';
import {seedPlan, t0} from './helpers/plan-fixture.js';

function mono(node: React.ReactElement): string {
	const {lastFrame, unmount} = render(<ColorProvider enabled={false}>{node}</ColorProvider>);
	const frame = lastFrame() ?? '';
	unmount();
	return frame;
}

const cases: Array<{ruleId: string; value: number; unit: RuleResult['unit']; threshold: number; expected: string}> = [
	{ruleId: 'board_p95', value: 912.4, unit: 'ms', threshold: 800, expected: '912 ms'},
	{ruleId: 'drawer_avg', value: 94.96, unit: 'ms', threshold: 200, expected: '95 ms'},
	{ruleId: 'drawer_avg', value: 88.44, unit: 'ms', threshold: 200, expected: '88.4 ms'},
	{ruleId: 'error_rate', value: 0.0021, unit: 'ratio', threshold: 0.01, expected: '0.21 %'},
	{ruleId: 'error_rate', value: 0.002, unit: 'ratio', threshold: 0.01, expected: '0.2 %'},
];

function result(c: (typeof cases)[number]): RuleResult {
	const status = c.value < c.threshold ? 'PASS' : 'BREACH';
	return {
		ruleId: c.ruleId,
		label: c.ruleId,
		status,
		value: c.value,
		threshold: c.threshold,
		op: '<',
		unit: c.unit,
		window: '5m',
		samples: 3120,
		ageMs: 2000,
		source: 'probe:board',
	};
}

/** A report over a journal whose one rollback decision carries the rule's value as evidence. */
function reportMarkdown(r: RuleResult): string {
	const plan = seedPlan();
	const records: JournalRecord[] = [];
	const add = (at: number, rec: JournalInput): void => void records.push({...rec, seq: records.length + 1, ts: new Date(at).toISOString()} as JournalRecord);
	add(t0, launchStartFor(plan, 'fmt-1', t0, 60_000));
	const decision: Decision = {kind: 'rollback', at: t0 + 1000, reason: formatRuleResult(r), evidence: [ruleEvidence(r)]};
	add(t0 + 1000, {type: 'decision', decision});
	add(t0 + 2000, {type: 'launch_end', outcome: 'aborted', exitCode: 1, reason: 'test'});
	return renderMarkdown(buildLaunchReport(records));
}

describe('the same value prints the same text everywhere', () => {
	test.each(cases)('$ruleId $value → $expected', (c) => {
		const r = result(c);
		const text = formatRuleValue(c.value, c.unit);
		expect(text).toBe(c.expected);
		const slo: SloView = {...r, history: [c.value, c.value]};
		expect(mono(<SloTile slo={slo} width={44} chartHeight={0} />)).toContain(`${text} need < `);
		expect(mono(<SloRow slo={slo} width={100} />)).toContain(`${text} need < `);
		// The log line and the Why are this line.
		expect(formatRuleResult(r)).toContain(` ${text} `);
		// The report's rule table.
		expect(reportMarkdown(r)).toContain(`| ${text} |`);
		// The status message: the same digits, the unit glued on as the runbooks write it.
		const message = renderMessage(
			{
				kind: 'stage_update',
				percent: 30,
				next: 50,
				greenMs: 60_000,
				neededMs: 120_000,
				numbers: {errorRate: c.unit === 'ratio' ? c.value : null, errorWindow: '5m', readings: readingsOf([r])},
			},
			'StatusBoardV2',
		);
		expect(message.text).toContain(text.replace(' ', ''));
	});
});
