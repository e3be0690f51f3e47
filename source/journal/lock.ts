/**
 * One console acts on a launch; others may watch read-only. The lock is a file
 * next to the journal created with O_EXCL, holding the owner's pid, host and
 * start time. A lock whose pid is dead (same host) is stale and taken over.
 */
import {open, readFile, rename, unlink} from 'node:fs/promises';
import os from 'node:os';

type LockOwner = {pid: number; host: string; startedAt: number};

export type LaunchLock =
	{readOnly: false; path: string; owner: LockOwner; release(): Promise<void>} | {readOnly: true; path: string; heldBy: LockOwner | null; reason: string};

export type LockOptions = {
	/** @default process.pid */
	pid?: number;
	/** @default os.hostname() */
	host?: string;
	/** Epoch ms clock. @default Date.now */
	now?: () => number;
	/** Liveness check, injectable for tests. @default signal 0 */
	isAlive?: (pid: number) => boolean;
};

export function lockPathFor(journalFile: string): string {
	return `${journalFile}.lock`;
}

function defaultIsAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists, owned by someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

async function readOwner(file: string): Promise<LockOwner | null> {
	try {
		const v = JSON.parse(await readFile(file, 'utf8')) as Partial<LockOwner>;
		if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.startedAt === 'number') {
			return {pid: v.pid, host: v.host, startedAt: v.startedAt};
		}
	} catch {
		// Unreadable or half-written: treated below.
	}
	return null;
}

async function tryCreate(file: string, owner: LockOwner): Promise<boolean> {
	let handle;
	try {
		handle = await open(file, 'wx');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
			return false;
		}
		throw error;
	}
	try {
		await handle.writeFile(JSON.stringify(owner));
		await handle.sync();
	} finally {
		await handle.close();
	}
	return true;
}

/** Takes the launch lock for `journalFile`, or says who holds it. */
export async function acquireLaunchLock(journalFile: string, options: LockOptions = {}): Promise<LaunchLock> {
	const file = lockPathFor(journalFile);
	const owner: LockOwner = {pid: options.pid ?? process.pid, host: options.host ?? os.hostname(), startedAt: (options.now ?? Date.now)()};
	const isAlive = options.isAlive ?? defaultIsAlive;
	const granted = (): LaunchLock => ({
		readOnly: false,
		path: file,
		owner,
		async release() {
			const current = await readOwner(file);
			if (current !== null && current.pid === owner.pid && current.startedAt === owner.startedAt) {
				await unlink(file).catch(() => undefined);
			}
		},
	});

	for (let attempt = 0; attempt < 3; attempt += 1) {
		if (await tryCreate(file, owner)) {
			// Someone taking over a stale lock at the same moment could have replaced ours.
			const check = await readOwner(file);
			if (check !== null && check.pid === owner.pid && check.startedAt === owner.startedAt) {
				return granted();
			}
			continue;
		}
		const holder = await readOwner(file);
		if (holder === null) {
			return {readOnly: true, path: file, heldBy: null, reason: `lock file ${file} is unreadable; remove it if no other console runs`};
		}
		if (holder.host !== owner.host) {
			return {readOnly: true, path: file, heldBy: holder, reason: `held by pid ${holder.pid} on ${holder.host}`};
		}
		if (holder.pid === owner.pid || isAlive(holder.pid)) {
			return {readOnly: true, path: file, heldBy: holder, reason: `held by pid ${holder.pid} since ${new Date(holder.startedAt).toISOString()}`};
		}
		// Stale: move it aside atomically so two consoles cannot both delete a fresh lock.
		const aside = `${file}.stale-${owner.pid}-${attempt}`;
		try {
			await rename(file, aside);
			await unlink(aside).catch(() => undefined);
		} catch {
			// Another console got there first; loop and look again.
		}
	}
	const holder = await readOwner(file);
	return {readOnly: true, path: file, heldBy: holder, reason: 'could not take the lock'};
}
