/**
 * The watcher console in a real terminal: an owner runs headless against
 * `golive demo --serve`; a second `golive run` on the same plan, in a tmux pane
 * (its own socket), shows "WATCHING — owner pid N on host H since …;
 * read-only", the owner's stage and flag from its journal, refuses every key
 * that would act with one line, never writes the flag, and says how the
 * owner's launch ended. Needs the build and tmux.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {parseJournal} from '../source/journal/journal.js';
import {proxiedPlan, startServedDemo, type ServedDemo} from './helpers/demo-serve.js';
import {startFaultProxy, type FaultProxy} from './helpers/fault-proxy.js';
import {cliPath} from './helpers/spawn-cli.js';
import {tmuxPane, tmuxReady} from './helpers/tmux.js';

const session = 'watch';
const flagPath = '/api/admin/feature-flags';
const {start, keys, waitFor, close} = tmuxPane('watch', session);

let served: ServedDemo | null = null;
let proxy: FaultProxy | null = null;
let owner: ChildProcess | null = null;
afterAll(async () => {
	close();
	owner?.kill('SIGKILL');
	await proxy?.close();
	await served?.stop();
});

test.skipIf(!tmuxReady)(
	'a second console on the flag watches read-only: header, owner’s stage, refused keys, the owner’s end',
	{timeout: 120_000},
	async () => {
		served = await startServedDemo(['--scenario', 'healthy']);
		proxy = await startFaultProxy(served.serviceUrl);
		const journalDir = mkdtempSync(path.join(tmpdir(), 'golive-watch-console-'));
		// A long soak: the owner holds 10 % for the whole test.
		const plan = proxiedPlan(served, proxy.url, 'watch.json', {journalDir, canary: {stageDurationMs: 600_000}});
		owner = spawn(
			process.execPath,
			[cliPath, 'run', '--plan', plan, '--json', '--auto', '--sign-off', 'qa_lead=Jane Smith', '--sign-off', 'product_owner=Sam Lee'],
			{
				stdio: ['ignore', 'pipe', 'ignore'],
			},
		);
		let out = '';
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`the owner never reached 10 %: ${out.slice(-500)}`)), 60_000);
			owner!.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
				out += chunk;
				if (/"phase":"outcome"[^\n]*"targetPercent":10,"ok":true/.test(out)) {
					clearTimeout(timer);
					resolve();
				}
			});
		});

		start(110, 30, `NO_COLOR=1 '${process.execPath}' '${cliPath}' run --plan '${plan}'; echo "EXIT $?"; sleep 60`);
		// The stage and flag the owner journaled (a loaded machine may have made the owner roll back already: whatever it read is shown).
		const first = await waitFor((t) => /flag reads \d+ %/.test(t), "the owner's flag");
		expect(first.split('\n')[0]).toMatch(new RegExp(`^WATCHING — owner pid ${owner.pid} on host \\S+ since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z; read-only$`));
		expect(first).toMatch(/Owner's launch: (stage \d of 4 at \d+ %|rolled_back|ended)/);

		for (const [key, label] of [
			['p', 'promote'],
			['r', 'rollback'],
			['R', 'full rollback'],
			['Space', 'pause'],
			['a', 're-arm'],
		] as const) {
			keys(key);
			await waitFor((t) => t.includes(`read-only: ${label} refused — owner pid ${owner!.pid}`), `the refusal of ${key}`, 10_000);
		}

		// The owner stops (Ctrl-C) unless it already ended: the watcher says how, and waits for q.
		const endedByItself = owner.exitCode !== null || owner.signalCode !== null;
		if (!endedByItself) owner.kill('SIGINT');
		const ended = (await waitFor((t) => t.includes("OWNER'S LAUNCH ENDED"), "the owner's end", 30_000)).replace(/\n/g, ' ');
		const [, outcome, code] = /OWNER'S LAUNCH ENDED: (\S+(?: \S+)?) \(exit (\d+)\)/.exec(ended) ?? [];
		expect(outcome, ended).toMatch(/^(success|rolled back|rollback failed|aborted|interrupted|inconclusive)$/);
		expect(code, ended).toMatch(/^\d+$/);
		if (!endedByItself && outcome === 'inconclusive')
			expect(ended).toMatch(new RegExp(`owner pid ${owner.pid} on host \\S+ released the flag lock without a result`));
		keys('q');
		await waitFor((t) => new RegExp(`^EXIT ${code}$`, 'm').test(t), 'the exit code', 10_000);
		// Every flag write at the service is one the owner journaled (its own rollback included, should the loaded machine breach): none from the watcher.
		const effects = readdirSync(journalDir)
			.filter((n) => n.endsWith('.jsonl'))
			.flatMap((n) => parseJournal(readFileSync(path.join(journalDir, n), 'utf8')).records)
			.filter((r) => r.type === 'effect');
		expect(effects.length).toBeGreaterThanOrEqual(1);
		expect(proxy.count(flagPath, 'PUT')).toBe(effects.length);
	},
);
