/** TERM=dumb gets plain status lines (no cursor movement, no box drawing, no colour); --events writes the stream to a file. */
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {describe, expect, test} from 'vitest';
import {runTui} from '../source/tui.js';
import {plainStatus} from '../source/plain-console.js';
import {openEventFile} from '../source/event-file.js';
import type {EngineHandle} from '../source/core/operator-commands.js';
import type {LaunchEngine} from '../source/engine/launch-engine.js';
import type {Snapshot} from '../source/core/snapshot.js';
import * as fx from './helpers/snapshot-fixtures.js';

function engineOf(snapshot: Snapshot): EngineHandle & {push(s: Snapshot): void} {
	const listeners = new Set<(s: Snapshot) => void>();
	let current = snapshot;
	return {
		subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
		getSnapshot: () => current,
		send: () => undefined,
		push(s) {
			current = s;
			for (const l of listeners) l(s);
		},
	};
}

describe('TERM=dumb', () => {
	test('plain lines: the log, one status line per change, the end; q quits; no escape sequence or box drawing', async () => {
		const stdout = new PassThrough();
		let out = '';
		stdout.on('data', (c: Buffer) => (out += c.toString()));
		const stdin = new PassThrough();
		const engine = engineOf(fx.succeeded());
		const end = {outcome: 'success' as const, exitCode: 0, reason: 'Gate G passed', reportFile: '/tmp/r.report.md', journalFile: '/tmp/r.jsonl'};
		const done = runTui(engine, {
			stdout: stdout as unknown as NodeJS.WriteStream,
			stdin: stdin as unknown as NodeJS.ReadStream,
			handleSignals: false,
			env: {TERM: 'dumb'},
			ended: Promise.resolve(end),
		});
		engine.push({...fx.succeeded(), at: fx.succeeded().at + 1000});
		await new Promise((resolve) => setTimeout(resolve, 20));
		stdin.write('q\n');
		expect(await done).toBe('quit');
		expect(out).toContain(`STATUS ${plainStatus(fx.succeeded())}`);
		expect(out.match(/STATUS /g)).toHaveLength(1);
		expect(out).toContain('LAUNCH ENDED: success (exit 0) — Gate G passed\nreport: /tmp/r.report.md');
		// eslint-disable-next-line no-control-regex
		expect(out).not.toMatch(/\u001b|[╭╮╰╯│─┌┐└┘]/);
	});
	test('q alone does not leave a live canary unwatched; q! does', async () => {
		const stdout = new PassThrough();
		let out = '';
		stdout.on('data', (c: Buffer) => (out += c.toString()));
		const stdin = new PassThrough();
		const done = runTui(engineOf(fx.stage30Green()), {
			stdout: stdout as unknown as NodeJS.WriteStream,
			stdin: stdin as unknown as NodeJS.ReadStream,
			handleSignals: false,
			env: {TERM: 'dumb'},
		});
		stdin.write('q\n');
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(out).toContain('the canary is live');
		stdin.write('q!\n');
		expect(await done).toBe('quit');
	});
});

describe('--events FILE', () => {
	test('the engine events and the lines written go to the file as NDJSON', async () => {
		const dir = await mkdtemp(path.join(os.tmpdir(), 'golive-events-'));
		try {
			const file = path.join(dir, 'events.ndjson');
			let emit: ((e: unknown) => void) | null = null;
			const engine = {onEvent: (l: (e: unknown) => void) => ((emit = l), () => (emit = null))} as unknown as LaunchEngine;
			const events = (await openEventFile(file)).follow(engine, () => Date.parse('2026-12-01T12:00:00Z'));
			events.write({type: 'start', ts: '2026-12-01T12:00:00.000Z'} as never);
			emit!({kind: 'log', entry: {at: Date.parse('2026-12-01T12:00:01Z'), level: 'info', text: 'hello'}});
			events.write({type: 'result', ts: '2026-12-01T12:00:02.000Z', outcome: 'success'} as never);
			await events.close();
			const lines = (await readFile(file, 'utf8'))
				.trim()
				.split('\n')
				.map((l) => JSON.parse(l) as {type: string});
			expect(lines.map((l) => l.type)).toEqual(['start', 'log', 'result']);
			expect(emit).toBeNull();
		} finally {
			await rm(dir, {recursive: true, force: true});
		}
	});
	test('a file that cannot be opened fails before anything starts, with the OS reason', async () => {
		await expect(openEventFile('/nonexistent-dir/x/events.ndjson')).rejects.toThrow(/ENOENT/);
	});
});
