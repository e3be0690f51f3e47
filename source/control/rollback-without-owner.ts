/**
 * `golive rollback` with no owner running: the run sheet's
 * `rollback.sh emergency --reason …`, done by the command itself. It takes the
 * launch lock, journals who asked and the intent (fsynced) before the write,
 * sets the flag to 0, reads it back, and journals the outcome. Write failures
 * are retried with backoff for a bounded time; the answer is what the flag
 * reads at the end, never what was sent.
 */
import path from 'node:path';
import type {Plan} from '../core/plan-types.js';
import {createRedactor, secretsFromPlan} from '../core/redact.js';
import {sanitize} from '../core/sanitize.js';
import {launchTargets} from '../engine/journal-records.js';
import type {FlagPort} from '../engine/ports.js';
import {flagPort} from '../engine/wire.js';
import {openJournal, readJournal, type Journal} from '../journal/journal.js';
import {journalFileName, newLaunchId, planHash} from '../journal/location.js';
import {acquireFlagLock, flagLockPath, journalTakeover} from '../journal/flag-lock.js';
import {journalFormat} from '../journal/records.js';
import {replayJournal} from '../journal/resume.js';
import type {Requester} from './protocol.js';
import {newestJournal} from './status-view.js';

export type RollbackWithoutOwnerOptions = {
	plan: Plan;
	env: NodeJS.ProcessEnv;
	journalDir: string;
	reason: string;
	/** Also run the plan's full-rollback command once the flag reads 0. */
	full: boolean;
	requester: Requester;
	/** Keep retrying a failed write this long. @default 30000 (the run sheet's rollback target) */
	retryForMs?: number;
	now?: () => number;
	/** Injected for tests. @default the plan's flag API */
	flag?: FlagPort;
	/** @default setTimeout-based sleep */
	sleep?: (ms: number) => Promise<void>;
};

export type RollbackWithoutOwnerResult = {
	/** The flag read back at 0 (and the full rollback, when asked, succeeded). */
	ok: boolean;
	/** The flag as last read; null when it could not be read. */
	readBackPercent: number | null;
	tries: number;
	detail: string;
	journal: string;
	/** Set when the launch lock is held by someone else: nothing was done. */
	refused?: string;
};

/** The unfinished launch this rollback belongs to, or a new journal for it. */
async function journalFor(plan: Plan, dir: string, now: number): Promise<{file: string; fresh: boolean}> {
	const newest = await newestJournal(dir, plan.service);
	if (newest !== null) {
		const replay = replayJournal((await readJournal(newest).catch(() => ({records: []}))).records);
		if (replay.unfinished) return {file: newest, fresh: false};
	}
	return {file: path.join(dir, journalFileName(plan.service, newLaunchId(now))), fresh: true};
}

async function writeZero(
	flag: FlagPort,
	journal: Journal,
	id: string,
	options: {retryForMs: number; now: () => number; sleep: (ms: number) => Promise<void>},
): Promise<{tries: number; detail: string}> {
	const started = options.now();
	let delay = 500;
	let tries = 0;
	let detail = 'not tried';
	for (;;) {
		tries += 1;
		const before = await flag.read();
		const outcome = await flag.setPercent(0, before.ok ? before.version : null, async (sent) => {
			await journal.append({type: 'effect', id, sent});
		});
		detail = outcome.detail;
		if (outcome.kind === 'ok' && outcome.percent === 0) return {tries, detail};
		if (options.now() - started + delay > options.retryForMs) return {tries, detail};
		await options.sleep(delay);
		delay = Math.min(delay * 2, 4000);
	}
}

export async function rollbackWithoutOwner(options: RollbackWithoutOwnerOptions): Promise<RollbackWithoutOwnerResult> {
	const {plan, requester} = options;
	const now = options.now ?? Date.now;
	const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
	const redactor = createRedactor(secretsFromPlan(plan, options.env));
	const flag = options.flag ?? flagPort({plan, env: options.env, now, redactor});
	const {file, fresh} = await journalFor(plan, options.journalDir, now());
	// The same lock a launch takes: one writer per flag, whichever journal.
	const lock = await acquireFlagLock(flagLockPath(options.journalDir, plan), {journal: file, now});
	if (lock.kind !== 'owner') {
		const why =
			lock.kind === 'watcher'
				? `the flag is locked (${lock.why}) but its owner does not answer on the control socket`
				: `the flag lock ${lock.path} cannot be judged: ${lock.why}`;
		return {ok: false, readBackPercent: null, tries: 0, detail: '', journal: file, refused: why};
	}
	const journal = await openJournal(file, {now, redactor});
	try {
		const startedAt = now();
		if (fresh) {
			const {canary} = plan;
			await journal.append({
				type: 'launch_start',
				launchId: path.basename(file, '.jsonl'),
				format: journalFormat,
				planHash: planHash(plan),
				startedAt,
				targets: launchTargets(plan),
				service: plan.service,
				environment: plan.environment,
				flag: canary.flag,
				stages: canary.stages,
				stageDurationMs: canary.stageDurationMs,
				stabilizationMs: canary.stabilizationMs,
				plannedDurationMs: null,
			});
		}
		await journalTakeover(lock, journal, () => undefined);
		const reason = sanitize(options.reason, 300);
		const before = await flag.read();
		const fromPercent = before.ok ? before.percent : null;
		await journal.append({
			type: 'control',
			command: 'rollback',
			by: requester.by,
			user: requester.user,
			pid: requester.pid,
			detail: `emergency rollback with no owner running: ${reason}`,
		});
		const id = `cli-${startedAt}`;
		await journal.append({type: 'intent', id, action: 'emergency_rollback', targetPercent: 0, fromPercent, reason, by: 'cli', decision: null});
		const written = await writeZero(flag, journal, id, {retryForMs: options.retryForMs ?? 30_000, now, sleep});
		// The claim comes from a read of our own after the write, not from the write's answer.
		const read = await flag.read();
		const readBack = read.ok ? read.percent : null;
		const ok = readBack === 0;
		const detail = ok
			? `flag reads 0 % after ${written.tries} ${written.tries === 1 ? 'try' : 'tries'}`
			: `flag reads ${readBack ?? 'unknown'}${read.ok ? ' %' : ` (${read.error})`} after ${written.tries} tries: ${written.detail}`;
		await journal.append({type: 'outcome', id, result: ok ? 'ok' : 'failed', readBackPercent: readBack, detail, durationMs: now() - startedAt});
		let fullDetail = '';
		let fullOk = true;
		if (ok && options.full) {
			const fullId = `cli-full-${now()}`;
			await journal.append({type: 'intent', id: fullId, action: 'full_rollback', targetPercent: null, fromPercent: 0, reason, by: 'cli', decision: null});
			const full = flag.fullRollback
				? await flag.fullRollback(reason, async (sent) => void (await journal.append({type: 'effect', id: fullId, sent})))
				: ({kind: 'failed', detail: 'no full rollback configured in the plan'} as const);
			fullOk = full.kind === 'ok';
			fullDetail = `; full rollback ${fullOk ? 'done' : 'FAILED'}: ${full.detail}`;
			await journal.append({
				type: 'outcome',
				id: fullId,
				result: fullOk ? 'ok' : 'failed',
				readBackPercent: full.kind === 'ok' ? full.percent : null,
				detail: full.detail,
				durationMs: now() - startedAt,
			});
		}
		// Only a launch this command opened is closed by it; an owner's unfinished launch stays for the operator to open.
		if (fresh) {
			const why = `golive rollback (${requester.by}, ${requester.user}): ${reason}`;
			await journal.append(
				ok && fullOk
					? {type: 'launch_end', outcome: 'rolled_back', exitCode: 1, reason: why}
					: {type: 'launch_end', outcome: 'rollback_failed', exitCode: 4, reason: `${why} — ${detail}${fullDetail}`},
			);
		}
		return {ok: ok && fullOk, readBackPercent: readBack, tries: written.tries, detail: `${detail}${fullDetail}`, journal: file};
	} finally {
		await journal.close();
		await lock.release();
	}
}
