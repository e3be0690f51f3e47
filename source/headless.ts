/**
 * Headless mode: the engine's events as NDJSON on stdout, one object per line,
 * human logs on stderr. Never imports Ink (a lint rule keeps it so).
 */
import type {EngineEvent, LaunchEngine} from './engine/launch-engine.js';
import type {StreamEvent} from './core/stream-event-types.js';
import {toStreamEvents} from './engine/stream-events.js';
import {formatWallClock} from './core/format.js';

/** Where NDJSON lines go: stdout, or stdout behind `guardStdout`. */
export type LineSink = {write(text: string): unknown};

export type HeadlessOptions = {
	stdout: LineSink;
	stderr: NodeJS.WritableStream;
	now: () => number;
	/** Echo log lines to stderr. @default true */
	logToStderr?: boolean;
};

/**
 * stdout that may close under us (`golive run --json … | head -1`): the first
 * EPIPE (or any write error) drops every further event with one note on stderr,
 * instead of an unhandled 'error' that would abandon the launch mid-canary. The
 * journal keeps everything; the launch runs to its end.
 */
export function guardStdout(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): LineSink {
	let closed = false;
	const onError = (error: unknown): void => {
		if (closed) return;
		closed = true;
		const code = (error as NodeJS.ErrnoException | null)?.code ?? 'write error';
		stderr.write(`golive: stdout closed (${code}): further events are dropped; the launch runs to its end and the journal keeps every record\n`);
	};
	stdout.on('error', onError);
	return {
		write(text: string): boolean {
			if (closed) return true;
			try {
				return stdout.write(text);
			} catch (error) {
				onError(error);
				return true;
			}
		},
	};
}

/** Writes one event as one line. */
export function writeEvent(stdout: LineSink, event: StreamEvent): void {
	stdout.write(`${JSON.stringify(event)}\n`);
}

/** Streams the engine's events until the run ends; returns a detach function. */
export function attachHeadless(engine: LaunchEngine, options: HeadlessOptions): () => void {
	const {stdout, stderr, now} = options;
	const logToStderr = options.logToStderr ?? true;
	return engine.onEvent((event: EngineEvent) => {
		for (const line of toStreamEvents(event, now())) writeEvent(stdout, line);
		if (logToStderr && event.kind === 'log') {
			const {entry} = event;
			stderr.write(`[golive ${formatWallClock(entry.at)}] ${entry.level.toUpperCase()} ${entry.text}\n`);
			if (entry.message) stderr.write(`  › ${entry.message}\n`);
		}
	});
}
