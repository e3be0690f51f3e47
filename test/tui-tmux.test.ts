/**
 * The real program in a real terminal: `golive demo` in tmux, driven with
 * send-keys and read with capture-pane, as the operator would. Promote with
 * `p` + confirm, check the flag on the simulated service, roll back with `r`
 * + a reason, see the rollback confirmed, quit, and find the terminal restored.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {afterAll, describe, expect, it} from 'vitest';
import {assertBuilt, cliPath, root} from './helpers/spawn-cli.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux && process.env.CI) throw new Error('tmux is required in CI (.ci/run installs it)');

const session = `golive-test-${process.pid}`;

function tmux(...args: string[]): string {
	return execFileSync('tmux', args, {encoding: 'utf8'});
}

function screen(): string {
	return tmux('capture-pane', '-p', '-t', session);
}

async function waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	while (Date.now() < deadline) {
		last = screen();
		const match = last.match(pattern);
		if (match) return match;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`screen never showed ${pattern} within ${timeoutMs} ms; last screen:\n${last}`);
}

async function flagPercent(serviceUrl: string): Promise<number> {
	const response = await fetch(`${serviceUrl}/api/admin/feature-flags`);
	const body = (await response.json()) as {flags: {STATUS_BOARD_V2_ENABLED: {rolloutPercent: number}}};
	return body.flags.STATUS_BOARD_V2_ENABLED.rolloutPercent;
}

afterAll(() => {
	if (hasTmux) spawnSync('tmux', ['kill-session', '-t', session]);
});

describe.skipIf(!hasTmux)('the console in tmux', () => {
	it('promotes with p + confirm and rolls back with r + reason, on the real service', async () => {
		assertBuilt();
		// `; sleep` keeps the pane after the program exits, so the restored terminal can be read.
		tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '48', '-c', root, `NO_COLOR=1 ${process.execPath} ${cliPath} demo --manual; echo "golive exited $?"; sleep 60`);

		// The tiles fill with measured numbers.
		const url = (await waitFor(/simulated service (http:\/\/127\.0\.0\.1:\d+)/, 20_000))[1]!;
		await waitFor(/\d+ ms (need )?< 800 ms/, 30_000);
		expect(await flagPercent(url)).toBe(0);
		// Promote is refused until gates A and B pass on real data.
		await waitFor(/Gate A ✓ PASS[\s\S]*Gate B ✓ PASS/, 30_000);

		// p → a confirmation that says exactly what will happen → y.
		tmux('send-keys', '-t', session, 'p');
		await waitFor(/Set STATUS_BOARD_V2_ENABLED to 10 %/, 5000);
		tmux('send-keys', '-t', session, 'y');
		await waitFor(/stage 10 %/, 10_000);
		await waitFor(/flag ✓ ok 10 %/, 10_000);
		expect(await flagPercent(url)).toBe(10);

		// r → a reason → Enter: the flag goes to 0 and the probes confirm it.
		tmux('send-keys', '-t', session, 'r');
		await waitFor(/[Rr]eason/, 5000);
		tmux('send-keys', '-t', session, '-l', 'tmux test: rollback drill');
		tmux('send-keys', '-t', session, 'Enter');
		await waitFor(/ROLLED BACK/, 10_000);
		expect(await flagPercent(url)).toBe(0);
		await waitFor(/rollback confirmed in \d+(\.\d+)? s/, 20_000);
		expect(screen()).toContain('tmux test: rollback drill');

		// q (confirm if asked): the program ends and the terminal is the shell's again.
		tmux('send-keys', '-t', session, 'q');
		await new Promise((resolve) => setTimeout(resolve, 500));
		if (/[Qq]uit\?|y\/Enter/.test(screen())) tmux('send-keys', '-t', session, 'y');
		const exited = await waitFor(/golive exited (\d+)/, 15_000);
		expect(Number(exited[1])).toBe(1);
		// Out of the alternate screen: the dashboard is gone, the summary is on the normal screen.
		const after = screen();
		expect(after).not.toContain('Board load p95');
		expect(after).toMatch(/rolled back/);
	}, 150_000);
});
