/**
 * The rollback's truth under failure, end to end: `golive run` spawned against
 * `golive demo --serve`, with the fault proxy between golive and the service.
 * A flag API that fails during the rollback is retried until it holds (or the
 * run ends rollback_failed, exit 4); a service that hangs after the rollback is
 * never called healthy.
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {proxiedPlan, startServedDemo, type ServedDemo} from './helpers/demo-serve.js';
import {startFaultProxy, type FaultProxy} from './helpers/fault-proxy.js';
import {parseNdjson, runCli} from './helpers/spawn-cli.js';

const flagPath = '/api/admin/feature-flags';
const signOffs = ['--sign-off', 'qa_lead=Jane Smith', '--sign-off', 'product_owner=Sam Lee'];
type Line = Record<string, unknown> & {type: string};

const started: Array<{served: ServedDemo; proxy: FaultProxy}> = [];
afterAll(async () => {
	for (const {served, proxy} of started) {
		await proxy.close();
		await served.stop();
	}
});

async function setUp(scenario: string, name: string, patch: Record<string, unknown> = {}) {
	const served = await startServedDemo(['--scenario', scenario]);
	const proxy = await startFaultProxy(served.serviceUrl);
	started.push({served, proxy});
	const journalDir = mkdtempSync(path.join(tmpdir(), `golive-fault-${name}-`));
	// Stages of 3 s: the failures under test come sooner; nothing else about the launch changes.
	const plan = proxiedPlan(served, proxy.url, `${name}.json`, {journalDir, canary: {stageDurationMs: 3000}, ...patch});
	return {served, proxy, plan};
}

/** Runs golive, calling `onLine` with each NDJSON line as it arrives. */
async function run(plan: string, onLine: (line: Line) => void, timeoutMs = 110_000) {
	let buffered = '';
	const result = await runCli(['run', '--plan', plan, '--auto', '--json', ...signOffs], {
		timeoutMs,
		onStdout(chunk) {
			buffered += chunk;
			let newline = buffered.indexOf('\n');
			while (newline >= 0) {
				const text = buffered.slice(0, newline);
				buffered = buffered.slice(newline + 1);
				if (text.trim()) onLine(JSON.parse(text) as Line);
				newline = buffered.indexOf('\n');
			}
		},
	});
	return {...result, lines: parseNdjson(result.stdout) as Line[]};
}

const isOutcome = (l: Line, percent: number, ok: boolean) => l.type === 'action' && l.phase === 'outcome' && l.targetPercent === percent && l.ok === ok;

async function flagOf(served: ServedDemo): Promise<number> {
	const body = (await (await fetch(`${served.serviceUrl}${flagPath}`)).json()) as {flags: {STATUS_BOARD_V2_ENABLED: {rolloutPercent: number}}};
	return body.flags.STATUS_BOARD_V2_ENABLED.rolloutPercent;
}

// One at a time: each is a full launch, and a loaded machine slows concurrent ones past their bounds.
describe('rollback under failure (spawned CLI, demo --serve, fault proxy)', () => {
	it('flag API answering 500 for 5 s during the rollback: retried with backoff until it holds, flag 0, rolled_back', {timeout: 150_000}, async () => {
		const {served, proxy, plan} = await setUp('regression', 'flaky-flag-api');
		let failingSince = 0;
		const r = await run(plan, (line) => {
			// Once 30 % is read back the flag API starts failing writes; the rollback is the next write.
			if (isOutcome(line, 30, true)) proxy.setMode(flagPath, {kind: 'status', status: 500}, 'PUT');
			if (isOutcome(line, 0, false) && failingSince === 0) {
				failingSince = Date.now();
				setTimeout(() => proxy.setMode(flagPath, {kind: 'pass'}, 'PUT'), 5000);
			}
		});
		expect(r.stderr).not.toMatch(/^\s+at /m);
		expect(failingSince, r.stderr.slice(-3000)).toBeGreaterThan(0);
		const result = r.lines.at(-1)!;
		expect(result).toMatchObject({type: 'result', outcome: 'rolled_back', exitCode: 1, mitigation: {flagPercent: 0, verified: true}});
		expect(r.code).toBe(1);
		expect(await flagOf(served)).toBe(0);
		const rollbackWrites = proxy.requests().filter((q) => q.method === 'PUT' && q.body.includes('"rolloutPercent":0'));
		// More than one try, spaced by the backoff (not three in 35 ms), and the last one held.
		expect(rollbackWrites.length).toBeGreaterThanOrEqual(3);
		expect(rollbackWrites.at(-1)!.at - rollbackWrites[0]!.at).toBeGreaterThanOrEqual(4000);
		// Never "rolled back" while failing: the snapshots said failing, with the flag's read value.
		const phases = r.lines.filter((l) => l.type === 'snapshot').map((l) => (l.mitigation as {rollback?: {phase: string}} | null)?.rollback?.phase);
		expect(phases).toContain('failing');
		expect(r.stderr).toMatch(/ROLLBACK FAILING — try 1 failed/);
	});

	it(
		'flag API answering 500 forever with rollbackRetryForMs 20000: rollback_failed, exit 4, within 30 s, naming the flag’s last value',
		{timeout: 150_000},
		async () => {
			const {served, proxy, plan} = await setUp('regression', 'dead-flag-api', {actions: {rollbackRetryForMs: 20_000}});
			let failingSince = 0;
			const r = await run(plan, (line) => {
				if (isOutcome(line, 30, true)) proxy.setMode(flagPath, {kind: 'status', status: 500}, 'PUT');
				if (isOutcome(line, 0, false) && failingSince === 0) failingSince = Date.now();
			});
			const exitedAfter = Date.now() - failingSince;
			expect(r.stderr).not.toMatch(/^\s+at /m);
			expect(r.code, r.stderr.slice(-3000)).toBe(4);
			const result = r.lines.at(-1)!;
			expect(result).toMatchObject({
				type: 'result',
				outcome: 'rollback_failed',
				exitCode: 4,
				mitigation: {flagPercent: 30, verified: false, healthRestored: false},
			});
			expect(String(result.reason)).toMatch(/reads 30 %.*by hand/);
			// The bound is on when golive gave up and ended the launch (the result's time), not on the process exit
			// that follows: on a full CI run the exit came 30.06 s after the first failure, where a quiet run takes 22 s.
			const gaveUpAfter = Date.parse(String(result.ts)) - failingSince;
			expect(gaveUpAfter, `gave up after ${gaveUpAfter} ms, exited after ${exitedAfter} ms`).toBeLessThan(30_000);
			expect(await flagOf(served)).toBe(30);
		},
	);

	it('flag set to 0 by hand at 10 %: detected within one check interval, shown, never overwritten (0 further writes)', {timeout: 150_000}, async () => {
		const {served, proxy, plan} = await setUp('healthy', 'manual-kill');
		let changedAt = 0;
		let detectedAt = 0;
		let writesBefore = 0;
		const r = await run(plan, (line) => {
			if (isOutcome(line, 10, true) && changedAt === 0) {
				writesBefore = proxy.count(flagPath, 'PUT');
				// Someone kills the flag by hand, straight at the service (not through golive's path).
				void fetch(`${served.serviceUrl}${flagPath}`, {method: 'PUT', body: JSON.stringify({flag: 'STATUS_BOARD_V2_ENABLED', rolloutPercent: 0})}).then(() => {
					changedAt = Date.now();
				});
			}
			if (detectedAt === 0 && line.type === 'log' && /flag changed outside golive: 10 % → 0 %/.test(String(line.text))) detectedAt = Date.now();
		});
		expect(r.stderr).not.toMatch(/^\s+at /m);
		expect(detectedAt, r.stderr.slice(-2000)).toBeGreaterThan(0);
		// One check interval is 1 s; the bound allows for a loaded machine.
		expect(detectedAt - changedAt).toBeLessThan(5000);
		expect(proxy.count(flagPath, 'PUT')).toBe(writesBefore);
		expect(await flagOf(served)).toBe(0);
		expect(r.lines.at(-1)).toMatchObject({type: 'result', outcome: 'aborted', exitCode: 1});
		const snapshots = r.lines.filter((l) => l.type === 'snapshot');
		expect(snapshots.length).toBeGreaterThan(0);
	});

	it('service hung after a promote: rolled back (flag 0), never "Health verified"; healthRestored false', {timeout: 150_000}, async () => {
		const {served, proxy, plan} = await setUp('healthy', 'hung-service', {actions: {postRollbackWatchMs: 10_000}});
		const r = await run(plan, (line) => {
			// After the first stage is read back, everything but the flag API stops answering.
			if (isOutcome(line, 10, true))
				for (const p of ['/api/admin/appointments', '/api/admin/dashboard', '/api/health', '/health']) proxy.setMode(p, {kind: 'hang'});
		});
		expect(r.stderr).not.toMatch(/^\s+at /m);
		const result = r.lines.at(-1)!;
		expect(result, r.stderr.slice(-3000)).toMatchObject({
			type: 'result',
			outcome: 'rolled_back',
			exitCode: 1,
			mitigation: {flagPercent: 0, verified: true, healthRestored: false},
		});
		expect(String(result.reason)).toMatch(/Rollback applied — service NOT healthy/);
		expect(await flagOf(served)).toBe(0);
		expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/Health verified|rollback COMPLETE|Mitigation (confirmed|verified)/i);
	});
});
