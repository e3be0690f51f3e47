/**
 * `golive demo --serve` spawned as a process: one JSON line once both servers
 * listen, a plan that loads, real traffic served, a clean exit on SIGTERM; and
 * the fault proxy the failure-path tests put in front of it, mode by mode.
 */
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {loadPlan} from '../source/plan/load-plan.js';
import {startServedDemo, type ServedDemo} from './helpers/demo-serve.js';
import {startFaultProxy, type FaultProxy} from './helpers/fault-proxy.js';
import {runCli} from './helpers/spawn-cli.js';

const flagPath = '/api/admin/feature-flags';

describe('golive demo --serve', () => {
	it('prints {serviceUrl, cloudwatchUrl, planFile} once both listen, serves, and exits 0 on SIGTERM', {timeout: 30_000}, async () => {
		const served = await startServedDemo(['--scenario', 'regression']);
		try {
			expect(served.serviceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect(served.cloudwatchUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			const health = await fetch(`${served.serviceUrl}/api/health`);
			expect(health.status).toBe(200);
			const flags = (await (await fetch(`${served.serviceUrl}${flagPath}`)).json()) as {flags: Record<string, {rolloutPercent: number}>};
			expect(flags.flags.STATUS_BOARD_V2_ENABLED?.rolloutPercent).toBe(0);
			// The CloudWatch endpoint answers (unsigned requests are refused, as AWS would).
			expect((await fetch(served.cloudwatchUrl, {method: 'POST'})).status).toBeGreaterThanOrEqual(400);
			const loaded = loadPlan(served.planFile, {});
			expect(loaded.ok, JSON.stringify(loaded)).toBe(true);
			if (!loaded.ok) return;
			expect(loaded.plan.actions.readBack?.url).toBe(`${served.serviceUrl}${flagPath}`);
			expect(loaded.plan.cloudwatch?.endpoint).toBe(served.cloudwatchUrl);
			expect(loaded.plan.journalDir).toBe(path.join(path.dirname(served.planFile), 'journals'));
		} finally {
			const end = await served.stop('SIGTERM');
			expect(end.code).toBe(0);
			expect(end.stderr).not.toMatch(/\n\s+at /);
		}
	});

	it('--plan-out writes the plan where asked, and SIGINT stops it too', {timeout: 30_000}, async () => {
		const file = path.join(mkdtempSync(path.join(tmpdir(), 'golive-serve-test-')), 'demo.json');
		const served = await startServedDemo(['--plan-out', file]);
		const end = await served.stop('SIGINT');
		expect(served.planFile).toBe(file);
		expect(existsSync(file)).toBe(true);
		expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({service: 'StatusBoardV2', environment: 'demo'});
		expect(end.code).toBe(0);
	});

	it('--plan-out without --serve, or an unwritable --plan-out, is a usage error (exit 2, one line)', {timeout: 30_000}, async () => {
		const alone = await runCli(['demo', '--plan-out', '/tmp/x.json']);
		expect(alone.code).toBe(2);
		expect(alone.stderr).toContain('--plan-out goes with --serve');
		const unwritable = await runCli(['demo', '--serve', '--plan-out', '/nonexistent-dir/plan.json'], {timeoutMs: 20_000});
		expect(unwritable.code).toBe(2);
		expect(unwritable.stderr).toContain('/nonexistent-dir/plan.json');
		expect(unwritable.stderr).not.toMatch(/\n\s+at /);
	});
});

describe('fault proxy in front of demo --serve', () => {
	let served: ServedDemo;
	let proxy: FaultProxy;
	beforeAll(async () => {
		served = await startServedDemo();
		proxy = await startFaultProxy(served.serviceUrl);
	}, 30_000);
	afterAll(async () => {
		await proxy?.close();
		await served?.stop();
	});

	const get = (p: string, timeoutMs = 3000) => fetch(`${proxy.url}${p}`, {signal: AbortSignal.timeout(timeoutMs)});

	it('passes through, answers a status itself, drops, and counts every request per path and method', async () => {
		const before = proxy.count(flagPath);
		expect((await get('/api/health')).status).toBe(200);
		proxy.setMode(flagPath, {kind: 'status', status: 500}, 'PUT');
		const put = await fetch(`${proxy.url}${flagPath}`, {method: 'PUT', body: JSON.stringify({flag: 'STATUS_BOARD_V2_ENABLED', rolloutPercent: 10})});
		expect(put.status).toBe(500);
		expect((await get(flagPath)).status).toBe(200);
		proxy.setMode(flagPath, {kind: 'drop'});
		await expect(get(flagPath)).rejects.toThrow();
		expect(proxy.count(flagPath) - before).toBe(3);
		expect(proxy.count(flagPath, 'PUT')).toBeGreaterThanOrEqual(1);
		expect(proxy.requests().some((r) => r.method === 'PUT' && r.body.includes('"rolloutPercent":10'))).toBe(true);
		// The PUT never reached the service.
		const direct = (await (await fetch(`${served.serviceUrl}${flagPath}`)).json()) as {flags: {STATUS_BOARD_V2_ENABLED: {rolloutPercent: number}}};
		expect(direct.flags.STATUS_BOARD_V2_ENABLED.rolloutPercent).toBe(0);
		proxy.reset();
	});

	it('lies on a flag read-back, hangs, and trickles a body', {timeout: 20_000}, async () => {
		proxy.setMode(flagPath, {kind: 'wrong-readback', percent: 30}, 'GET');
		const lied = (await (await get(flagPath)).json()) as {flags: {STATUS_BOARD_V2_ENABLED: {rolloutPercent: number; enabled: boolean}}};
		expect(lied.flags.STATUS_BOARD_V2_ENABLED).toMatchObject({rolloutPercent: 30, enabled: true});

		proxy.setMode('/api/health', {kind: 'hang'});
		await expect(get('/api/health', 500)).rejects.toThrow(/abort|timeout/i);

		proxy.setMode('/api/health', {kind: 'trickle', everyMs: 20});
		const started = Date.now();
		const trickled = await get('/api/health', 15_000);
		expect(trickled.status).toBe(200);
		const body = await trickled.text();
		// ~150 bytes at one per 20 ms: seconds, not a single burst.
		expect(Date.now() - started).toBeGreaterThan(body.length * 10);
		expect(JSON.parse(body)).toMatchObject({status: 'healthy'});
		proxy.reset();
	});
});
