/** runTui: the alternate screen is entered, and left again on every path out. */
import {describe, expect, test} from 'vitest';
import {enterAltScreen, leaveAltScreen, runTui} from '../source/tui.js';
import type {EngineHandle, OperatorCommand} from '../source/core/operator-commands.js';
import type {Snapshot} from '../source/core/snapshot.js';
import * as fx from './helpers/snapshot-fixtures.js';
import {FakeStdin, FakeStdout} from './helpers/render-at-size.js';

function engineOf(snapshot: Snapshot): EngineHandle & {sent: OperatorCommand[]} {
	const sent: OperatorCommand[] = [];
	return {sent, subscribe: () => () => {}, getSnapshot: () => snapshot, send: (c) => void sent.push(c)};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function start(engine: EngineHandle, handleSignals = false, signal?: AbortSignal) {
	const stdout = new FakeStdout(100, 30);
	const stdin = new FakeStdin();
	const done = runTui(engine, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		handleSignals,
		patchConsole: false,
		signal,
	});
	const text = () => stdout.frames.join('');
	return {stdout, stdin, done, text};
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
	const deadline = Date.now() + ms;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('timed out');
		await sleep(10);
	}
}

/** Runs `fn` with only the listeners runTui adds for `event` (vitest's own are put back afterwards). */
async function isolated(event: string, fn: () => Promise<void>): Promise<void> {
	const saved = process.listeners(event as 'SIGTERM');
	process.removeAllListeners(event);
	try {
		await fn();
	} finally {
		for (const l of saved) process.on(event as 'SIGTERM', l);
	}
}

describe('runTui', () => {
	test('q quits when nothing is live: alt screen entered first, left last, cursor shown', async () => {
		const t = start(engineOf(fx.succeeded()));
		await until(() => t.text().includes('SUCCEEDED'));
		expect(t.stdout.frames[0]).toBe(enterAltScreen);
		t.stdin.write('q');
		await expect(t.done).resolves.toBe('quit');
		expect(t.text().endsWith(leaveAltScreen)).toBe(true);
	});

	test('Ctrl-C while live asks first; a second Ctrl-C quits', async () => {
		const t = start(engineOf(fx.stage30Green()));
		await until(() => t.text().includes('Board p95'));
		t.stdin.write('\u0003');
		await until(() => t.text().includes('Quit golive?'));
		expect(t.text()).not.toContain(leaveAltScreen);
		t.stdin.write('\u0003');
		await expect(t.done).resolves.toBe('quit');
		expect(t.text().endsWith(leaveAltScreen)).toBe(true);
	});

	test('the caller can close it (launch over): restored, resolves "closed"', async () => {
		const ac = new AbortController();
		const t = start(engineOf(fx.stage30Green()), false, ac.signal);
		await until(() => t.text().includes('Board p95'));
		ac.abort();
		await expect(t.done).resolves.toBe('closed');
		expect(t.text().endsWith(leaveAltScreen)).toBe(true);
	});

	test('SIGTERM restores the terminal and resolves', async () => {
		await isolated('SIGTERM', async () => {
			const t = start(engineOf(fx.stage30Green()), true);
			await until(() => t.text().includes('Board p95'));
			process.emit('SIGTERM', 'SIGTERM');
			await expect(t.done).resolves.toBe('SIGTERM');
			expect(t.text().endsWith(leaveAltScreen)).toBe(true);
			expect(process.listenerCount('SIGTERM')).toBe(0);
		});
	});

	test('an uncaught exception restores the terminal before Node prints it', async () => {
		await isolated('uncaughtExceptionMonitor', async () => {
			const t = start(engineOf(fx.stage30Green()));
			await until(() => t.text().includes('Board p95'));
			(process.emit as (event: string, ...args: unknown[]) => boolean)('uncaughtExceptionMonitor', new Error('boom'), 'uncaughtException');
			expect(t.text().endsWith(leaveAltScreen)).toBe(true);
			t.stdin.write('q');
			t.stdin.write('y');
			await t.done;
			// Restored once, not twice.
			expect(t.text().split(leaveAltScreen)).toHaveLength(2);
		});
	});

	test('a render error rejects and still restores the terminal', async () => {
		const broken: EngineHandle = {
			subscribe: () => () => {},
			getSnapshot: () => {
				throw new Error('engine exploded');
			},
			send: () => {},
		};
		const t = start(broken);
		await expect(t.done).rejects.toThrow('engine exploded');
		expect(t.text().endsWith(leaveAltScreen)).toBe(true);
	});
});
