/**
 * The journal with real files in a temp dir: fsynced appends that continue
 * their seq across reopen, torn last lines dropped and cut off, corrupt lines
 * reported, the launch lock, the default location, and replay.
 */
import {appendFile, mkdtemp, readFile, rm, stat} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {openJournal, parseJournal, readJournal} from '../source/journal/journal.js';
import {configDirFor, defaultJournalDir, journalDirFor, journalFileName, newLaunchId, planHash} from '../source/journal/location.js';
import type {IntentRecord, JournalInput, JournalRecord} from '../source/journal/records.js';
import {replayJournal, resolvePendingIntent, resumeNotice} from '../source/journal/resume.js';

let dir: string;
beforeAll(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'golive-journal-'));
});
afterAll(async () => {
	await rm(dir, {recursive: true, force: true});
});

const start: JournalInput = {
	type: 'launch_start',
	launchId: 'L1',
	format: 1,
	service: 'statusboard',
	environment: 'prod',
	flag: 'STATUS_BOARD_V2_ENABLED',
	stages: [10, 30, 50, 100],
	stageDurationMs: 600_000,
	stabilizationMs: 1_800_000,
	plannedDurationMs: 3_600_000,
	planHash: 'sha256:abc',
	startedAt: Date.parse('2026-11-23T09:00:00Z'),
};
const intent = (id: string, target: number, action: IntentRecord['action'] = 'promote'): JournalInput => ({
	type: 'intent',
	id,
	action,
	targetPercent: target,
	fromPercent: null,
	reason: 'test',
	by: 'operator',
	decision: null,
});

describe('journal file', () => {
	it('appends fsynced lines with seq and ts, and continues seq after reopen', async () => {
		const file = path.join(dir, 'nested', 'deeper', 'a.jsonl');
		let t = Date.parse('2026-11-23T09:00:00Z');
		const j = await openJournal(file, {now: () => (t += 1000)});
		expect((await stat(file)).size).toBe(0);
		const r1 = await j.append(start);
		// Resolved means on disk: read it back through a separate path right away.
		expect(await readFile(file, 'utf8')).toBe(`${JSON.stringify(r1)}\n`);
		await Promise.all([
			j.append(intent('a', 10)),
			j.append({type: 'note', text: 'two at once'}),
			j.append({type: 'outcome', id: 'a', result: 'ok', readBackPercent: 10, detail: 'x', durationMs: 5}),
		]);
		await j.close();
		const read = await readJournal(file);
		expect(read.records.map((r) => [r.seq, r.type])).toEqual([
			[1, 'launch_start'],
			[2, 'intent'],
			[3, 'note'],
			[4, 'outcome'],
		]);
		expect(read.records[0]!.ts).toBe('2026-11-23T09:00:01.000Z');
		const j2 = await openJournal(file);
		expect(j2.recovered).toMatchObject({records: 4, lastSeq: 4, tornBytesDropped: 0});
		expect((await j2.append({type: 'note', text: 'after reopen'})).seq).toBe(5);
		await j2.close();
		await expect(j2.append({type: 'note', text: 'closed'})).rejects.toThrow(/closed/);
	});

	it('drops a torn last line on read and cuts it off on reopen', async () => {
		const file = path.join(dir, 'torn.jsonl');
		const j = await openJournal(file);
		await j.append(start);
		await j.append(intent('b', 30));
		await j.close();
		const clean = await readFile(file, 'utf8');
		await appendFile(file, '{"seq":3,"ts":"2026-11-23T09:00:00.000Z","type":"outco');
		const read = await readJournal(file);
		expect(read.torn).toBe(true);
		expect(read.tornBytes).toBe(54);
		expect(read.records).toHaveLength(2);
		const j2 = await openJournal(file);
		expect(j2.recovered.tornBytesDropped).toBe(54);
		expect(await readFile(file, 'utf8')).toBe(clean);
		await j2.append({type: 'outcome', id: 'b', result: 'ok', readBackPercent: 30, detail: 'ok', durationMs: 3});
		await j2.close();
		const after = await readJournal(file);
		expect(after.torn).toBe(false);
		expect(after.records.map((r) => r.seq)).toEqual([1, 2, 3]);
	});

	it('reports corrupt lines in the middle and skips them', () => {
		const good = JSON.stringify({seq: 1, ts: 'x', type: 'note', text: 'a'});
		const read = parseJournal(`${good}\nnot json\n{"seq":2}\n[1]\n${good}\n`);
		expect(read.records).toHaveLength(2);
		expect(read.errors.map((e) => e.line)).toEqual([2, 3, 4]);
		expect(read.torn).toBe(false);
	});

	it('writes NaN as null and redacts secrets before they reach the disk', async () => {
		const file = path.join(dir, 'redact.jsonl');
		const j = await openJournal(file);
		await j.append({type: 'check', at: 1, flagPercent: 10, boardP95Ms: Number.NaN, drawerAvgMs: 95, errorRate: 0.002, occConflicts: 3, green: true});
		await j.append({
			type: 'effect',
			id: 'x',
			sent: {kind: 'http', method: 'PUT', url: 'https://h/f', body: {authorization: 'Bearer abc.def.ghi', key: 'AKIAABCDEFGHIJKLMNOP'}},
		});
		await j.close();
		const text = await readFile(file, 'utf8');
		expect(text).toContain('"boardP95Ms":null');
		expect(text).not.toContain('abc.def.ghi');
		expect(text).not.toContain('AKIAABCDEFGHIJKLMNOP');
	});
});

describe('location', () => {
	it("the configuration directory is the one conf used (env-paths' config for golive-nodejs), on every platform", () => {
		expect(configDirFor('linux', {}, '/home/sre')).toBe('/home/sre/.config/golive-nodejs');
		expect(configDirFor('linux', {XDG_CONFIG_HOME: '/xdg'}, '/home/sre')).toBe('/xdg/golive-nodejs');
		expect(configDirFor('darwin', {XDG_CONFIG_HOME: '/xdg'}, '/Users/sre')).toBe('/Users/sre/Library/Preferences/golive-nodejs');
		expect(configDirFor('win32', {APPDATA: 'C:\\Users\\sre\\AppData\\Roaming'}, 'C:\\Users\\sre')).toBe(
			'C:\\Users\\sre\\AppData\\Roaming\\golive-nodejs\\Config',
		);
		expect(configDirFor('win32', {}, 'C:\\Users\\sre')).toBe('C:\\Users\\sre\\AppData\\Roaming\\golive-nodejs\\Config');
	});

	it('uses the plan dir, else a journals dir in the configuration directory', () => {
		const saved = process.env.XDG_CONFIG_HOME;
		process.env.XDG_CONFIG_HOME = dir;
		try {
			expect(defaultJournalDir()).toBe(path.join(dir, 'golive-nodejs', 'journals'));
			expect(journalDirFor({journalDir: '/x/y'})).toBe('/x/y');
		} finally {
			if (saved === undefined) {
				delete process.env.XDG_CONFIG_HOME;
			} else {
				process.env.XDG_CONFIG_HOME = saved;
			}
		}
		expect(journalFileName('status board/../v2', '20261123T090000Z-ab12')).toBe('status-board-v2-20261123T090000Z-ab12.jsonl');
		expect(newLaunchId(Date.parse('2026-11-23T09:00:00.123Z'))).toMatch(/^20261123T090000Z-[0-9a-f]{4}$/);
		expect(planHash({b: 1, a: [1, {d: 2, c: 3}]})).toBe(planHash({a: [1, {c: 3, d: 2}], b: 1}));
	});
});

describe('replay', () => {
	const withMeta = (inputs: JournalInput[]): JournalRecord[] =>
		inputs.map((r, i) => ({...r, seq: i + 1, ts: new Date(1_000 * i).toISOString()}) as JournalRecord);

	it('finds the pending intent, last confirmed percent, sign-offs and gates', () => {
		const records = withMeta([
			start,
			{type: 'sign_off', itemId: 'uat', role: 'qa_lead', name: 'Ana', at: 5},
			{type: 'gate', gate: 'A', status: 'pass'},
			intent('p1', 10),
			{type: 'effect', id: 'p1', sent: {}},
			{type: 'outcome', id: 'p1', result: 'ok', readBackPercent: 10, detail: '', durationMs: 1},
			intent('p2', 30),
			{type: 'effect', id: 'p2', sent: {}},
		]);
		const replay = replayJournal(records);
		expect(replay).toMatchObject({
			unfinished: true,
			lastConfirmedPercent: 10,
			pendingEffectSent: true,
			phase: {kind: 'canary', percent: 10, stageIndex: 0},
			gates: {A: 'pass'},
		});
		expect(replay.pendingIntent?.id).toBe('p2');
		expect(replay.signOffs).toEqual([{itemId: 'uat', role: 'qa_lead', name: 'Ana', at: 5}]);
		expect(replay.orphans).toEqual([]);
		const notice = resumeNotice(replay, {ok: true, percent: 30});
		expect(notice).toContain('Last confirmed flag: 10 %');
		expect(notice).toContain('Interrupted: promote to 30 % — sent, result unknown');
		expect(notice).toContain('The flag reads 30 % now. Nothing changes until you act.');
		expect(resumeNotice(replay, {ok: true, percent: 30}, true)).toContain(
			'The flag reads 30 % now. Rollback triggers stay armed; nothing promotes until you act.',
		);
		expect(resolvePendingIntent(replay.pendingIntent!, {ok: true, percent: 30})).toMatchObject({result: 'ok', readBackPercent: 30});
		expect(resolvePendingIntent(replay.pendingIntent!, {ok: true, percent: 10})).toMatchObject({result: 'failed'});
		expect(resolvePendingIntent(replay.pendingIntent!, {ok: false, error: 'down'})).toBeNull();
	});

	it('flags effects without intents and knows rolled back and ended launches', () => {
		const orphan = replayJournal(withMeta([start, {type: 'effect', id: 'zz', sent: {}}]));
		expect(orphan.orphans).toEqual([{seq: 2, id: 'zz', type: 'effect'}]);
		const rolled = replayJournal(
			withMeta([start, intent('r', 0, 'emergency_rollback'), {type: 'outcome', id: 'r', result: 'ok', readBackPercent: 0, detail: '', durationMs: 1}]),
		);
		expect(rolled.phase).toMatchObject({kind: 'rolled_back', percent: 0});
		const ended = replayJournal(withMeta([start, {type: 'launch_end', outcome: 'success', exitCode: 0, reason: 'done'}]));
		expect(ended).toMatchObject({unfinished: false, phase: {kind: 'ended', outcome: 'success'}});
		expect(replayJournal([]).phase).toEqual({kind: 'empty'});
	});
});
