/**
 * Runs one launch, on the screen or headless: takes the flag's lock (or, when
 * another process owns the flag, watches its journal read-only: watch-runner.ts),
 * opens the journal, replays an unfinished launch
 * without acting on it, starts the engine, and at the end writes the report.
 */
import {mkdir, readdir, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {UsageError, type CommandIo} from './cli-args.js';
import type {SignOff} from './core/decision-types.js';
import type {Plan} from './core/plan-types.js';
import {createRedactor, secretsFromPlan} from './core/redact.js';
import {mitigationSummary} from './core/mitigation-verdict.js';
import {guardsResumedStage} from './core/resume-guard.js';
import {closingOutcome} from './core/launch-outcome.js';
import {createLaunchEngine, type LaunchResult} from './engine/launch-engine.js';
import type {JournalPort} from './engine/ports.js';
import {resultEvent, startEvent} from './engine/stream-events.js';
import {cloudWatchPort, flagPort, infraPort, journalPort, probePort, stepPort} from './engine/wire.js';
import {fleetPort} from './engine/fleet-port.js';
import {attachHeadless, guardStdout, writeEvent} from './headless.js';
import {openJournal, readJournal} from './journal/journal.js';
import {journalDirFor, journalFileName, newLaunchId, planHash} from './journal/location.js';
import {acquireFlagLock, flagLockPath, journalTakeover, type FlagLock} from './journal/flag-lock.js';
import {pendingSignOffsFile, takeSignOffs} from './journal/pending-sign-offs.js';
import type {OutcomeRecord} from './journal/records.js';
import {replayJournal, resolvePendingIntent, resumeNotice} from './journal/resume.js';
import {loadConsole} from './console-loader.js';
import type {openEventFile} from './event-file.js';
import type {LaunchEnd} from './core/console-view.js';
import {startNotifications} from './notify/start.js';
import {ignoreStreamErrors} from './stream-errors.js';

export type LaunchRunOptions = {
	plan: Plan;
	command: 'demo' | 'run';
	scenario?: string;
	/** NDJSON on stdout instead of the screen. */
	json: boolean;
	auto: boolean;
	signOffs: Array<Omit<SignOff, 'at'>>;
	io: CommandIo;
	/** Headless: give up waiting for gates A and B after this long (exit 3). */
	preLaunchTimeoutMs: number | null;
	/** Stopped after the engine (the demo's servers). */
	cleanup?: () => Promise<void>;
	/** First lines of the event log. */
	initialLog?: string[];
	/** This launch's journal: resumed when the file exists, else a new launch is journaled there. @default the newest unfinished journal in journalDir, else a new one */
	journalFile?: string;
	/** Headless: end at Gate G or after the post-launch watch. @default 'gate-g' */
	until?: 'gate-g' | 'watch-end';
	/** Console mode: also write the `--json` stream to this file. */
	eventsFile?: string;
};

/** The newest journal of this service with no `launch_end` that acted on the flag: a launch someone left running. */
async function findUnfinished(dir: string, service: string): Promise<string | null> {
	// `<service>-<launchId>.jsonl`: the part before the launch id.
	const prefix = journalFileName(service, 'x').slice(0, -'x.jsonl'.length);
	let names: string[];
	try {
		names = (await readdir(dir)).filter((n) => n.startsWith(prefix) && n.endsWith('.jsonl')).sort();
	} catch {
		return null;
	}
	for (const name of names.reverse()) {
		const file = path.join(dir, name);
		const replay = replayJournal((await readJournal(file)).records);
		// A launch that never touched the flag has nothing to resume; a fresh one starts.
		if (replay.unfinished && (replay.lastConfirmedPercent !== null || replay.pendingIntent !== null)) return file;
	}
	return null;
}

export async function runLaunch(options: LaunchRunOptions): Promise<number> {
	const {plan} = options;
	// Whatever happens to the terminal, the launch runs to a journaled end: a dead stderr only loses lines.
	ignoreStreamErrors(options.io.stderr);
	// Headless, a closed stdout (`| head -1`) must not end the launch: events are dropped, the run goes on.
	const io = options.json ? {...options.io, events: guardStdout(options.io.stdout, options.io.stderr)} : {...options.io, events: options.io.stdout};
	// Opened first: a path that cannot be written is a usage error before any lock, journal or flag read.
	const eventSink = options.eventsFile && !options.json ? await openEventFileOrSay(options.eventsFile, options.command) : null;
	const consoleModule = options.json ? null : loadConsole();
	const now = (): number => Date.now();
	const dir = journalDirFor(plan);
	// `--journal FILE`: resumed when it exists; a path with no file yet journals a new launch there.
	const given = options.journalFile;
	const unfinished = given !== undefined ? ((await stat(given).catch(() => null)) ? given : null) : await findUnfinished(dir, plan.service);
	const file = given ?? unfinished ?? path.join(dir, journalFileName(plan.service, newLaunchId(now())));
	let lock: FlagLock;
	try {
		await mkdir(dir, {recursive: true});
		// One writer per flag, whatever the journal: taken before the first flag read.
		lock = await acquireFlagLock(flagLockPath(dir, plan), {journal: file});
	} catch (error) {
		// Nothing has been touched yet: say where and why in one line, and stop (journal before acting).
		io.stderr.write(`golive: cannot write the journal in ${path.dirname(file)}: ${fsReason(error)}\n`);
		await options.cleanup?.();
		return 2;
	}
	if (lock.kind === 'refused') {
		io.stderr.write(`golive: the flag lock ${lock.path} cannot be judged: ${lock.why}; if no golive runs on this flag, remove it\n`);
		await options.cleanup?.();
		return 2;
	}
	if (lock.kind === 'watcher') {
		const {watchLaunch} = await import('./watch-runner.js');
		return watchLaunch({
			plan,
			command: options.command,
			json: options.json,
			io,
			lockPath: lock.path,
			holder: lock.holder,
			why: lock.why,
			...(options.cleanup ? {cleanup: options.cleanup} : {}),
		});
	}
	// One redactor knows every secret the plan references: nothing it names reaches the journal or the screen.
	const redactor = createRedactor(secretsFromPlan(plan, io.env));
	const wireOptions = {plan, env: io.env, now, redactor};
	const flag = flagPort(wireOptions);

	let notice: string | null = null;
	let resumedPercent: number | null = null;
	let pendingOutcome: OutcomeRecord | null = null;
	if (unfinished) {
		// Replay, read the flag's real state, show it, and wait: a promotion never resumes by itself.
		const replay = replayJournal((await readJournal(unfinished)).records);
		const read = await flag.read();
		const flagNow = read.ok ? {ok: true as const, percent: read.percent} : {ok: false as const, error: read.error};
		resumedPercent = read.ok ? read.percent : null;
		notice = resumeNotice(replay, flagNow, guardsResumedStage(plan, resumedPercent));
		pendingOutcome = replay.pendingIntent ? resolvePendingIntent(replay.pendingIntent, flagNow) : null;
	}
	const journal: JournalPort = journalPort(await openJournal(file, {now, redactor}));
	const takeover = await journalTakeover(lock, journal, (line) => io.stderr.write(`golive: ${line}\n`));
	// The interrupted action's outcome, as the flag shows it now: the journal tells what happened.
	if (pendingOutcome) await journal.append(pendingOutcome);

	if (unfinished && options.json && !guardsResumedStage(plan, resumedPercent)) {
		// Nothing to guard (the flag reads 0, off-plan or cannot be read) and no operator to wait for: say what was found and stop without acting.
		const at = now();
		writeEvent(io.events, startEvent(plan, at, {command: options.command, auto: false, journal: file}));
		writeEvent(io.events, {type: 'log', ts: new Date(at).toISOString(), level: 'warn', text: notice ?? 'unfinished launch'});
		const result: LaunchResult = {outcome: 'inconclusive', exitCode: 3, reason: `${notice} Open the console (golive run --plan …) to decide.`, at};
		writeEvent(io.events, resultEvent(result, {startedAt: at, mitigationSeconds: null, journal: file, report: null}));
		io.stderr.write(`golive: ${result.reason}\n`);
		await journal.close();
		await lock.release();
		await options.cleanup?.();
		return result.exitCode;
	}
	// Sign-offs given with `golive check --sign-off` before the launch; a watcher leaves them for the owner.
	const recorded = await takeSignOffs(pendingSignOffsFile(dir, plan.service), now(), true);
	// Status messages go out without ever waiting on a receiver.
	const notifications = startNotifications({plan, env: io.env, now, journal});
	const engine = createLaunchEngine({
		plan,
		now,
		probes: probePort(wireOptions),
		cloudwatch: cloudWatchPort(wireOptions),
		...(plan.fleet ? {fleet: fleetPort({plan, now, env: io.env})} : {}),
		flag,
		journal,
		infra: infraPort(wireOptions, flag),
		auto: options.auto && notice === null,
		signOffs: [...recorded, ...options.signOffs],
		steps: stepPort(wireOptions),
		until: options.until ?? 'gate-g',
		preLaunchTimeoutMs: options.preLaunchTimeoutMs,
		// The console ends the launch too (success, a confirmed rollback, an abort): it then shows the end and waits for q.
		endWhenDone: true,
		operatorPresent: !options.json,
		resumeNotice: notice,
		launch: {id: path.basename(file, '.jsonl'), planHash: planHash(plan)},
		// Headless, a resumed stage is watched with its triggers armed for at most --gate-timeout; the console waits for its operator.
		...(resumedPercent !== null ? {resumeAtPercent: resumedPercent, resumeWatchMs: options.json ? options.preLaunchTimeoutMs : null} : {}),
		initialLog: [...(options.initialLog ?? []), `Journal: ${file}`, ...takeover],
		...(notifications ? {notifySource: notifications.state} : {}),
	});

	// The owner answers `golive status|promote|rollback|…` on a socket beside its journal.
	notifications?.attach(engine);
	// Loaded beside the first frame, listening before the engine starts (`golive status` answers from the first check).
	const controlReady = import('./control/serve.js').then(({serveLaunchControl}) =>
		serveLaunchControl({engine, plan, journal, journalDir: dir, now, warn: (line) => io.stderr.write(`golive: ${line}\n`)}),
	);
	// Awaited before the engine starts; marked handled so a failure meanwhile is not an unhandled rejection.
	controlReady.catch(() => undefined);

	const startedAt = now();
	const eventFile = eventSink ? eventSink.follow(engine, now) : null;
	if (options.json || eventFile) {
		const first = startEvent(
			plan,
			startedAt,
			{command: options.command, auto: options.auto && notice === null, journal: file},
			options.scenario ? {scenario: options.scenario} : {},
		);
		if (eventFile) eventFile.write(first);
		else {
			writeEvent(io.events, first);
			// A resumed launch says what the restart found before it watches.
			if (unfinished && notice !== null) {
				writeEvent(io.events, {type: 'log', ts: first.ts, level: 'warn', text: notice});
				io.stderr.write(`golive: ${notice}\n`);
			}
			attachHeadless(engine, {stdout: io.events, stderr: io.stderr, now});
		}
	}

	// Ctrl-C / SIGTERM end the run cleanly: a final result, servers closed, no orphans.
	let signalled = false;
	const onSignal = (signal: NodeJS.Signals) => {
		if (signalled) return;
		signalled = true;
		void engine.stop('interrupted', `interrupted by ${signal}`);
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	// A hangup (ssh dropped, the terminal closed) ends the launch the same way, and a second one while it is journaled
	// and its lock released must not kill the process halfway: SIGHUP stays handled until the very end.
	process.on('SIGHUP', onSignal);

	let result: LaunchResult | null = null;
	// A failure here (the engine's start-up throwing) still stops the engine, releases the lock and closes the
	// demo's servers before it is reported: skipped, they kept the process alive with its servers open.
	let failure: {error: unknown} | null = null;
	try {
		if (options.json) {
			await controlReady;
			await engine.start();
			result = await engine.done;
		} else {
			const {runTui} = await consoleModule!;
			const closeConsole = new AbortController();
			// When the launch ends under the console, the report is written then (not at quit) and the console says so, waiting for q.
			const ended = engine.done.then(async (r): Promise<LaunchEnd> => ({
				outcome: r.outcome,
				exitCode: r.exitCode,
				reason: r.reason,
				journalFile: file,
				reportFile: await writeReport(file),
			}));
			// The screen is up first: the flag read and the infra checks (up to their timeouts) show as "starting".
			const consoleClosed = runTui(engine, {signal: closeConsole.signal, ended});
			try {
				await controlReady;
				await engine.start();
			} catch (error) {
				closeConsole.abort();
				await consoleClosed;
				throw error;
			}
			await consoleClosed;
			const closing = closingOutcome(engine.getSnapshot().canary, engine.getSnapshot().flagPercent);
			result = await engine.stop(closing.outcome, closing.reason);
		}
	} catch (error) {
		failure = {error};
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
	// Queued messages get a bounded moment to go out (and be journaled) before the journal closes.
	await notifications?.close();
	await engine.stop().catch(() => undefined);
	// Closed on every path, also when the engine never started: an open socket would keep the process alive.
	await (await controlReady.catch(() => null))?.close();
	await lock.release();
	await options.cleanup?.();
	if (failure !== null || result === null) {
		process.off('SIGHUP', onSignal);
		throw failure?.error ?? new Error('the launch ended without a result');
	}

	const reportFile = await writeReport(file);
	const snapshot = engine.getSnapshot();
	const mitigation = snapshot.mitigation;
	const mitigationSeconds = mitigation?.confirmedAt != null ? (mitigation.confirmedAt - mitigation.triggeredAt) / 1000 : null;
	const final = resultEvent(result, {
		startedAt,
		mitigationSeconds,
		journal: file,
		report: reportFile,
		mitigation: mitigationSummary(mitigation, snapshot.flagPercent),
	});
	if (options.json) {
		writeEvent(io.events, final);
	} else {
		eventFile?.write(final);
		await eventFile?.close();
		// The alternate screen is gone: what to paste and where the report is stay in the terminal's scrollback.
		for (const entry of snapshot.log) if (entry.message) io.stderr.write(`📋 ${entry.message}\n`);
		io.stderr.write(`golive: ${result.outcome.replace('_', ' ')} — ${result.reason}\n`);
		io.stderr.write(`journal: ${file}\nreport:  ${reportFile ?? '(not written)'}\n`);
	}
	process.off('SIGHUP', onSignal);
	return result.exitCode;
}

/** `--events FILE`, opened before anything else happens: a path that cannot be written is a usage error. */
async function openEventFileOrSay(file: string, command: LaunchRunOptions['command']): ReturnType<typeof openEventFile> {
	const events = await import('./event-file.js');
	return events.openEventFile(file).catch((error: unknown) => {
		throw new UsageError(`--events: cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`, command);
	});
}

/** `EACCES (permission denied)`: the OS's code and its words, no stack. */
function fsReason(error: unknown): string {
	const e = error as NodeJS.ErrnoException;
	const words = typeof e?.message === 'string' ? e.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '') : String(error);
	return e?.code ? `${e.code} (${words})` : words;
}

async function writeReport(journalFile: string): Promise<string | null> {
	try {
		const read = await readJournal(journalFile);
		const {buildLaunchReport, renderMarkdown} = await import('./report/launch-report.js');
		const report = buildLaunchReport(read.records, {journalPath: journalFile, torn: read.torn});
		const out = journalFile.replace(/\.jsonl$/, '.report.md');
		await writeFile(out, renderMarkdown(report));
		return out;
	} catch {
		return null;
	}
}
