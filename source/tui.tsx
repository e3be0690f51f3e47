/**
 * Mounts the console full-screen and gives the terminal back afterwards, on
 * every path out: quit, SIGTERM/SIGHUP/SIGINT, a render error, an uncaught
 * exception, `process.exit()`. A terminal left in the alternate screen with
 * the cursor hidden is the first thing an operator sees after a crash.
 */
import React from 'react';
import {render} from 'ink';
import type {EngineHandle} from './core/operator-commands.js';
import {App} from './app.js';
import type {LaunchEnd} from './core/console-view.js';
import {runPlainConsole} from './plain-console.js';
import {ignoreStreamErrors} from './stream-errors.js';

export const enterAltScreen = '\u001b[?1049h\u001b[H\u001b[?25l';
export const leaveAltScreen = '\u001b[?25h\u001b[?1049l';

export type TuiOptions = {
	/** @default process.stdout */
	stdout?: NodeJS.WriteStream;
	/** @default process.stdin */
	stdin?: NodeJS.ReadStream;
	/** Also passed to `App`. @default 100 */
	frameIntervalMs?: number;
	/**
	 * Install SIGTERM/SIGHUP/SIGINT handlers that restore the terminal and
	 * resolve. Off only in tests that must not touch the process's signals.
	 * @default true
	 */
	handleSignals?: boolean;
	/**
	 * Let Ink draw `console.*` output above the frame instead of through it.
	 * @default true
	 */
	patchConsole?: boolean;
	/**
	 * Closes the console from outside (e.g. when the launch ends by itself):
	 * unmounts, restores the terminal and resolves with `'closed'`.
	 * @default none: only the operator or a signal ends it
	 */
	signal?: AbortSignal;
	/** Resolves when the launch has ended and its report is written (see `AppProps.ended`). */
	ended?: Promise<LaunchEnd>;
	/**
	 * Environment deciding the terminal's abilities: `TERM=dumb` gets plain
	 * status lines instead of the full screen (no cursor addressing, no box drawing).
	 * @default process.env
	 */
	env?: Record<string, string | undefined>;
};

/** Why the console ended: the operator quit, a signal asked it to, or the caller closed it (the caller picks the exit code). */
export type TuiExit = 'quit' | 'closed' | 'SIGTERM' | 'SIGHUP' | 'SIGINT';

const signals = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;

/** A stream failing with the terminal gone is a hangup: `onGone` ends the console the way SIGHUP does. */
function onTerminalGone(stream: NodeJS.EventEmitter, onGone: () => void): () => void {
	ignoreStreamErrors(stream);
	stream.on('error', onGone);
	return () => stream.off('error', onGone);
}

/** Runs the console until the operator quits or a signal arrives; the terminal is restored before it resolves. */
export async function runTui(engine: EngineHandle, options: TuiOptions = {}): Promise<TuiExit> {
	const stdout = options.stdout ?? process.stdout;
	const stdin = options.stdin ?? process.stdin;
	const handleSignals = options.handleSignals ?? true;
	const env = options.env ?? process.env;
	if (env['TERM'] === 'dumb') return runPlainConsole(engine, {stdout, stdin, handleSignals, signal: options.signal, ended: options.ended});
	let restored = false;
	// Synchronous on purpose: it also runs from 'exit', where nothing async happens any more.
	const restore = () => {
		if (restored) return;
		restored = true;
		stdout.write(leaveAltScreen);
	};

	let hangUp = (): void => undefined;
	const unguard = [onTerminalGone(stdout, () => hangUp()), onTerminalGone(stdin, () => hangUp()), onTerminalGone(process.stderr, () => hangUp())];
	stdout.write(enterAltScreen);
	process.on('exit', restore);
	// Runs before Node prints the error, so the stack trace lands on the normal screen, readable.
	process.on('uncaughtExceptionMonitor', restore);

	return new Promise<TuiExit>((resolve, reject) => {
		let done = false;
		const handlers = new Map<NodeJS.Signals, () => void>();
		const onAbort = () => finish({exit: 'closed'});
		const finish = (outcome: {exit: TuiExit} | {error: unknown}) => {
			if (done) return;
			done = true;
			for (const stop of unguard) stop();
			for (const [signal, handler] of handlers) process.off(signal, handler);
			options.signal?.removeEventListener('abort', onAbort);
			try {
				instance.unmount();
			} catch {
				// Already unmounted by a render error; restoring the terminal is what matters.
			}
			restore();
			process.off('exit', restore);
			process.off('uncaughtExceptionMonitor', restore);
			if ('error' in outcome) reject(outcome.error);
			else resolve(outcome.exit);
		};
		hangUp = () => finish({exit: 'SIGHUP'});
		let lastRenderMs = 0;
		const renderCostMs = () => lastRenderMs;
		const instance = render(
			<App engine={engine} onQuit={() => finish({exit: 'quit'})} frameIntervalMs={options.frameIntervalMs} renderCostMs={renderCostMs} ended={options.ended} />,
			{
				onRender: ({renderTime}) => {
					lastRenderMs = renderTime;
				},
				stdout,
				stdin,
				exitOnCtrlC: false,
				// Ctrl-C is a key (quit, confirmed while a canary is live), so Ink must not exit on it.
				maxFps: 15,
				patchConsole: options.patchConsole ?? true,
			},
		);
		instance.waitUntilExit().then(
			() => finish({exit: 'quit'}),
			(error: unknown) => finish({error}),
		);
		if (options.signal?.aborted) onAbort();
		else options.signal?.addEventListener('abort', onAbort, {once: true});
		if (handleSignals) {
			for (const signal of signals) {
				const handler = () => finish({exit: signal});
				handlers.set(signal, handler);
				process.on(signal, handler);
			}
		}
	});
}
