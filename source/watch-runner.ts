/**
 * A second console or `golive run` on a flag someone else owns: a read-only
 * watcher. It never reads or writes the flag and runs no probes; it follows
 * the owner's journal (the path in the flag lock) and shows the owner's state:
 * stage, flag as the owner read it, decisions, actions, the outcome.
 * Headless, it streams `watch` events and ends with the owner's own outcome
 * and exit code once the owner's journal shows `launch_end`. An owner that
 * stops without one (killed, interrupted) ends the watch inconclusive (exit 3):
 * its launch is unfinished, and the next `golive run` takes the lock over.
 */
import type {CommandIo} from './cli-args.js';
import {formatWallClock} from './core/format.js';
import type {FlagLockOwner} from './core/lock-decision.js';
import type {LaunchResult} from './core/launch-outcome.js';
import type {Plan} from './core/plan-types.js';
import type {StreamEvent} from './core/stream-event-types.js';
import {resultEvent, startEvent} from './engine/stream-events.js';
import {writeEvent, type LineSink} from './headless.js';
import {judgeFlagLock} from './journal/flag-lock.js';
import {followJournal, type JournalFollower} from './journal/journal-follower.js';
import type {JournalRecord} from './journal/records.js';
import {describeOwnerRecord, watchedLaunch, type WatchedLaunch} from './journal/watched-launch.js';
import {startWatchConsole, type WatchConsole, type WatchView} from './watch-console.js';

export type WatchRunOptions = {
	plan: Plan;
	command: 'demo' | 'run';
	json: boolean;
	io: CommandIo & {events: LineSink};
	lockPath: string;
	holder: FlagLockOwner;
	/** Why this run watches (from the lock decision). */
	why: string;
	/** How often the owner's journal is read. @default 250 */
	pollMs?: number;
	/** How often the owner's lock is looked at (is it alive, still the owner). @default 1000 */
	ownerCheckMs?: number;
	/** Console mode: the terminal's input. @default process.stdin */
	stdin?: NodeJS.ReadStream;
	cleanup?: () => Promise<void>;
};

/** A batch longer than this (catching up on a long journal) is one `watch` event, not one per record. */
const catchUpBatch = 50;
const logLines = 200;

const iso = (ms: number) => new Date(ms).toISOString();

function watchingJson(holder: FlagLockOwner) {
	return {pid: holder.pid, host: holder.host, since: iso(holder.since), journal: holder.journal};
}

function statusLines(plan: Plan, w: WatchedLaunch): string[] {
	const stage =
		w.stage.percent === null ? w.phase : `stage ${w.stage.index === null ? '?' : w.stage.index + 1} of ${plan.canary.stages.length} at ${w.stage.percent} %`;
	const decision = w.lastDecision ? `${w.lastDecision.kind.toUpperCase()}: ${w.lastDecision.reason}` : 'none yet';
	return [
		`${plan.service} · ${plan.environment} · flag ${plan.canary.flag}`,
		`Owner's launch: ${stage} · flag reads ${w.flagPercent === null ? 'unknown' : `${w.flagPercent} %`} (as the owner last read it)`,
		`Last decision: ${decision}`,
	];
}

export async function watchLaunch(options: WatchRunOptions): Promise<number> {
	const {plan, io} = options;
	const now = (): number => Date.now();
	const startedAt = now();
	let holder = options.holder;
	let follower: JournalFollower = followJournal(holder.journal);
	let records: JournalRecord[] = [];
	let state = watchedLaunch(records);
	let lastFlag: number | null = null;
	const log: string[] = [];
	const owner = () => `owner pid ${holder.pid} on host ${holder.host}`;
	const header = () => `WATCHING — ${owner()} since ${iso(holder.since)}; read-only`;
	const say = (text: string) => io.stderr.write(`golive: ${text}\n`);

	const emitWatch = (what: string, at: number) => {
		log.push(`${formatWallClock(at)} ${what}`);
		if (log.length > logLines) log.shift();
		if (!options.json) return;
		writeEvent(io.events, {
			type: 'watch',
			ts: iso(at),
			watching: watchingJson(holder),
			what,
			seq: state.seq,
			phase: state.phase,
			stage: state.stage,
			flagPercent: state.flagPercent,
			decision: state.lastDecision ? {kind: state.lastDecision.kind, reason: state.lastDecision.reason, at: iso(state.lastDecision.at)} : null,
			outcome: state.end?.outcome ?? null,
		});
	};

	const take = (fresh: JournalRecord[]) => {
		if (fresh.length > catchUpBatch) {
			records = [...records, ...fresh];
			state = watchedLaunch(records);
			lastFlag = state.flagPercent;
			emitWatch(`caught up on ${fresh.length} records of the owner's journal`, now());
			return;
		}
		for (const r of fresh) {
			records.push(r);
			state = watchedLaunch(records);
			const at = Date.parse(r.ts) || now();
			const what = describeOwnerRecord(r) ?? (state.flagPercent !== lastFlag ? `flag reads ${state.flagPercent ?? 'unknown'} % at the owner's check` : null);
			lastFlag = state.flagPercent;
			if (what !== null) emitWatch(what, at);
		}
	};

	if (options.json) {
		writeEvent(io.events, startEvent(plan, startedAt, {command: options.command, auto: false, journal: null}, {watching: watchingJson(holder)}));
	}
	say(`${header()} (${options.why}). This run never writes the flag; it follows ${holder.journal}`);
	emitWatch(`watching: ${options.why}`, startedAt);

	let quit: (() => void) | null = null;
	const quitting = new Promise<void>((resolve) => {
		quit = resolve;
	});
	const screen: WatchConsole | null = options.json
		? null
		: startWatchConsole({
				stdin: options.stdin ?? process.stdin,
				stdout: io.stdout as NodeJS.WriteStream,
				owner: owner(),
				onQuit: () => quit?.(),
			});
	const view = (ended: string | null): WatchView => ({header: header(), status: statusLines(plan, state), log, ended});
	let signalled: NodeJS.Signals | null = null;
	const onSignal = (signal: NodeJS.Signals) => {
		signalled = signal;
		quit?.();
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);

	let result: LaunchResult | null = null;
	let readError: string | null = null;
	const pollMs = options.pollMs ?? 250;
	const ownerCheckMs = options.ownerCheckMs ?? 1000;
	let lastOwnerCheck = 0;
	let stopped = false;
	void quitting.then(() => {
		stopped = true;
	});
	const readOwnerJournal = async () => {
		try {
			take(await follower.poll());
			readError = null;
		} catch (error) {
			const text = error instanceof Error ? error.message : String(error);
			if (readError !== text) say(`cannot read the owner's journal ${follower.file}: ${text}`);
			readError = text;
		}
	};
	/** The owner is no longer there: what its journal says is final. */
	const ownerGone = async (why: string): Promise<LaunchResult> => {
		await readOwnerJournal();
		if (state.end) return endedByOwner();
		return {
			outcome: 'inconclusive',
			exitCode: 3,
			reason: `${owner()} ${why} without a result: its launch is unfinished. Run golive run --plan … to take the flag over (it resumes paused, never promoting by itself).`,
			at: now(),
		};
	};
	const endedByOwner = (): LaunchResult => {
		const end = state.end!;
		const exitCode = ([0, 1, 3, 4] as const).find((c) => c === end.exitCode) ?? 3;
		return {outcome: end.outcome, exitCode, reason: `${owner()}: ${end.reason}`, at: now()};
	};

	try {
		while (!stopped && result === null) {
			await readOwnerJournal();
			if (state.end) {
				result = endedByOwner();
				break;
			}
			if (now() - lastOwnerCheck >= ownerCheckMs) {
				lastOwnerCheck = now();
				const judged = await judgeFlagLock(options.lockPath, {}).catch(() => null);
				const decision = judged?.decision ?? null;
				if (decision === null) result = await ownerGone('released the flag lock');
				else if (decision.kind === 'refuse') result = await ownerGone(`left the flag lock unreadable (${decision.why})`);
				else if (decision.holder.pid !== holder.pid || decision.holder.since !== holder.since || decision.holder.host !== holder.host) {
					if (decision.kind === 'take_over') result = await ownerGone(`is gone (${decision.why})`);
					else {
						// Someone else owns the flag now (a takeover): follow them.
						holder = decision.holder;
						if (follower.file !== holder.journal) follower = followJournal(holder.journal);
						emitWatch(`the flag lock is now held by ${owner()}: following ${holder.journal}`, now());
					}
				} else if (decision.kind === 'take_over') result = await ownerGone(`is gone (${decision.why})`);
			}
			screen?.update(view(null));
			if (result === null) await Promise.race([new Promise((resolve) => setTimeout(resolve, pollMs)), quitting]);
		}
		result ??= {
			outcome: 'interrupted',
			exitCode: 130,
			reason: `stopped watching${signalled ? ` (${signalled})` : ''}; ${owner()} goes on`,
			at: now(),
		};
		if (screen) {
			if (!stopped) {
				// The owner's launch ended: the screen says how and waits for q.
				screen.update(view(`OWNER'S LAUNCH ENDED: ${result.outcome.replace('_', ' ')} (exit ${result.exitCode}) — ${result.reason}`));
				await quitting;
			}
			screen.close();
		}
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
	await options.cleanup?.();
	const mitigation = state.end?.mitigation ?? null;
	const final: StreamEvent = {
		...resultEvent(result, {startedAt, mitigationSeconds: null, journal: null, report: null, ...(mitigation ? {mitigation} : {})}),
		watching: watchingJson(holder),
	};
	if (options.json) writeEvent(io.events, final);
	say(`watched: ${result.outcome.replace('_', ' ')} — ${result.reason}`);
	return result.exitCode;
}
