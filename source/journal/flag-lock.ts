/**
 * One writer per flag. The lock is keyed by what the flag IS — the plan's
 * service, environment, flag name and flag API URL — not by a journal file, so
 * a second `golive run` finds it whatever journal it was given. It lives in
 * `<journalDir>/locks/<service>-<sha256 prefix>.lock` (beside the control
 * sockets) and is taken before the first flag read.
 *
 * Taking it is atomic: the record is written and fsynced to a private temp
 * file, then hard-linked to the lock path (link fails if the path exists), so
 * the lock file is never seen half-written. A stale lock (see
 * `core/lock-decision.ts`) is replaced by rename under a short-lived takeover
 * mutex, after checking that it still holds the record judged stale, so two
 * consoles taking over at once cannot both win.
 */
import {createHash, randomBytes} from 'node:crypto';
import {link, mkdir, open, readFile, rename, stat, unlink} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {decideLock, type FlagLockOwner, type LockDecision, type LockFacts} from '../core/lock-decision.js';
import type {Plan} from '../core/plan-types.js';
import type {JournalInput} from './records.js';

export type FlagLock =
	| {kind: 'owner'; path: string; owner: FlagLockOwner; takenOver: {holder: FlagLockOwner; why: string} | null; release(): Promise<void>}
	| {kind: 'watcher'; path: string; holder: FlagLockOwner; why: string}
	| {kind: 'refused'; path: string; why: string};

export type FlagLockOptions = {
	/** The journal this process will write: a watcher follows it. */
	journal: string;
	/** @default process.pid */
	pid?: number;
	/** @default os.hostname() */
	host?: string;
	/** Epoch ms clock. @default Date.now */
	now?: () => number;
	/** Whether a pid runs here and its start time (null: unknown). Injected by tests. @default kill(pid, 0) and /proc/<pid>/stat */
	processInfo?: (pid: number) => Promise<{running: false} | {running: true; processStart: string | null}>;
	/** @default /proc/sys/kernel/random/boot_id, null elsewhere */
	bootId?: string | null;
};

/** A takeover mutex older than this was left by a process that died mid-takeover (it is held for milliseconds). */
const staleMutexMs = 10_000;

/** `<journalDir>/locks/<service>-<hash>.lock`: one per service + environment + flag API + flag. */
export function flagLockPath(journalDir: string, plan: Pick<Plan, 'service' | 'environment' | 'canary' | 'actions'>): string {
	// The URL may carry a token: only its hash reaches the file name.
	const key = [plan.service, plan.environment, plan.actions.readBack.url, plan.canary.flag].join('\n');
	const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
	return path.join(journalDir, 'locks', `${plan.service.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40)}-${hash}.lock`);
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); the command name before it may hold spaces and ')'. */
export function processStartFromStat(stat: string): string | null {
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const start = fields[19];
	return start !== undefined && /^\d+$/.test(start) ? start : null;
}

/** The start time of `pid` as Linux counts it; null where /proc is not there. */
export async function processStartOf(pid: number): Promise<string | null> {
	try {
		return processStartFromStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return null;
	}
}

async function defaultProcessInfo(pid: number): Promise<{running: false} | {running: true; processStart: string | null}> {
	try {
		process.kill(pid, 0);
	} catch (error) {
		// EPERM: it runs, as another user.
		if ((error as NodeJS.ErrnoException).code !== 'EPERM') return {running: false};
	}
	return {running: true, processStart: await processStartOf(pid)};
}

async function readBootId(): Promise<string | null> {
	try {
		return (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim() || null;
	} catch {
		return null;
	}
}

/** The record in a lock file's text, or why it is not one. */
export function parseLockRecord(text: string): FlagLockOwner | string {
	let v: Record<string, unknown>;
	try {
		v = JSON.parse(text) as Record<string, unknown>;
	} catch {
		return text.length === 0 ? 'empty file' : 'not JSON';
	}
	if (v === null || typeof v !== 'object') return 'not a JSON object';
	const nullableText = (x: unknown) => x === null || typeof x === 'string';
	if (!Number.isInteger(v.pid) || typeof v.host !== 'string' || typeof v.journal !== 'string' || typeof v.since !== 'number')
		return 'missing pid, host, journal or since';
	if (!nullableText(v.processStart) || !nullableText(v.bootId)) return 'bad processStart or bootId';
	return {
		pid: v.pid as number,
		host: v.host,
		processStart: v.processStart as string | null,
		bootId: v.bootId as string | null,
		journal: v.journal,
		since: v.since,
	};
}

/** Reads the lock: its text and record, or null when there is none. */
export async function readFlagLock(file: string): Promise<{text: string; record: FlagLockOwner | string} | null> {
	try {
		const text = await readFile(file, 'utf8');
		return {text, record: parseLockRecord(text)};
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw error;
	}
}

async function writeTemp(file: string, text: string): Promise<string> {
	const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
	const handle = await open(temp, 'wx', 0o600);
	try {
		await handle.writeFile(text);
		await handle.sync();
	} finally {
		await handle.close();
	}
	return temp;
}

/** Creates `file` with `text` only if it does not exist; false when it does. */
async function createExclusive(file: string, text: string): Promise<boolean> {
	const temp = await writeTemp(file, text);
	try {
		await link(temp, file);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw error;
	} finally {
		await unlink(temp).catch(() => undefined);
	}
}

/** Replaces the stale lock whose text was `staleText` with ours; false when someone else changed it first. */
async function replaceStale(file: string, staleText: string, text: string): Promise<boolean> {
	const mutex = `${file}.takeover`;
	if (!(await createExclusive(mutex, String(process.pid)))) {
		const age = await stat(mutex).then(
			(s) => Date.now() - s.mtimeMs,
			() => 0,
		);
		if (age > staleMutexMs) await unlink(mutex).catch(() => undefined);
		return false;
	}
	try {
		const now = await readFlagLock(file);
		if (now === null || now.text !== staleText) return false;
		const temp = await writeTemp(file, text);
		await rename(temp, file);
		return true;
	} finally {
		await unlink(mutex).catch(() => undefined);
	}
}

async function facts(record: FlagLockOwner, self: {pid: number; host: string; bootId: string | null}, options: FlagLockOptions): Promise<LockFacts> {
	const processInfo = options.processInfo ?? defaultProcessInfo;
	const sameHost = record.host === self.host;
	// Another host's pid means nothing here: the decision never looks at it.
	const holderProcess = sameHost ? await processInfo(record.pid) : ({running: true, processStart: null} as const);
	return {lock: 'held', holder: record, self, holderProcess};
}

/** Decides about the lock at `file` as it is now (for a watcher re-checking its owner, too). */
export async function judgeFlagLock(file: string, options: Omit<FlagLockOptions, 'journal'>): Promise<{decision: LockDecision; text: string} | null> {
	const current = await readFlagLock(file);
	if (current === null) return null;
	const self = {
		pid: options.pid ?? process.pid,
		host: options.host ?? os.hostname(),
		bootId: options.bootId === undefined ? await readBootId() : options.bootId,
	};
	const decision =
		typeof current.record === 'string'
			? decideLock({lock: 'unreadable', detail: current.record})
			: decideLock(await facts(current.record, self, {...options, journal: ''}));
	return {decision, text: current.text};
}

/** Takes the flag's lock, or says who holds it (watch) or why nobody can tell (refused). */
export async function acquireFlagLock(file: string, options: FlagLockOptions): Promise<FlagLock> {
	const pid = options.pid ?? process.pid;
	const bootId = options.bootId === undefined ? await readBootId() : options.bootId;
	const owner: FlagLockOwner = {
		pid,
		host: options.host ?? os.hostname(),
		processStart: await processStartOf(pid),
		bootId,
		journal: path.resolve(options.journal),
		since: (options.now ?? Date.now)(),
	};
	const text = JSON.stringify({v: 1, ...owner});
	await mkdir(path.dirname(file), {recursive: true, mode: 0o700});
	const granted = (takenOver: {holder: FlagLockOwner; why: string} | null): FlagLock => ({
		kind: 'owner',
		path: file,
		owner,
		takenOver,
		async release() {
			// Only our own record is removed: never a lock someone took over after us.
			const current = await readFlagLock(file).catch(() => null);
			if (current?.text === text) await unlink(file).catch(() => undefined);
		},
	});
	for (let attempt = 0; attempt < 20; attempt += 1) {
		if (await createExclusive(file, text)) return granted(null);
		const judged = await judgeFlagLock(file, {...options, pid, bootId});
		if (judged === null) continue; // Released between the two looks: try again.
		const {decision} = judged;
		switch (decision.kind) {
			case 'watch':
				return {kind: 'watcher', path: file, holder: decision.holder, why: decision.why};
			case 'refuse':
				return {kind: 'refused', path: file, why: decision.why};
			case 'take_over':
				if (await replaceStale(file, judged.text, text)) return granted({holder: decision.holder, why: decision.why});
				await new Promise((resolve) => setTimeout(resolve, 20 + attempt * 10));
				break;
			default: {
				const _never: never = decision;
				return _never;
			}
		}
	}
	return {kind: 'refused', path: file, why: 'the lock kept changing hands while golive tried to take it'};
}

/**
 * After a takeover, the journal says whose lock it was and why it was stale
 * (before anything else acts); the returned lines are for the event log.
 */
export async function journalTakeover(
	lock: Extract<FlagLock, {kind: 'owner'}>,
	journal: {append(record: JournalInput): Promise<unknown>},
	say: (line: string) => void,
): Promise<string[]> {
	if (lock.takenOver === null) return [];
	const {holder, why} = lock.takenOver;
	await journal.append({
		type: 'lock_takeover',
		previous: {pid: holder.pid, host: holder.host, since: holder.since, journal: holder.journal, processStart: holder.processStart},
		by: {pid: lock.owner.pid, host: lock.owner.host},
		why,
	});
	const line = `Flag lock taken over from pid ${holder.pid} on ${holder.host} (held since ${new Date(holder.since).toISOString()}, journal ${holder.journal}): ${why}`;
	say(line);
	return [line];
}
