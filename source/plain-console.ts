/**
 * The console for a terminal without cursor addressing (`TERM=dumb`: Emacs
 * shell buffers, some CI log viewers): no full screen, no box drawing, no
 * colour — one plain status line whenever the state changes, every new event
 * log line, and the end. `q` + Enter quits (`q!` while a canary is live).
 */
import type {EngineHandle} from './core/operator-commands.js';
import type {Snapshot} from './core/snapshot.js';
import type {LaunchEnd} from './core/console-view.js';
import {isLive} from './live-keys.js';
import {flagText, modeText, rollbackText, stageText} from '../widgets/launch-state-text.js';
import {whyDecision} from '../widgets/dashboard.js';
import type {TuiExit} from './tui.js';
import {formatWallClock} from './core/format.js';

export type PlainConsoleOptions = {
	stdout: NodeJS.WritableStream;
	stdin: NodeJS.ReadableStream;
	handleSignals: boolean;
	signal?: AbortSignal | undefined;
	ended?: Promise<LaunchEnd> | undefined;
};

/** The state in one line, without the clock (so it changes only when something does). */
export function plainStatus(snapshot: Snapshot): string {
	const {stage, next} = stageText(snapshot);
	const rollback = rollbackText(snapshot);
	const slos = snapshot.slos.map((s) => `${s.label} ${s.status}`).join(', ');
	const why = whyDecision(snapshot);
	return [
		`${snapshot.service}: ${rollback?.text ?? stage}${next ? ` (${next})` : ''}`,
		modeText(snapshot).text.replace(/^\S+ /, ''),
		`flag ${flagText(snapshot)}`,
		slos,
		why ? `Why (${why.kind.toUpperCase()}): ${why.reason}` : 'Why: no decision yet',
	].join(' | ');
}

const clock = formatWallClock;

export function runPlainConsole(engine: EngineHandle, options: PlainConsoleOptions): Promise<TuiExit> {
	const {stdout, stdin} = options;
	let lastStatus = '';
	let seen = new Set<string>();
	const show = (snapshot: Snapshot) => {
		const keys = new Set<string>();
		for (const entry of snapshot.log) {
			const key = `${entry.at}|${entry.text}`;
			keys.add(key);
			if (seen.has(key)) continue;
			stdout.write(`${clock(entry.at)} ${entry.level.toUpperCase()} ${entry.text}\n`);
			if (entry.message) stdout.write(`  paste: ${entry.message}\n`);
		}
		seen = keys;
		const status = plainStatus(snapshot);
		if (status !== lastStatus) stdout.write(`${clock(snapshot.at)} STATUS ${status}\n`);
		lastStatus = status;
	};
	show(engine.getSnapshot());
	const unsubscribe = engine.subscribe(show);
	return new Promise<TuiExit>((resolve) => {
		let done = false;
		const handlers = new Map<NodeJS.Signals, () => void>();
		const finish = (exit: TuiExit) => {
			if (done) return;
			done = true;
			unsubscribe();
			stdin.off('data', onData);
			stdin.pause?.();
			for (const [signal, handler] of handlers) process.off(signal, handler);
			options.signal?.removeEventListener('abort', onAbort);
			resolve(exit);
		};
		const onAbort = () => finish('closed');
		let buffer = '';
		const onData = (chunk: Buffer | string) => {
			buffer += chunk.toString();
			let nl = buffer.indexOf('\n');
			while (nl >= 0) {
				const line = buffer.slice(0, nl).trim();
				buffer = buffer.slice(nl + 1);
				if (line === 'q!' || (line === 'q' && !isLive(engine.getSnapshot()))) finish('quit');
				else if (line === 'q') stdout.write('the canary is live: nothing watches it once golive exits — type q! to quit anyway\n');
				else if (line !== '') stdout.write(`${line}: this plain console only shows the launch (TERM=dumb); q quits — use a full terminal for keys\n`);
				nl = buffer.indexOf('\n');
			}
		};
		stdin.on('data', onData);
		stdin.resume?.();
		options.ended?.then(
			(end) =>
				stdout.write(
					`LAUNCH ENDED: ${end.outcome} (exit ${end.exitCode}) — ${end.reason}\nreport: ${end.reportFile ?? '(not written)'}\njournal: ${end.journalFile ?? '(none)'}\nq + Enter to exit\n`,
				),
			() => undefined,
		);
		if (options.signal?.aborted) onAbort();
		else options.signal?.addEventListener('abort', onAbort, {once: true});
		if (options.handleSignals) {
			for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
				const handler = () => finish(signal);
				handlers.set(signal, handler);
				process.on(signal, handler);
			}
		}
	});
}
