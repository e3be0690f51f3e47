/**
 * `golive … --json | head -1`: the reader goes away after one line. golive
 * drops further events with one note on stderr and runs the launch to its end:
 * a journaled result, the flag rolled back, no stack trace.
 */
import {spawn} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {expect, it} from 'vitest';
import {assertBuilt, cliPath, root} from './helpers/spawn-cli.js';

it('a closed stdout never abandons the launch: it ends with a journaled result', {timeout: 120_000}, async () => {
	assertBuilt();
	const journalDir = mkdtempSync(path.join(tmpdir(), 'golive-epipe-'));
	const child = spawn(process.execPath, [cliPath, 'demo', '--scenario', 'regression', '--json', '--journal-dir', journalDir], {
		cwd: root,
		env: {...process.env, NO_COLOR: '1'},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	let first = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		first += chunk;
		// What `head -1` does: read one line, close the pipe.
		if (first.includes('\n')) child.stdout.destroy();
	});
	const killer = setTimeout(() => child.kill('SIGKILL'), 100_000);
	const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
	clearTimeout(killer);

	expect(JSON.parse(first.split('\n')[0]!)).toMatchObject({type: 'start'});
	expect(stderr).not.toMatch(/^\s+at /m);
	expect(stderr).not.toMatch(/Unhandled|uncaught/i);
	expect(stderr.match(/stdout closed \(EPIPE\)/g)).toHaveLength(1);
	// The regression launch ran to its end: rolled back, exit 1, and the journal says so.
	expect(code).toBe(1);
	const journal = readdirSync(journalDir).find((f) => f.endsWith('.jsonl'))!;
	const records = readFileSync(path.join(journalDir, journal), 'utf8')
		.trim()
		.split('\n')
		.map((l) => JSON.parse(l) as {type: string; outcome?: string; targetPercent?: number; readBackPercent?: number});
	expect(records.at(-1)).toMatchObject({type: 'launch_end', outcome: 'rolled_back'});
	expect(records.some((r) => r.type === 'outcome' && r.readBackPercent === 0)).toBe(true);
});
