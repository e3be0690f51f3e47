/**
 * The launch report from real journal files written through the journal API:
 * the StatusBoardV2 run sheet's summary template and status messages filled with the recorded
 * numbers, and the `golive report` command's exit codes.
 */
import {appendFile, mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runReportCommand} from '../source/commands/report.js';
import type {Decision} from '../source/core/decision-types.js';
import {openJournal, readJournal} from '../source/journal/journal.js';
import type {JournalInput} from '../source/journal/records.js';
import {buildLaunchReport, formatOffset} from '../source/report/launch-report.js';
import {renderMarkdown} from '../source/report/markdown.js';

let dir: string;
beforeAll(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'golive-report-'));
});
afterAll(async () => {
	await rm(dir, {recursive: true, force: true});
});

const T0 = Date.parse('2026-11-23T10:00:00Z');
const min = 60_000;

type Step = [offsetMs: number, record: JournalInput];

function check(at: number, flagPercent: number, boardP95Ms: number, drawerAvgMs: number, errorRate: number, occ: number, failing?: string[]): Step {
	return [at, {type: 'check', at: T0 + at, flagPercent, boardP95Ms, drawerAvgMs, errorRate, occConflicts: occ, green: failing === undefined, failing}];
}

let n = 0;
function action(
	at: number,
	action: 'promote' | 'emergency_rollback',
	from: number,
	to: number,
	result: 'ok' | 'failed' = 'ok',
	decision: Decision | null = null,
): Step[] {
	const id = `a${++n}`;
	return [
		[
			at,
			{
				type: 'intent',
				id,
				action,
				targetPercent: to,
				fromPercent: from,
				reason: action === 'promote' ? 'stage green for 10:00' : 'board_p95 BREACH 912 ms ≥ 800 ms',
				by: 'auto',
				decision,
			},
		],
		[at + 100, {type: 'effect', id, sent: {kind: 'http', method: 'PUT', url: 'https://flags/x', body: {percent: to}}}],
		[
			at + 300,
			{type: 'outcome', id, result, readBackPercent: result === 'ok' ? to : from, detail: result === 'ok' ? `set to ${to}` : 'HTTP 503', durationMs: 300},
		],
	];
}

const startRecord: JournalInput = {
	type: 'launch_start',
	launchId: '20261123T091500Z-ab12',
	format: 1,
	service: 'StatusBoardV2',
	environment: 'production',
	flag: 'STATUS_BOARD_V2_ENABLED',
	stages: [10, 30, 50, 100],
	stageDurationMs: 10 * min,
	stabilizationMs: 30 * min,
	plannedDurationMs: 60 * min,
	planHash: 'sha256:feedbeef',
	targets: {boardP95Ms: 800, drawerAvgMs: 200, errorRate: 0.01, occConflicts: 30},
	startedAt: T0 - 45 * min,
	rules: [
		{id: 'board_p95', label: 'Board p95', threshold: 800, op: '<', unit: 'ms', window: '5m'},
		{id: 'drawer_avg', label: 'Drawer avg', threshold: 200, op: '<', unit: 'ms', window: '5m'},
		{id: 'error_rate', label: 'Error rate', threshold: 0.01, op: '<', unit: 'ratio', window: '5m'},
		{id: 'occ_conflicts', label: 'OCC conflicts', threshold: 30, op: '<', unit: 'count', window: '5m'},
	],
	report: {buildId: 'build-4711', gitTag: 'v2.0.0', links: [{label: 'Deployment Logs', url: 'https://ci.example/run/4711'}], messageStyle: 'statusboard'},
};

/** The auto promote out of 30 %: every rule's evidence from the check that decided it. */
const promoteFrom30: Decision = {
	kind: 'promote',
	at: T0 + 21 * min,
	reason: 'auto: 30% → 50%',
	fromPercent: 30,
	toPercent: 50,
	evidence: [
		{ruleId: 'board_p95', window: '5m', value: 412.3, threshold: 800, samples: 3000, ageMs: 1000},
		{ruleId: 'drawer_avg', window: '5m', value: 95.4, threshold: 200, samples: 1200, ageMs: 1000},
		{ruleId: 'error_rate', window: '5m', value: 0.002, threshold: 0.01, samples: 3000, ageMs: 1000},
		{ruleId: 'occ_conflicts', window: '5m', value: 5, threshold: 30, samples: 40, ageMs: 1000},
	],
};

const breach: Decision = {
	kind: 'rollback',
	at: T0 + 25 * min,
	reason: 'board_p95 BREACH 912 ms ≥ 800 ms',
	trigger: 'canary_latency',
	fromPercent: 50,
	toPercent: 0,
	evidence: [{ruleId: 'board_p95', window: '5m', value: 912, threshold: 800, samples: 3120, ageMs: 1000}],
};

function rollbackLaunch(): Step[] {
	return [
		[-45 * min, startRecord],
		[-44 * min, {type: 'sign_off', itemId: 'uat', role: 'qa_lead', name: 'Ana Ruiz', at: T0 - 44 * min}],
		[-45 * min + 30_000, {type: 'gate', gate: 'A', status: 'pass'}],
		[-10 * min, {type: 'gate', gate: 'B', status: 'pass'}],
		...action(0, 'promote', 0, 10),
		check(5 * min, 10, 398.4, 91.2, 0.001, 2),
		check(10 * min, 10, 405.1, 93.7, 0.0015, 3),
		...action(10 * min + 1000, 'promote', 10, 30),
		check(15 * min, 30, 409, 94, 0.002, 4),
		check(20 * min, 30, 412.3, 95.4, 0.002, 5),
		...action(20 * min + 1000, 'promote', 30, 50, 'failed'),
		...action(21 * min, 'promote', 30, 50, 'ok', promoteFrom30),
		check(24 * min, 50, 870, 120, 0.004, 6, ['board_p95 BREACH 870 ms ≥ 800 ms']),
		check(25 * min, 50, 912, 130, 0.005, 6, ['board_p95 BREACH 912 ms ≥ 800 ms']),
		[25 * min, {type: 'decision', decision: breach}],
		...action(25 * min + 500, 'emergency_rollback', 50, 0, 'ok', breach),
		[25 * min + 9000, {type: 'mitigation', triggeredAt: T0 + 25 * min, confirmedAt: T0 + 25 * min + 8400}],
		[26 * min, {type: 'note', text: 'Scribe: rollback clean, opening incident #4711', by: 'scribe'}],
		[27 * min, {type: 'launch_end', outcome: 'rolled_back', exitCode: 1, reason: 'board_p95 breach at 50 %'}],
	];
}

function successLaunch(): Step[] {
	return [
		[-45 * min, startRecord],
		...action(0, 'promote', 0, 10),
		check(10 * min, 10, 400, 90, 0.001, 1),
		...action(10 * min, 'promote', 10, 30),
		check(20 * min, 30, 410, 92, 0.0004, 1),
		...action(20 * min, 'promote', 30, 50),
		check(30 * min, 50, 420, 93, 0.001, 1),
		...action(30 * min, 'promote', 50, 100),
		check(40 * min, 100, 430, 94, 0.001, 2),
		[40 * min, {type: 'gate', gate: 'F', status: 'pass'}],
		check(70 * min, 100, 431, 95, 0.001, 2),
		[70 * min, {type: 'gate', gate: 'G', status: 'pass'}],
		[70 * min + 1000, {type: 'launch_end', outcome: 'success', exitCode: 0, reason: 'Gate G passed'}],
	];
}

async function writeJournal(name: string, steps: Step[]): Promise<string> {
	const file = path.join(dir, name);
	let clock = 0;
	const j = await openJournal(file, {now: () => clock});
	for (const [offset, record] of steps) {
		clock = T0 + offset;
		await j.append(record);
	}
	await j.close();
	return file;
}

function capture() {
	let out = '';
	let err = '';
	return {io: {stdout: {write: (s: string) => (out += s)}, stderr: {write: (s: string) => (err += s)}}, out: () => out, err: () => err};
}

describe('launch report', () => {
	it('a soak the operator skipped is SKIPPED (operator, held 0:03), never PASSED; a jumped stage too', async () => {
		const skip: Decision = {
			kind: 'promote',
			at: T0 + 3000,
			reason: 'operator: 10% → 50% — SKIPPED (operator, held 0:03)',
			fromPercent: 10,
			toPercent: 50,
			evidence: [],
			skippedSoak: {stagePercent: 10, heldMs: 3000, requiredMs: 10 * min, jumped: [30]},
		};
		const byOperator = action(3000, 'promote', 10, 50, 'ok', skip).map(([at, r]): Step => [at, r.type === 'intent' ? {...r, by: 'operator'} : r]);
		const file = await writeJournal('skipped.jsonl', [
			[-45 * min, startRecord],
			...action(0, 'promote', 0, 10),
			check(2000, 10, 398, 91, 0.001, 2),
			...byOperator,
		]);
		const report = buildLaunchReport((await readJournal(file)).records, {journalPath: file});
		expect(report.stages.map((s) => [s.percent, s.result])).toEqual([
			[10, 'skipped'],
			[30, 'skipped'],
			[50, 'in_progress'],
			[100, 'not_reached'],
		]);
		const md = renderMarkdown(report);
		expect(md).toMatch(/\| 10 % \| SKIPPED \(operator, held 0:03 of 10:00\) \|/);
		expect(md).toMatch(/\| 30 % \| SKIPPED \(operator, held 0:00 of 10:00\) \|/);
		expect(md).not.toMatch(/\| 10 % \| PASSED/);
		expect(md).not.toContain('Canary 10% PASSED');
	});

	it('fills the summary template from a rolled-back launch', async () => {
		const file = await writeJournal('rollback.jsonl', rollbackLaunch());
		const {records} = await readJournal(file);
		const report = buildLaunchReport(records, {journalPath: file});
		expect(report.result).toBe('ROLLBACK');
		expect(report.t0).toBe(T0);
		expect(report.duration.plannedMinutes).toBe(60);
		expect(report.duration.actualMinutes).toBe(72);
		expect(report.keyMetrics).toEqual({atPercent: 50, boardP95Ms: 912, drawerAvgMs: 130, errorRate: 0.005, occConflicts: 6});
		expect(report.stages.map((s) => [s.percent, s.result, s.checks])).toEqual([
			[10, 'passed', 2],
			[30, 'passed', 2],
			[50, 'failed', 2],
			[100, 'not_reached', 0],
		]);
		expect(report.messages).toEqual([
			'🚀 StatusBoardV2 GO-LIVE initiated. Target SLOs: Board <800ms, Drawer <200ms, Error rate <1%, OCC conflicts <30. Beginning Gate A validation.',
			'Gate A PASSED - Staging validation complete. All checks green. Proceeding to Gate B.',
			'Gate B PASSED - Production environment ready. All systems green. Proceeding to deployment.',
			'Canary 10% PASSED - Error: 0.15%, Board: 405ms, Drawer: 93.7ms (last check). Advancing to 30%.',
			'Canary 30% PASSED - Error: 0.2%, Board: 412ms, Drawer: 95.4ms (5m). Advancing to 50%.',
			'Canary 50% FAILED - board_p95 breach detected: board_p95 912ms vs 800ms (5m, 3120 samples). Executing emergency rollback immediately.',
			'🚨 SLO breach detected at 50% rollout. Metrics: board_p95 912ms vs 800ms (5m, 3120 samples). Executing emergency rollback immediately.',
			'Emergency rollback COMPLETE. System restored to previous state. Health verified (confirmed by the probes, 8.4 s after the trigger). Incident investigation initiated.',
		]);
		// The plan's own rules, each with the value and window of the decision that mattered.
		expect(report.rules.map((r) => [r.id, r.value, r.decidingWindow, r.status, r.atPercent, r.decision])).toEqual([
			['board_p95', 912, '5m', 'BREACH', 50, 'rollback'],
			['drawer_avg', 95.4, '5m', 'PASS', 30, 'promote'],
			['error_rate', 0.002, '5m', 'PASS', 30, 'promote'],
			['occ_conflicts', 5, '5m', 'PASS', 30, 'promote'],
		]);
		expect(report.mitigations).toEqual([{triggeredAt: T0 + 25 * min, confirmedAt: T0 + 25 * min + 8400, seconds: 8.4}]);
		expect(report.issues.map((i) => i.kind)).toEqual(['failed_action', 'breach', 'rollback']);
		expect(report.signOffs).toEqual([{itemId: 'uat', role: 'qa_lead', name: 'Ana Ruiz', at: T0 - 44 * min}]);

		const md = renderMarkdown(report);
		expect(md).toContain('## StatusBoardV2 Production Launch Summary');
		expect(md).toContain('**Duration:** 60 minutes (planned) vs 72 minutes (actual)');
		expect(md).toContain('**Result:** ROLLBACK — board_p95 breach at 50 %');
		expect(md).toContain('- Board Response Time P95: 912 ms (target <800 ms; 5m window, at 50 %, decided the rollback)');
		expect(md).toContain('- Error Rate: 0.2 % (target <1 %; 5m window, at 30 %, decided the promote)');
		expect(md).toContain('- User Adoption: not recorded (no report.adoption metric in the plan)');
		expect(md).toContain('| Board p95 (`board_p95`) | < 800 ms (5m) | 912 ms | 5m | 3120 | BREACH | 50 % | rollback |');
		expect(md).toContain('- T-44:30: Staging validation complete (Gate A)');
		expect(md).toContain('- not reached: Rollout complete at 100%');
		expect(md).toContain('- T-44:30: Gate A passed');
		expect(md).toContain('### Lessons Learned');
		expect(md).toContain('- Build ID: build-4711');
		expect(md).toContain('- Git Tag: v2.0.0');
		expect(md).toContain('- Deployment Logs: [Deployment Logs](https://ci.example/run/4711)');
		expect(md).toContain('- Monitoring Dashboards: not recorded');
		expect(md).toContain('- T+0:00: Promote 0 % → 10 % (auto): stage green for 10:00');
		expect(md).toContain('- T+24:00 [breach] At 50 %: board_p95 BREACH 870 ms ≥ 800 ms');
		expect(md).toContain('| 30 % | PASSED | 2 |');
		expect(md).toContain('| 50 % | FAILED | 2 (2 failing) |');
		expect(md).toContain('| Gate G | not reached | |');
		expect(md).toContain('Rollback trigger → confirmed mitigation: 8.4 s');
		expect(md).toContain('- Plan hash: sha256:feedbeef');
		expect(md).toContain(`- Journal: ${file} (`);
	});

	it('reports a successful launch with the Gate G message', async () => {
		const file = await writeJournal('success.jsonl', successLaunch());
		const report = buildLaunchReport((await readJournal(file)).records);
		expect(report.result).toBe('SUCCESS');
		// The 100 % stage reads PASSED after success, never "in progress".
		expect(report.stages.map((s) => s.result)).toEqual(['passed', 'passed', 'passed', 'passed']);
		expect(report.gateG.result).toBe('passed');
		expect(report.messages).toContain('Canary 30% PASSED - Error: 0.04%, Board: 410ms, Drawer: 92ms (last check). Advancing to 50%.');
		expect(report.messages.slice(-2)).toEqual([
			'Gate G PASSED - 30min stability confirmed. All SLOs green. StatusBoardV2 launch SUCCESSFUL!',
			'🎉 StatusBoardV2 launch COMPLETE! 100% rollout stable for 30min. All SLOs green. Monitoring continues.',
		]);
		expect(report.milestones).toMatchObject({deploymentStarted: 'T+0:00', fullRollout: 'T+30:00', stabilized: 'T+1:10:00'});
		expect(report.issues).toEqual([]);
		expect(report.warnings).toEqual([]);
	});

	it('sanitizes hostile strings from the journal file', () => {
		const report = buildLaunchReport([{seq: 1, ts: '2026-11-23T10:00:00.000Z', type: 'note', text: 'hi \u001b]0;pwned\u0007 \u202Egnp.exe'}]);
		const md = renderMarkdown(report);
		for (const ch of ['\u001b', '\u0007', '\u202E']) {
			expect(md).not.toContain(ch);
		}
		expect(md).toContain('⟨ESC⟩');
		expect(report.result).toBe('PARTIAL');
		expect(report.warnings.join(' ')).toMatch(/no launch_start/);
	});

	it('formats offsets around T+0', () => {
		expect(formatOffset(-45 * min)).toBe('T-45:00');
		expect(formatOffset(150_000)).toBe('T+2:30');
		expect(formatOffset(65 * min)).toBe('T+1:05:00');
	});
});

describe('golive report command', () => {
	it('prints markdown and json, exit 0', async () => {
		const file = await writeJournal('cmd.jsonl', rollbackLaunch());
		const md = capture();
		expect(await runReportCommand(['--journal', file], md.io)).toBe(0);
		expect(md.out()).toContain('Canary 30% PASSED - Error: 0.2%, Board: 412ms, Drawer: 95.4ms (5m). Advancing to 50%.');
		const json = capture();
		expect(await runReportCommand([`--journal=${file}`, '--format', 'json'], json.io)).toBe(0);
		const parsed = JSON.parse(json.out()) as {result: string; stages: unknown[]};
		expect(parsed.result).toBe('ROLLBACK');
		expect(parsed.stages).toHaveLength(4);
	});

	it('reports a torn journal anyway, with a note', async () => {
		const file = await writeJournal('cmd-torn.jsonl', successLaunch().slice(0, 9));
		await appendFile(file, '{"seq":99,"ts":"2026-11-23T10:00:00.000Z","type":"che');
		const c = capture();
		expect(await runReportCommand(['--journal', file, '--format', 'md'], c.io)).toBe(0);
		expect(c.err()).toMatch(/torn line/);
		expect(c.out()).toContain('torn line (an unfinished write); it was dropped');
		expect(c.out()).toContain('**Result:** PARTIAL — unfinished at 30 %');
	});

	it('exits 2 with a clear message on bad input', async () => {
		const cases: Array<[string[], RegExp]> = [
			[[], /--journal FILE is required/],
			[['--journal', path.join(dir, 'nope.jsonl')], /cannot read journal .*nope\.jsonl: no such file/],
			[['--journal', dir], /is a directory/],
			[['--journal', 'x', '--format', 'pdf'], /--format must be md or json/],
			[['--bogus'], /unknown argument --bogus/],
		];
		const notJournal = path.join(dir, 'not-a-journal.txt');
		await writeFile(notJournal, 'hello\nworld\n');
		cases.push([['--journal', notJournal], /is not a golive journal \(2 unreadable line/]);
		for (const [args, message] of cases) {
			const c = capture();
			expect(await runReportCommand(args, c.io), args.join(' ')).toBe(2);
			expect(c.err()).toMatch(message);
			expect(c.out()).toBe('');
		}
		const help = capture();
		expect(await runReportCommand(['--help'], help.io)).toBe(0);
		expect(help.out()).toMatch(/Usage: golive report/);
	});
});
