/**
 * Frame tests for every widget and state: each asserts on the words, numbers
 * and symbols an operator reads (values, thresholds, status words, reasons).
 */
import React from 'react';
import {describe, expect, test} from 'vitest';
import {render} from 'ink-testing-library';
import {Header, stageClock} from '../widgets/header.js';
import {StageBar, stageSteps} from '../widgets/stage-bar.js';
import {SloRow, SloTile, SloTiles} from '../widgets/slo-tiles.js';
import {GateChecklist, whyLines} from '../widgets/gate-checklist.js';
import {CloudWatchTable, alarmSummary, cloudWatchRows} from '../widgets/cloudwatch-table.js';
import {EventLog, logLines} from '../widgets/event-log.js';
import {HelpBar, HelpOverlay} from '../widgets/help-bar.js';
import {Dialog} from '../widgets/dialog.js';
import {ColorProvider} from '../widgets/theme.js';
import {formatDuration, formatRuleValue, formatTimer} from '../source/core/format.js';
import {helpItems} from '../source/keymap.js';
import * as fx from './helpers/snapshot-fixtures.js';

function mono(node: React.ReactElement): string {
	const {lastFrame, unmount} = render(<ColorProvider enabled={false}>{node}</ColorProvider>);
	const frame = lastFrame() ?? '';
	unmount();
	return frame;
}

describe('format', () => {
	test('NaN is never shown as a number', () => {
		expect(formatRuleValue(Number.NaN, 'ms')).toBe('—');
		expect(formatRuleValue(912.4, 'ms')).toBe('912 ms');
		expect(formatRuleValue(88.44, 'ms')).toBe('88.4 ms');
		expect(formatRuleValue(0.0021, 'ratio')).toBe('0.21 %');
		expect(formatTimer(25 * 60_000 + 12_000)).toBe('25:12');
		expect(formatTimer(Number.NaN)).toBe('—');
		expect(formatDuration(null)).toBe('—');
		expect(formatDuration(190_000)).toBe('3min10s');
	});
});

describe('header', () => {
	test('stage 30 %: service, env, T+, time left, AUTO, sources', () => {
		const s = fx.stage30Green();
		const frame = mono(<Header snapshot={s} width={120} />);
		expect(frame).toContain('StatusBoardV2 · production · T+25:12');
		expect(frame).toContain('▶ AUTO');
		expect(frame).toContain('stage 30 %');
		expect(frame).toContain('green 4:12 of 10:00 → 50 %');
		expect(frame).toContain('CloudWatch ✓ ok (120 calls/h)');
		expect(frame).toContain('flag ✓ ok 30 %');
	});
	test('paused, breach holds the clock', () => {
		const s = {...fx.breachWithNoData(), canary: {...fx.breachWithNoData().canary, paused: true}};
		const frame = mono(<Header snapshot={s} width={120} />);
		expect(frame).toContain('⏸ PAUSED');
		expect(frame).toMatch(/⏸ PAUSED · stage 50 %/);
		expect(frame).toContain('held: not green');
	});
	test('a stage just entered waits for its first check instead of reading "not green"', () => {
		const base = fx.breachWithNoData();
		const entered = base.at - 2000;
		const phase = {kind: 'stage' as const, index: 1, percent: 30, enteredAt: entered, greenSince: null};
		const fresh = {...base, canary: {...base.canary, phase, lastCheckAt: entered - 1000}};
		expect(mono(<Header snapshot={fresh} width={140} />)).toContain('stage 30 % · waiting for the first check at 30 %');
		const judged = {...base, canary: {...base.canary, phase, lastCheckAt: entered + 1000}};
		expect(mono(<Header snapshot={judged} width={140} />)).toContain('held: not green');
	});
	test('CloudWatch throttled and no credentials are spelled out', () => {
		expect(mono(<Header snapshot={fx.cloudwatchThrottled()} width={140} />)).toContain('CloudWatch ! degraded: throttled, retry 0:32 · (348 calls/h)');
		expect(mono(<Header snapshot={fx.cloudwatchNoCredentials()} width={140} />)).toContain(
			'CloudWatch ✗ no credentials: Could not load credentials from any pro…',
		);
	});
	test('rollback: DISARMED and the confirmed mitigation time', () => {
		const frame = mono(<Header snapshot={fx.rolledBack()} width={140} />);
		expect(frame).toContain('⛔ DISARMED');
		expect(frame).toContain('ROLLED BACK (emergency)');
		expect(frame).toContain('rollback confirmed in 9.0 s');
	});
	test('a resume notice gets its own line', () => {
		const frame = mono(<Header snapshot={{...fx.stage30Green(), resumeNotice: 'unfinished launch found: flag read 30 %, not resuming'}} width={120} />);
		expect(frame.split('\n')[2]).toContain('⚠ unfinished launch found: flag read 30 %');
	});
	test('stageClock for every phase', () => {
		expect(stageClock(fx.preLaunch()).stage).toBe('pre-launch (gates A–B)');
		expect(stageClock(fx.succeeded()).stage).toBe('SUCCEEDED at 100 %');
		const s = fx.stage30Green();
		expect(stageClock({...s, canary: {...s.canary, phase: {kind: 'stabilizing', enteredAt: s.at - 60_000, greenSince: s.at - 60_000}}})).toEqual({
			stage: 'Gate G at 100 %',
			left: 'green 1:00 of 30:00',
		});
		expect(stageClock({...s, canary: {...s.canary, phase: {kind: 'aborted', at: s.at, reason: 'flag changed to 70 % by someone else'}}}).stage).toContain(
			'flag changed to 70 %',
		);
	});
});

describe('stage bar', () => {
	test('30 %: 10 done, 30 current, time in stage', () => {
		const frame = mono(<StageBar snapshot={fx.stage30Green()} width={100} />);
		expect(frame).toContain('✓10% ━ [30%] ─ 50% ─ 100% ─ G');
		expect(frame).toContain('in stage 4:12 / 10:00');
	});
	test('pre-launch: nothing done; succeeded: all done', () => {
		expect(stageSteps(fx.preLaunch()).map((s) => s.state)).toEqual(['todo', 'todo', 'todo', 'todo', 'todo']);
		expect(stageSteps(fx.succeeded()).every((s) => s.state === 'done')).toBe(true);
	});
	test('rolled back from 50 %: 50 marked failed, last action shown', () => {
		const frame = mono(<StageBar snapshot={fx.rolledBack()} width={140} />);
		expect(frame).toContain('✓10% ━ ✓30% ━ ✗50%');
		expect(frame).toContain('last action: emergency rollback ✓ ok (flag read back 0 % in 2.9 s)');
	});
	test('in flight: the target percent', () => {
		expect(mono(<StageBar snapshot={fx.promoteInFlight()} width={140} />)).toContain('⟳ promote → 50 % in flight');
	});
});

describe('SLO tiles', () => {
	test('row: value, threshold, status word, samples, age', () => {
		const [board] = fx.greenSlos();
		const frame = mono(<SloRow slo={board!} width={80} />);
		expect(frame).toMatch(/✓ PASS\s+Board p95\s+413 ms need < 800 ms\s+5m n=3120\s+age 1s/);
	});
	test('row: a STALE status with its age stays apart from the label, and the columns after the age hold still', () => {
		const [board] = fx.greenSlos();
		const stale = mono(<SloRow slo={{...board!, status: 'STALE', ageMs: 190_000}} width={100} />);
		expect(stale).toMatch(/^\? STALE 3min10s Board p95/);
		const fresh = mono(<SloRow slo={{...board!, ageMs: 300}} width={100} />);
		const older = mono(<SloRow slo={{...board!, ageMs: 2000}} width={100} />);
		// The sparkline starts in the same column whatever the age's width (300ms vs 2s).
		expect(fresh.search(/[▁▂▃▄▅▆▇█·]/)).toBe(older.search(/[▁▂▃▄▅▆▇█·]/));
	});
	test('breach and no-data rows', () => {
		const s = fx.breachWithNoData();
		const frame = mono(<SloTiles slos={s.slos} width={80} mode="rows" />);
		expect(frame).toMatch(/✗ BREACH\s+Board p95\s+912 ms need < 800 ms/);
		expect(frame).toMatch(/\? NO DATA\s+Drawer avg\s+— need < 200 ms\s+5m n=3\s+age 3m/);
		expect(frame).toMatch(/\? NO DATA\s+OCC conflicts 5m\s+— need < 30\s+5m n=0\s+age —/);
		// The gap in board's history is drawn as dots, not as values (the sparkline needs the room of 100 columns).
		const wide = mono(<SloTiles slos={s.slos} width={100} mode="rows" />);
		expect(wide.split('\n')[0]).toMatch(/·[▁▂▃▄▅▆▇█]+$/);
	});
	test('tile with a chart: labels, axis, gaps', () => {
		const s = fx.breachWithNoData();
		const frame = mono(<SloTile slo={s.slos[0]!} width={44} chartHeight={5} />);
		expect(frame).toContain('✗ BREACH');
		expect(frame).toContain('912 ms need < 800 ms');
		expect(frame).toContain('5m window · 3120 samples · age 1s');
		expect(frame).toMatch(/┤/);
		expect(frame).toContain('···');
	});
	test('tile without data says so, with the reason', () => {
		const s = fx.breachWithNoData();
		const frame = mono(<SloTile slo={s.slos[3]!} width={44} chartHeight={4} />);
		expect(frame).toContain('? NO DATA');
		expect(frame).toContain('empty window');
		expect(frame).toContain('no data yet (0 points)');
	});
	test('error rate as a percentage', () => {
		const frame = mono(<SloTile slo={fx.greenSlos()[2]!} width={40} chartHeight={3} />);
		expect(frame).toContain('0.21 % need < 1 %');
		expect(frame).toMatch(/0\.\d\d%┤/);
	});
});

describe('gate checklist', () => {
	test('full: every gate and item state', () => {
		const frame = mono(<GateChecklist gates={fx.breachWithNoData().gates} width={100} maxLines={40} />);
		expect(whyLines(fx.breachWithNoData().decision, 100, 3)[0]).toContain('Why (HOLD): board_p95 BREACH 912 ms ≥ 800 ms for 03:00');
		expect(frame).toContain('Gate A ✓ PASS Staging validation');
		expect(frame).toContain('Gate E ✗ FAIL Canary 50 %');
		expect(frame).toMatch(/✗ FAIL\s+SLOs at 50 % — board_p95 912 ms ≥ 800 ms/);
		expect(frame).toMatch(/\? NO DATA\s+Drawer avg at 50 % — stale: 3m10s/);
		expect(frame).toMatch(/⏳ WAIT SIGN-OFF Zero P0\/P1 incidents — 0 of 1 approvals \(incident_commander\)/);
		expect(frame).toContain('Gate F · PENDING');
	});
	test('compact: a summary line and the items needing attention', () => {
		const s = fx.preLaunch();
		const frame = mono(<GateChecklist gates={s.gates} width={80} maxLines={4} />);
		expect(frame).toContain('A ▶ACTIVE');
		expect(frame).toMatch(/A ⏳ WAIT SIGN-OFF UAT sign-offs — 1 of 2 approvals \(product\)/);
		expect(frame.split('\n')).toHaveLength(4);
		expect(whyLines(s.decision, 80, 2).join(' ')).toContain('Why (HOLD): Gate A: waiting for UAT sign-off');
	});
	test('rollback reason', () => {
		const s = fx.rolledBack();
		expect(whyLines(s.decision, 120, 3)[0]).toContain('Why (ROLLBACK): error rate 2.8 % > 2 % for 3 consecutive intervals');
	});
	test('no decision yet', () => {
		expect(whyLines(null, 80, 1)[0]).toContain('Why: no decision yet');
		// A unit stays with its number: seen at 100 columns as "…canary at 10" over a lone "%".
		const wrapped = whyLines(null, 100, 3, ' — when gates A–B pass: p starts the canary at 10 %');
		expect(wrapped).toEqual(['Why: no decision yet (waiting for the first check) — when gates A–B pass: p starts the canary at', '10 %']);
	});
});

describe('CloudWatch table', () => {
	test('grid: a bordered table with metrics and alarms', () => {
		const s = fx.stage30Green();
		const frame = mono(<CloudWatchTable cloudwatch={s.cloudwatch} now={s.at} width={100} mode="grid" maxRows={6} />);
		expect(frame).toContain('┌');
		expect(frame).toMatch(/│ API p95 \(ALB\)\s+│ ✓ Complete\s+│ 402/);
		expect(frame).toMatch(/│ statusboard-occ-conflicts\s+│ \? INSUFFICIENT/);
		expect(frame).toMatch(/│ CloudFront 4xx rate\s+│ \? NO DATA\s+│ —/);
		expect(frame).toContain('alarms ✗0 ALARM ?1 INSUFF ✓2 OK');
		expect(frame).toContain('120 calls/h');
	});
	test('lines: problems first, then "… more"', () => {
		const s = fx.stage30Green();
		const frame = mono(<CloudWatchTable cloudwatch={s.cloudwatch} now={s.at} width={80} mode="lines" maxRows={3} />);
		const lines = frame.split('\n');
		expect(lines[1]).toContain('? INSUFFICIENT');
		expect(lines[2]).toContain('? NO DATA');
		expect(lines[3]).toContain('… 4 more');
	});
	test('an alarm in ALARM and a missing alarm come first', () => {
		const s = fx.stage30Green();
		const cw = {
			...s.cloudwatch!,
			alarms: [...s.cloudwatch!.alarms, {name: 'statusboard-5xx-burst', state: 'ALARM' as const, reason: 'Threshold Crossed', updatedAt: s.at - 30_000}],
			missingAlarms: ['statusboard-dlq'],
		};
		const rows = cloudWatchRows(cw, s.at);
		expect(rows.slice(0, 2).map((r) => r.status)).toEqual(['✗ MISSING', '✗ ALARM']);
		expect(alarmSummary(cw)).toBe('alarms ✗1 ALARM ?1 INSUFF ✓2 OK · 1 MISSING');
	});
	test('throttled, no credentials, not configured', () => {
		const t = fx.cloudwatchThrottled();
		expect(mono(<CloudWatchTable cloudwatch={t.cloudwatch} now={t.at} width={120} />)).toContain('CloudWatch ! degraded: throttled, retry 0:32');
		expect(mono(<CloudWatchTable cloudwatch={t.cloudwatch} now={t.at} width={120} />)).toContain('polled 5min ago');
		const n = fx.cloudwatchNoCredentials();
		const frame = mono(<CloudWatchTable cloudwatch={n.cloudwatch} now={n.at} width={120} />);
		expect(frame).toContain('✗ no credentials');
		expect(frame).toContain('polled never');
		expect(frame).toMatch(/✗ MISSING\s+statusboard-api-5xx/);
		expect(mono(<CloudWatchTable cloudwatch={null} now={0} width={80} />)).toContain('not configured');
	});
});

describe('event log', () => {
	test('newest at the bottom, status messages on their own line', () => {
		const s = fx.rolledBack();
		const frame = mono(<EventLog log={s.log} width={120} maxLines={4} />);
		const lines = frame.split('\n');
		expect(lines).toHaveLength(4);
		expect(lines[3]).toContain('📋 ⚠️ StatusBoardV2 rolled back to 0 % at T+25:12');
		expect(lines[2]).toContain('! STATUS_BOARD_V2_ENABLED set to 0 %');
		expect(lines[1]).toContain('✗ ROLLBACK: error rate 2.8 %');
		expect(lines[1]).toMatch(/^ 14:\d\d:\d\d/);
	});
	test('logLines keeps the newest', () => {
		expect(logLines(fx.stage30Green().log, 2).map((l) => l.entry.text)).toEqual([
			'STATUS_BOARD_V2_ENABLED set to 30 % (read back 30 %)',
			'check: all SLOs PASS at 30 % (green 04:12 of 10:00)',
		]);
		expect(logLines([], 5)).toEqual([]);
		expect(mono(<EventLog log={[]} width={80} maxLines={3} />)).toContain('(no events yet)');
	});
});

describe('help and dialogs', () => {
	test('help bar from the keymap', () => {
		const full = mono(<HelpBar items={helpItems(() => true)} width={200} />);
		expect(full).toContain(' p  promote');
		expect(full).toContain(' r  rollback');
		expect(full).toContain(' space  pause');
		// 80 columns: compact spelling, and help and quit always survive.
		const narrow = mono(<HelpBar items={helpItems(() => true)} width={80} />);
		// With the re-run key the table is too long for 80 columns: the tail gives way, help and quit stay.
		expect(narrow).toContain('p promote r rollback R full spc pause s sign off n note … ? help q quit');
		expect(narrow).toContain('? help q quit');
	});
	test('help overlay lists every key with its description', () => {
		const frame = mono(<HelpOverlay items={helpItems()} width={100} />);
		expect(frame).toMatch(/R\s+Full rollback: flag to 0 % and the plan's rollback command/);
		expect(frame).toContain('[dangerous: confirms]');
	});
	test('dialog shows exactly what will happen and the typed field', () => {
		const frame = mono(
			<Dialog
				width={90}
				view={{
					title: 'EMERGENCY ROLLBACK',
					lines: ['Set STATUS_BOARD_V2_ENABLED to 0 % (emergency rollback) — reason: p95 spike'],
					input: {label: 'Reason', value: 'p95 spike'},
					hint: 'Enter: roll back now   Esc: cancel',
					danger: true,
				}}
			/>,
		);
		expect(frame).toContain('⚠ EMERGENCY ROLLBACK');
		expect(frame).toContain('Set STATUS_BOARD_V2_ENABLED to 0 % (emergency rollback) — reason: p95 spike');
		expect(frame).toContain('Reason: p95 spike');
		expect(frame).toContain('Esc: cancel');
	});
});
