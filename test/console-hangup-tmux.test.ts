/**
 * The terminal goes away under a running console (ssh dropped, tmux killed): seen in
 * tmux, golive crashed on the dead terminal's EIO ('Unhandled error event', from Ink's
 * unmount) and, once that was handled, SIGHUP's default action killed it halfway through
 * its cleanup. Either way the launch ended with no record, no report and its flag lock
 * left behind. Here `golive demo` runs in a tmux pane, the tmux server is killed, and the
 * journal, the report and the lock directory are read afterwards. Needs the build and tmux.
 */
import {mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {cli, tmuxPane, tmuxReady} from './helpers/tmux.js';

const session = 'hangup';
const {start, waitFor, close} = tmuxPane('hangup', session);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterAll(() => close());

/** Polls `check` (bounded): the pane is gone, so the files are what can be watched. */
async function until(check: () => boolean, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check() && Date.now() < deadline) await sleep(250);
}

type Entry = {type: string; text?: string};

function journalOf(dir: string): {records: Entry[]} | null {
	const name = readdirSync(dir).find((n) => n.endsWith('.jsonl'));
	if (!name) return null;
	const file = path.join(dir, name);
	const records = readFileSync(file, 'utf8')
		.split('\n')
		.filter((l) => l.trim() !== '')
		.map((l) => JSON.parse(l) as Entry);
	return {records};
}

describe.skipIf(!tmuxReady)('the terminal goes away under the console (tmux killed)', () => {
	test.each([
		['while it starts (pre-launch, infra checks running)', (t: string) => t.includes('StatusBoardV2'), 'the first frame'],
		['mid-canary', (t: string) => /stage 10 %/.test(t), 'the canary at 10 %'],
	] as const)(
		'%s: the launch ends journaled as interrupted by SIGHUP, its report written and its flag lock released',
		{timeout: 60_000},
		async (_when, ready, what) => {
			const dir = mkdtempSync(path.join(tmpdir(), 'golive-hangup-'));
			start(120, 40, `exec node ${cli} demo --journal-dir ${dir}`);
			await waitFor(ready, what, 30_000);
			const lockDir = path.join(dir, 'locks');
			expect(readdirSync(lockDir)).toHaveLength(1);

			close();

			const report = () => readdirSync(dir).some((n) => n.endsWith('.report.md'));
			const released = () => readdirSync(lockDir).length === 0;
			await until(() => report() && released(), 20_000);
			expect(journalOf(dir)?.records.at(-1)).toMatchObject({type: 'note', text: 'console stopped: interrupted by SIGHUP'});
			expect(report()).toBe(true);
			expect(readdirSync(lockDir)).toEqual([]);
		},
	);
});
