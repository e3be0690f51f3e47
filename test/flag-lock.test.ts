/**
 * One writer per flag, below the CLI: the pure own / watch / take-over rule,
 * the lock file on a real file system (atomic create, takeover of a dead or
 * reused pid, races), the journal follower, and the watcher's screen and keys.
 */
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {appendFile, mkdir, mkdtemp, readFile, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {decideLock, type FlagLockOwner, type LockFacts} from '../source/core/lock-decision.js';
import {acquireFlagLock, flagLockPath, processStartFromStat, processStartOf, type FlagLockOptions} from '../source/journal/flag-lock.js';
import {followJournal} from '../source/journal/journal-follower.js';
import {describeOwnerRecord, watchedLaunch} from '../source/journal/watched-launch.js';
import {renderWatchScreen, watchKeyRefusal} from '../source/watch-console.js';

const holder: FlagLockOwner = {pid: 4242, host: 'ops-1', processStart: '9001', bootId: 'boot-a', journal: '/j/a.jsonl', since: 1};
const self = {pid: 77, host: 'ops-1', bootId: 'boot-a'};
const held = (over: Partial<Extract<LockFacts, {lock: 'held'}>>): LockFacts => ({
	lock: 'held',
	holder,
	self,
	holderProcess: {running: true, processStart: '9001'},
	...over,
});

describe('decideLock (pure)', () => {
	it.each<[string, 'watch' | 'take_over' | 'refuse', LockFacts, RegExp]>([
		['live owner, same start time', 'watch', held({}), /held by pid 4242 on ops-1/],
		['owner on another host (cannot be checked)', 'watch', held({self: {...self, host: 'ops-2'}}), /another host/],
		['pid not running', 'take_over', held({holderProcess: {running: false}}), /is not running/],
		[
			'pid running with another start time (reused)',
			'take_over',
			held({holderProcess: {running: true, processStart: '123'}}),
			/now belongs to another process/,
		],
		['pid running, start time unknown here', 'watch', held({holderProcess: {running: true, processStart: null}}), /held by/],
		[
			'pid running, owner recorded no start time',
			'watch',
			held({holder: {...holder, processStart: null}, holderProcess: {running: true, processStart: '5'}}),
			/held by/,
		],
		['host rebooted since', 'take_over', held({self: {...self, bootId: 'boot-b'}}), /rebooted/],
		['boot id unknown: falls back to the pid', 'watch', held({self: {...self, bootId: null}}), /held by/],
		['unreadable lock file', 'refuse', {lock: 'unreadable', detail: 'not JSON'}, /unreadable \(not JSON\)/],
	])('%s → %s', (_name, kind, facts, why) => {
		const decision = decideLock(facts);
		expect(decision.kind).toBe(kind);
		expect(decision.why).toMatch(why);
	});

	it('never takes over a live owner whatever else is unknown', () => {
		for (const processStart of ['9001', null])
			for (const bootId of ['boot-a', null]) {
				const d = decideLock(held({self: {...self, bootId}, holderProcess: {running: true, processStart}}));
				expect(d.kind).toBe('watch');
			}
	});
});

describe('process start time', () => {
	it('reads field 22 of /proc/<pid>/stat even when the command name holds spaces and parentheses', () => {
		const fields = Array.from({length: 50}, (_, i) => String(i + 3));
		expect(processStartFromStat(`123 (a b) c) ${fields.join(' ')}`)).toBe('22');
		expect(processStartFromStat('garbage')).toBeNull();
	});

	it.skipIf(!existsSync('/proc/self/stat'))('knows this process’s start time, and none for a pid that does not exist', async () => {
		expect(await processStartOf(process.pid)).toMatch(/^\d+$/);
		expect(await processStartOf(2 ** 22 + 17)).toBeNull();
	});
});

describe('acquireFlagLock (real files)', () => {
	let dir: string;
	beforeAll(async () => {
		dir = await mkdtemp(path.join(os.tmpdir(), 'golive-flag-lock-'));
	});
	const lockIn = (name: string) => path.join(dir, name, 'x.lock');
	const as = (pid: number, extra: Partial<FlagLockOptions> = {}): FlagLockOptions => ({journal: `/j/${pid}.jsonl`, pid, bootId: null, ...extra});

	it('is keyed by service, environment, flag API and flag, never by journal file', () => {
		const plan = {
			service: 'StatusBoardV2',
			environment: 'production',
			canary: {flag: 'F'},
			actions: {readBack: {url: 'https://flags/api?token=s3cret'}},
		} as never;
		const a = flagLockPath('/d', plan);
		expect(a).toMatch(/^\/d\/locks\/StatusBoardV2-[0-9a-f]{16}\.lock$/);
		expect(a).not.toContain('s3cret');
		expect(flagLockPath('/d', {...(plan as object), environment: 'staging'} as never)).not.toBe(a);
		expect(flagLockPath('/d', {...(plan as object), canary: {flag: 'G'}} as never)).not.toBe(a);
	});

	it('gives the first process the lock, the second a watcher of the first one’s journal, and frees on release', async () => {
		const file = lockIn('basic');
		const alive = async () => ({running: true as const, processStart: null});
		const first = await acquireFlagLock(file, as(1001, {processInfo: alive}));
		expect(first.kind).toBe('owner');
		const second = await acquireFlagLock(file, as(1002, {processInfo: alive}));
		expect(second).toMatchObject({kind: 'watcher', holder: {pid: 1001, journal: '/j/1001.jsonl'}});
		const record = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
		expect(record).toMatchObject({pid: 1001, host: os.hostname(), journal: '/j/1001.jsonl'});
		expect(typeof record.since).toBe('number');
		if (first.kind === 'owner') await first.release();
		expect(existsSync(file)).toBe(false);
		const third = await acquireFlagLock(file, as(1003, {processInfo: alive}));
		expect(third.kind).toBe('owner');
	});

	it('takes over the lock of a process that died (a real pid), saying whose it was', async () => {
		const file = lockIn('dead');
		const child = spawn(process.execPath, ['-e', '0']);
		await new Promise((resolve) => child.on('close', resolve));
		await acquireFlagLock(file, {journal: '/j/dead.jsonl', pid: child.pid!});
		const lock = await acquireFlagLock(file, {journal: '/j/me.jsonl'});
		expect(lock.kind).toBe('owner');
		if (lock.kind !== 'owner') return;
		expect(lock.takenOver).toMatchObject({holder: {pid: child.pid, journal: '/j/dead.jsonl'}});
		expect(lock.takenOver?.why).toMatch(/is not running/);
		expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({pid: process.pid, journal: '/j/me.jsonl'});
		await lock.release();
	});

	it.skipIf(!existsSync('/proc/self/stat'))('takes over a live, unrelated pid whose start time is not the owner’s; keeps a live owner', async () => {
		const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
		try {
			const file = lockIn('reused');
			await mkdir(path.dirname(file), {recursive: true});
			const realStart = await processStartOf(sleeper.pid!);
			await writeFile(file, JSON.stringify({v: 1, pid: sleeper.pid, host: os.hostname(), processStart: '1', bootId: null, journal: '/j/old.jsonl', since: 5}));
			const lock = await acquireFlagLock(file, {journal: '/j/me.jsonl'});
			expect(lock.kind).toBe('owner');
			if (lock.kind === 'owner') {
				expect(lock.takenOver?.why).toMatch(new RegExp(`pid ${sleeper.pid} now belongs to another process`));
				await lock.release();
			}
			// The same pid with its real start time is a live owner: watched, never taken over.
			await writeFile(
				file,
				JSON.stringify({v: 1, pid: sleeper.pid, host: os.hostname(), processStart: realStart, bootId: null, journal: '/j/live.jsonl', since: 5}),
			);
			expect(await acquireFlagLock(file, {journal: '/j/me.jsonl'})).toMatchObject({kind: 'watcher', holder: {journal: '/j/live.jsonl'}});
			expect(sleeper.exitCode).toBeNull();
		} finally {
			sleeper.kill('SIGKILL');
		}
	});

	it('refuses (and says what to remove) when the lock file is unreadable', async () => {
		const file = lockIn('corrupt');
		await acquireFlagLock(file, as(1, {processInfo: async () => ({running: true, processStart: null})}));
		await writeFile(file, '{"pid": 12');
		expect(await acquireFlagLock(file, as(2))).toMatchObject({kind: 'refused', why: expect.stringMatching(/unreadable/)});
	});

	it('many processes at once, on a free lock and on a stale one: exactly one owner, the rest watch it', async () => {
		const alive = async (pid: number) => (pid === 999_999 ? {running: false as const} : {running: true as const, processStart: null});
		for (const name of ['race-free', 'race-stale']) {
			const file = lockIn(name);
			if (name === 'race-stale') await acquireFlagLock(file, as(999_999, {processInfo: alive}));
			const locks = await Promise.all(Array.from({length: 12}, (_, i) => acquireFlagLock(file, as(2000 + i, {processInfo: alive}))));
			const owners = locks.filter((l) => l.kind === 'owner');
			expect(owners).toHaveLength(1);
			const ownerPid = owners[0]!.kind === 'owner' ? owners[0]!.owner.pid : -1;
			for (const l of locks) if (l.kind === 'watcher') expect(l.holder.pid).toBe(ownerPid);
			expect(locks.filter((l) => l.kind === 'watcher')).toHaveLength(11);
			expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({pid: ownerPid});
		}
	});
});

describe('journal follower and the watched launch', () => {
	const rec = (seq: number, body: Record<string, unknown>) => `${JSON.stringify({seq, ts: '2026-11-23T09:00:00.000Z', ...body})}\n`;

	it('returns complete lines only, waits for a missing file, and re-reads a shortened file without repeating records', async () => {
		const dir = await mkdtemp(path.join(os.tmpdir(), 'golive-follow-'));
		const file = path.join(dir, 'owner.jsonl');
		const follower = followJournal(file);
		expect(await follower.poll()).toEqual([]);
		const start = rec(1, {type: 'launch_start', launchId: 'L', stages: [10, 100], service: 's', environment: 'e', flag: 'F'});
		const promote = rec(2, {type: 'outcome', id: 'a', result: 'ok', readBackPercent: 10, detail: 'set', durationMs: 3});
		await writeFile(file, start + promote.slice(0, 20));
		expect((await follower.poll()).map((r) => r.seq)).toEqual([1]);
		await appendFile(file, promote.slice(20));
		const next = await follower.poll();
		expect(next.map((r) => r.seq)).toEqual([2]);
		expect(watchedLaunch([...(await followJournal(file).poll())])).toMatchObject({phase: 'canary', stage: {percent: 10, index: 0}, flagPercent: 10});
		await writeFile(file, start);
		expect(await follower.poll()).toEqual([]);
		await appendFile(file, rec(3, {type: 'launch_end', outcome: 'success', exitCode: 0, reason: 'done'}));
		const end = await follower.poll();
		expect(end.map((r) => r.seq)).toEqual([3]);
		expect(describeOwnerRecord(end[0]!)).toBe('launch ended: success (exit 0): done');
	});
});

describe('watcher screen', () => {
	it('shows the WATCHING header and refuses every key that would act, naming the way through the owner', () => {
		const frame = renderWatchScreen(
			{
				header: 'WATCHING — owner pid 7 on host h since 2026-11-23T09:00:00.000Z; read-only',
				status: ['s · e · flag F'],
				log: ['09:00:01 decision PROMOTE: x'],
				ended: null,
			},
			{width: 120, height: 20, flash: null, help: false},
		);
		expect(frame.split('\n')[0]).toBe('WATCHING — owner pid 7 on host h since 2026-11-23T09:00:00.000Z; read-only');
		expect(frame).toContain('decision PROMOTE');
		expect(watchKeyRefusal('p', 'owner pid 7 on host h')).toBe(
			'read-only: promote refused — owner pid 7 on host h owns this flag (golive promote goes through it)',
		);
		for (const key of ['r', 'R', 'space', 'a', 'x', 's', 'n']) expect(watchKeyRefusal(key, 'o')).toMatch(/^read-only: .* refused — o owns this flag/);
		expect(watchKeyRefusal('?', 'o')).toBeNull();
		expect(watchKeyRefusal('z', 'o')).toMatch(/no key "z" here/);
	});
});
