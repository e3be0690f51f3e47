/**
 * `--events FILE`: the `--json` stream written to a file while the console
 * runs, so CI-style tooling can follow a launch an operator drives by hand.
 * The same events as headless: a `start` line, every engine event, the `result`.
 */
import {createWriteStream, type WriteStream} from 'node:fs';
import {Writable} from 'node:stream';
import type {LaunchEngine} from './engine/launch-engine.js';
import {attachHeadless, writeEvent} from './headless.js';
import type {StreamEvent} from './core/stream-event-types.js';

export type EventFile = {
	write(event: StreamEvent): void;
	/** Stops following the engine and closes the file (flushed). */
	close(): Promise<void>;
};

const discard = new Writable({write: (_chunk, _encoding, done) => done()});

/** Opens (truncates) `file`; a file that cannot be opened throws with the OS reason before anything starts. */
export async function openEventFile(file: string): Promise<{stream: WriteStream; follow(engine: LaunchEngine, now: () => number): EventFile}> {
	const stream = createWriteStream(file, {flags: 'w'});
	await new Promise<void>((resolve, reject) => {
		stream.once('open', () => resolve());
		stream.once('error', reject);
	});
	// A write error later (disk full) must not take the launch down: the file just stops growing.
	stream.on('error', () => undefined);
	return {
		stream,
		follow(engine, now) {
			const detach = attachHeadless(engine, {stdout: stream, stderr: discard, now, logToStderr: false});
			return {
				write: (event) => writeEvent(stream, event),
				close: async () => {
					detach();
					await new Promise<void>((resolve) => stream.end(resolve));
				},
			};
		},
	};
}
