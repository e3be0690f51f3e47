/**
 * Headless mode: the engine's events as NDJSON on stdout, one object per line,
 * human logs on stderr. Never imports Ink (a lint rule keeps it so).
 */
import type {EngineEvent, LaunchEngine} from './engine/launch-engine.js';
import {toStreamEvents, type StreamEvent} from './engine/stream-events.js';

export type HeadlessOptions = {
	stdout: NodeJS.WritableStream;
	stderr: NodeJS.WritableStream;
	now: () => number;
	/** Echo log lines to stderr. @default true */
	logToStderr?: boolean;
};

/** Writes one event as one line. */
export function writeEvent(stdout: NodeJS.WritableStream, event: StreamEvent): void {
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
			stderr.write(`[golive ${new Date(entry.at).toISOString().slice(11, 19)}] ${entry.level.toUpperCase()} ${entry.text}\n`);
			if (entry.message) stderr.write(`  › ${entry.message}\n`);
		}
	});
}
