/**
 * The console in a real terminal against a real (simulated) service that the
 * test can freeze: `golive demo --serve` in a child process, `golive run` in a
 * tmux pane (its own socket) with NO_COLOR=1 and without --auto (manual), the
 * stage soak made long so no stage holds during the test. Keys are sent the
 * way a panicked operator types them — several in ONE send-keys — and the
 * flag is read from the service's own API. Needs the build and tmux.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {afterAll, describe, expect, test} from 'vitest';
import {cli, tmuxPane, tmuxReady} from './helpers/tmux.js';

const session = 'truth';
const {tmux, start, screen, keys, waitFor, close} = tmuxPane('truth', session);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let server: ChildProcess | null = null;

async function flagPercent(serviceUrl: string): Promise<number> {
	const res = await fetch(`${serviceUrl}/api/admin/feature-flags`, {signal: AbortSignal.timeout(3000)});
	const body = (await res.json()) as {flags: Record<string, {rolloutPercent: number}>};
	return body.flags['STATUS_BOARD_V2_ENABLED']?.rolloutPercent ?? Number.NaN;
}

/** `golive demo --serve`: its URLs and plan, with the stage soak made 10 minutes long. */
async function startServer(): Promise<{serviceUrl: string; planFile: string}> {
	server = spawn(process.execPath, [cli, 'demo', '--serve'], {stdio: ['ignore', 'pipe', 'inherit']});
	const line = await new Promise<string>((resolve, reject) => {
		const rl = createInterface({input: server!.stdout!});
		rl.once('line', resolve);
		server!.once('exit', (code) => reject(new Error(`demo --serve exited ${code}`)));
	});
	const {serviceUrl, planFile} = JSON.parse(line) as {serviceUrl: string; planFile: string};
	const plan = JSON.parse(readFileSync(planFile, 'utf8')) as {canary: {stageDurationMs: number}};
	plan.canary.stageDurationMs = 600_000;
	const longSoak = path.join(path.dirname(planFile), 'long-soak.json');
	writeFileSync(longSoak, JSON.stringify(plan));
	return {serviceUrl, planFile: longSoak};
}

/** Rows of one frame that hold text from two widgets: the Why, a gate row, the header, the help bar must each own their row. */
function mixedRows(text: string): string[] {
	return text.split('\n').filter((row) => {
		const why = /Why[ :(]/.test(row);
		const gateRow = /Gate [A-G] [✓✗?▶·»]/.test(row);
		const tile = /[│╭╰]/.test(row);
		return (why && (gateRow || tile || row.indexOf('Why') > 0)) || (gateRow && !/^(Gate [A-G] |.*│ *Gate [A-G] )/.test(row) && !row.startsWith('Gates '));
	});
}

afterAll(() => {
	if (server && server.exitCode === null) {
		server.kill('SIGCONT');
		server.kill('SIGTERM');
	}
	close();
});

describe.skipIf(!tmuxReady)('the console tells the truth (tmux, NO_COLOR, manual)', () => {
	test(
		'keys in one burst, no skipped soak without SKIP, space in --manual, every size without overlap, frozen service never green, no colour codes',
		{timeout: 240_000},
		async () => {
			const {serviceUrl, planFile} = await startServer();
			start(
				120,
				40,
				`NO_COLOR=1 node ${cli} run --plan ${planFile} --sign-off 'qa_lead=Jane Smith' --sign-off 'product_owner=Sam Lee'; echo "EXIT=$?"; sleep 60`,
			);
			await waitFor((t) => t.includes('✋ MANUAL') && /Gate B ✓ PASS/.test(t) && /Board load p95\s+✓ PASS/.test(t), 'gates A–B and green tiles', 90_000);

			// Start the canary: p, then Enter in the dialog (a start refused on a not-yet-green check is retried).
			for (let i = 0; i < 5 && (await flagPercent(serviceUrl)) !== 10; i++) {
				keys('p');
				await waitFor((t) => t.includes('Set STATUS_BOARD_V2_ENABLED to 10 %') || t.includes('promote:'), 'the start dialog');
				keys('Enter');
				await sleep(2000);
			}
			await waitFor((t) => /stage 10 %/.test(t), 'stage 10 % on screen');
			expect(await flagPercent(serviceUrl)).toBe(10);

			// p⏎⏎p⏎ typed as one burst: the soak has not held, so nothing is sent without SKIP.
			keys('p', 'Enter', 'Enter', 'p', 'Enter');
			const skip = await waitFor((t) => t.includes('type SKIP (capitals)'), 'the SKIP demand');
			expect(skip).toMatch(/10 % has held \d:\d\d of 10:00 green — type SKIP/);
			await sleep(2500);
			expect(await flagPercent(serviceUrl)).toBe(10);
			keys('Escape');
			await waitFor((t) => t.includes('cancelled: nothing was sent'), 'the dialog cancelled');

			// Space in --manual: nothing to resume, the flag never moves.
			keys('Space', 'Space', 'Space');
			await waitFor((t) => t.includes('--manual: nothing auto-advances'), 'the manual notice');
			await sleep(2500);
			expect(await flagPercent(serviceUrl)).toBe(10);

			// rr: the first r opens the rollback dialog, the second goes into its reason.
			keys('rr');
			await waitFor((t) => t.includes('EMERGENCY ROLLBACK') && t.includes('Reason: r'), 'the rollback dialog with r typed');
			keys('Escape');
			await waitFor((t) => !t.includes('EMERGENCY ROLLBACK'), 'the dialog closed');
			keys('w'); // x is the re-run step key
			await waitFor((t) => t.includes('w: unknown key — ? for help'), 'the unknown-key notice');

			// NO_COLOR: the captured cells carry no colour (bold and inverse stay: they are not colour).
			const escaped = screen(true);
			// eslint-disable-next-line no-control-regex
			expect(escaped.match(/\u001b\[[0-9;]*m/g)?.filter((sgr) => /\[(?:[0-9;]*;)?(?:3[0-7]|4[0-7]|9[0-7]|10[0-7]|38|48)(?:;|m)/.test(sgr)) ?? []).toEqual([]);

			// Every size: no row holds text from two widgets, over several frames; the Why is always there.
			for (const [w, h] of [
				[80, 24],
				[100, 30],
				[120, 40],
				[160, 48],
				[200, 60],
			] as const) {
				tmux('resize-window', '-t', session, '-x', String(w), '-y', String(h));
				await waitFor((t) => t.split('\n')[0]!.length <= w && /^Why/m.test(t) && t.includes('quit'), `the ${w}×${h} frame`);
				for (let frame = 0; frame < 3; frame++) {
					let text = screen();
					// A capture can land while Ink is still writing a frame: the Why must be there once that frame is complete.
					if (!/^Why/m.test(text)) text = await waitFor((t) => /^Why/m.test(t), `the Why at ${w}×${h}`, 3000);
					expect(mixedRows(text), `${w}×${h} frame ${frame}:\n${text}`).toEqual([]);
					await sleep(700);
				}
			}

			// Freeze the service (and its CloudWatch endpoint): old values never read green, a rollback that cannot write never reads ROLLED BACK.
			server!.kill('SIGSTOP');
			const frozen = await waitFor((t) => !t.includes('CloudWatch ✓ ok') && !/Board load p95\s+✓ PASS/.test(t), 'the frozen service to show as not ok', 60_000);
			expect(frozen).not.toMatch(/(Board load p95|Drawer open avg|API error rate)\s+✓ PASS/);
			// (OCC conflicts may truly read 0: every move timed out, none conflicted, and those timeouts are fresh samples.)
			// A source that stopped answering says how old its last good read is.
			await waitFor((t) => /CloudWatch ✗ stale \(last ok [\dmins]+ ago/.test(t), 'CloudWatch stale with its age', 30_000);
			for (let frame = 0; frame < 4; frame++) {
				const text = screen();
				expect(text).not.toMatch(/(Board load p95|Drawer open avg|API error rate)\s+✓ PASS/);
				expect(text).not.toMatch(/CloudWatch ✓ ok|│ ✓ OK +│/);
				expect(text).not.toContain('ROLLED BACK');
				await sleep(1000);
			}
			server!.kill('SIGCONT');
		},
	);
});
