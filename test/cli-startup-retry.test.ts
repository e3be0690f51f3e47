/**
 * Start-up checks retry, end to end: `golive run` spawned against
 * `golive demo --serve` behind the fault proxy, with the flag API and both
 * health endpoints answering 500 for the first 5 s. The checks run again at
 * every check interval: gates A and B pass only after the service recovers
 * (never while it fails), and the launch then starts by itself.
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, expect, it} from 'vitest';
import {proxiedPlan, startServedDemo, type ServedDemo} from './helpers/demo-serve.js';
import {startFaultProxy, type FaultProxy} from './helpers/fault-proxy.js';
import {parseNdjson, runCli} from './helpers/spawn-cli.js';
import {loadStreamValidator} from './helpers/stream-validator.js';

const flagPath = '/api/admin/feature-flags';
const healthPaths = ['/health', '/api/health'];
const signOffs = ['--sign-off', 'qa_lead=Jane Smith', '--sign-off', 'product_owner=Sam Lee'];
type Line = Record<string, unknown> & {type: string; ts: string};

let served: ServedDemo | null = null;
let proxy: FaultProxy | null = null;
afterAll(async () => {
	await proxy?.close();
	await served?.stop();
});

it(
	'flag API and health answering 500 for the first 5 s or more: re-checked each interval, gates A/B pass only after recovery, the canary starts',
	{timeout: 150_000},
	async () => {
		const {validate, errorsText} = await loadStreamValidator();
		served = await startServedDemo(['--scenario', 'healthy']);
		const faults = await startFaultProxy(served.serviceUrl);
		proxy = faults;
		const journalDir = mkdtempSync(path.join(tmpdir(), 'golive-startup-retry-'));
		const plan = proxiedPlan(served, faults.url, 'startup-retry.json', {journalDir});
		for (const p of [flagPath, ...healthPaths]) faults.setMode(p, {kind: 'status', status: 500});

		let recoveredAt = 0;
		let failing: Record<string, number> = {};
		const startedAt = Date.now();
		// Failing for at least 5 s and until each endpoint was asked 3 times (a retry, not the one start-up try), at most 60 s.
		const recovery = setInterval(() => {
			const counts = Object.fromEntries([flagPath, ...healthPaths].map((p) => [p, faults.count(p)]));
			const elapsed = Date.now() - startedAt;
			if (elapsed < 5000 || (Object.values(counts).some((n) => n < 3) && elapsed < 60_000)) return;
			clearInterval(recovery);
			failing = counts;
			faults.reset();
			recoveredAt = Date.now();
		}, 200);
		const run = await runCli(['run', '--plan', plan, '--auto', '--json', ...signOffs], {
			timeoutMs: 120_000,
			// Once the first stage reads back the launch has proceeded: stop it there.
			interruptWhen: /"phase":"outcome"[^\n]*"targetPercent":10,"ok":true/,
		});
		clearInterval(recovery);
		const lines = parseNdjson(run.stdout) as Line[];
		expect(run.stderr).not.toMatch(/^\s+at /m);
		for (const line of lines) {
			if (!validate(line)) throw new Error(`line does not match the schema: ${errorsText()}\n${JSON.stringify(line).slice(0, 500)}`);
		}
		expect(recoveredAt, run.stderr.slice(-2000)).toBeGreaterThan(0);
		// Re-run while failing, not tried once: each endpoint was asked at least 3 times before it recovered.
		for (const p of [flagPath, ...healthPaths]) expect(failing[p], JSON.stringify(failing)).toBeGreaterThanOrEqual(3);

		const gateB = lines.filter((l) => l.type === 'gate' && l.gate === 'B');
		const failed = gateB.find((l) => l.status !== 'pass');
		expect(failed, JSON.stringify(gateB).slice(0, 2000)).toBeDefined();
		expect(JSON.stringify(failed)).toMatch(/b_health|b_rollback/);
		// Never green while failing: every pass of gates A and B, and the first flag write, come after the recovery.
		const passes = lines.filter((l) => l.type === 'gate' && (l.gate === 'A' || l.gate === 'B') && l.status === 'pass');
		expect(passes.map((l) => l.gate)).toEqual(expect.arrayContaining(['A', 'B']));
		for (const pass of passes) expect(Date.parse(pass.ts)).toBeGreaterThanOrEqual(recoveredAt - 5);
		const firstIntent = lines.find((l) => l.type === 'action' && l.phase === 'intent');
		expect(firstIntent).toMatchObject({action: 'promote', targetPercent: 10});
		expect(Date.parse(firstIntent!.ts)).toBeGreaterThanOrEqual(recoveredAt);
		expect(lines.some((l) => l.type === 'action' && l.phase === 'outcome' && l.targetPercent === 10 && l.ok === true)).toBe(true);
		// The first good read after a failed start-up read is the start-up read, not an outside change.
		expect(lines.some((l) => l.type === 'log' && /changed outside golive/.test(String(l.text)))).toBe(false);
		// The flag as observed at the checks is in the snapshots once the API answers.
		const observed = lines.filter((l) => l.type === 'snapshot').map((l) => l.flagObservation as {percent: number | null} | undefined);
		expect(observed.some((o) => o?.percent === 10 || o?.percent === 0)).toBe(true);
	},
);
