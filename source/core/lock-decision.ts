/**
 * One writer per flag: whether this process owns the flag, watches the owner,
 * or takes over a lock its owner left behind. Pure: the facts (what the lock
 * file says, whether its pid runs here and since when) are gathered by
 * `source/journal/flag-lock.ts`; the rule lives here so it is tested alone.
 *
 * The rule is fail-safe: a lock is taken over only when its owner is PROVEN
 * gone — same host and the pid is not running, or the pid runs but started at
 * another time (the pid was reused), or the host rebooted since. Anything that
 * cannot be proven (another host, an unknown start time, an unreadable file)
 * keeps the lock where it is.
 */

/** What a flag lock file records about its owner. */
export type FlagLockOwner = {
	pid: number;
	host: string;
	/**
	 * The owner process's start time as the OS counts it (Linux: field 22 of
	 * `/proc/<pid>/stat`, clock ticks since boot), so a reused pid is told from
	 * the owner. null where the OS does not say.
	 */
	processStart: string | null;
	/** `/proc/sys/kernel/random/boot_id`: a lock from before a reboot is stale. null where unknown. */
	bootId: string | null;
	/** The owner's journal: a watcher follows it. */
	journal: string;
	/** Epoch ms the owner took the lock. */
	since: number;
};

/** The facts about the lock file and its owner, as gathered right now. */
export type LockFacts =
	/** The lock file holds a readable record. */
	| {
			lock: 'held';
			holder: FlagLockOwner;
			self: {pid: number; host: string; bootId: string | null};
			/** Only looked at on the same host: is `holder.pid` running, and since when (null: unknown). */
			holderProcess: {running: false} | {running: true; processStart: string | null};
	  }
	/** The lock file exists but does not parse (half-written by hand, corrupt). */
	| {lock: 'unreadable'; detail: string};

export type LockDecision =
	/** A live (or unprovably dead) owner holds the flag: follow its journal, never write. */
	| {kind: 'watch'; holder: FlagLockOwner; why: string}
	/** The owner is gone: take the lock over and journal who held it. */
	| {kind: 'take_over'; holder: FlagLockOwner; why: string}
	/** Nobody can be named as owner: refuse to act, say what to remove by hand. */
	| {kind: 'refuse'; why: string};

/** Decides what to do about a lock someone else created. */
export function decideLock(facts: LockFacts): LockDecision {
	if (facts.lock === 'unreadable') return {kind: 'refuse', why: `the lock file is unreadable (${facts.detail})`};
	const {holder, self, holderProcess} = facts;
	const owner = `pid ${holder.pid} on ${holder.host}`;
	if (holder.host !== self.host) return {kind: 'watch', holder, why: `held by ${owner} (another host: its liveness cannot be checked from here)`};
	if (holder.bootId !== null && self.bootId !== null && holder.bootId !== self.bootId) {
		return {kind: 'take_over', holder, why: `${owner} held it before this host rebooted`};
	}
	if (!holderProcess.running) return {kind: 'take_over', holder, why: `${owner} is not running`};
	if (holder.processStart !== null && holderProcess.processStart !== null && holder.processStart !== holderProcess.processStart) {
		return {
			kind: 'take_over',
			holder,
			why: `pid ${holder.pid} now belongs to another process (started at ${holderProcess.processStart}, the owner at ${holder.processStart})`,
		};
	}
	return {kind: 'watch', holder, why: `held by ${owner}`};
}
