/**
 * The real program in a real terminal: `golive demo` in a tmux pane (its own
 * socket), keys sent as an operator types them, the screen read back with
 * capture-pane, the flag read from the simulated service's own API.
 * Needs the build (`npm test` builds first) and tmux; skipped without them.
 */
import {existsSync} from 'node:fs';
import {afterAll, describe, expect, test} from 'vitest';
import {cli, tmuxPane, tmuxReady} from './helpers/tmux.js';

const session = 'demo';
const {tmux, start, waitFor, close} = tmuxPane('test', session, 200);

async function flagPercent(baseUrl: string): Promise<number> {
	const res = await fetch(`${baseUrl}/api/admin/feature-flags`, {signal: AbortSignal.timeout(2000)});
	const body = (await res.json()) as {flags: Record<string, {rolloutPercent: number}>};
	return body.flags['STATUS_BOARD_V2_ENABLED']?.rolloutPercent ?? Number.NaN;
}

afterAll(() => close());

describe.skipIf(!tmuxReady)('golive demo in tmux', () => {
	test('tiles fill; p + confirm promotes and the service flag follows; r + reason rolls back, confirmed', {timeout: 120_000}, async () => {
		start(160, 48, `node ${cli} demo; echo "EXIT=$?"; sleep 30`);
		const first = await waitFor((t) => /Board load p95\s+✓ PASS/.test(t) && /stage 10 %/.test(t), 'the tiles to fill at stage 10 %');
		const baseUrl = /simulated service (http:\/\/127\.0\.0\.1:\d+)/.exec(first)?.[1];
		expect(baseUrl, first).toBeDefined();
		expect(await flagPercent(baseUrl!)).toBe(10);

		// Pause auto-advance first, so the promotion on screen is the operator's, not the clock's.
		tmux('send-keys', '-t', session, 'Space');
		await waitFor((t) => t.includes('⏸ PAUSED'), 'auto-advance paused');
		tmux('send-keys', '-t', session, 'p');
		const dialog = await waitFor((t) => t.includes('Set STATUS_BOARD_V2_ENABLED to 30 % (now 10 %)'), 'the promote confirmation');
		// Before 10 % has held its 9 s of green, the dialog asks for SKIP (a skipped soak is explicit).
		if (dialog.includes('Type SKIP')) tmux('send-keys', '-t', session, '-l', 'SKIP');
		tmux('send-keys', '-t', session, 'Enter');
		await waitFor((t) => /stage 30 %/.test(t) && /flag ✓ ok 30 %/.test(t), 'stage 30 % on screen');
		expect(await flagPercent(baseUrl!)).toBe(30);

		tmux('send-keys', '-t', session, 'r');
		await waitFor((t) => t.includes('EMERGENCY ROLLBACK'), 'the rollback dialog');
		tmux('send-keys', '-t', session, '-l', 'tmux test rollback');
		await waitFor((t) => t.includes('Set STATUS_BOARD_V2_ENABLED to 0 % (emergency rollback) — reason: tmux test rollback'), 'the reason in the dialog');
		tmux('send-keys', '-t', session, 'Enter');
		const after = await waitFor((t) => /rollback confirmed in \d+\.\d s/.test(t), 'the rollback confirmed by the probes');
		expect(after).toContain('ROLLED BACK (emergency)');
		expect(after).toContain('Why (ROLLBACK): Operator emergency rollback: tmux test rollback');
		expect(await flagPercent(baseUrl!)).toBe(0);

		// The launch ends with the rollback confirmed: the banner names the outcome and the report, written already.
		const banner = await waitFor((t) => t.includes('LAUNCH ENDED: ROLLED BACK (exit 1)') && t.includes('q to exit'), 'the end banner');
		const report = /(\/\S+\.report\.md)/.exec(banner)?.[1];
		expect(report && existsSync(report), banner).toBe(true);
		// Nothing is live after a rollback: q quits at once, the terminal comes back, exit 1 (rolled back).
		tmux('send-keys', '-t', session, 'q');
		const end = await waitFor((t) => t.includes('EXIT='), 'the program to exit');
		expect(end).toContain('EXIT=1');
		expect(end).not.toContain('Board load p95');
	});
});
