import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {demoFlagName, startDemoService} from '../source/demo/service.js';
import type {DemoService, DemoServiceOptions, RequestRecord} from '../source/demo/service.js';
import {call, jsonInit, percentile, runBounded} from './demo-service-helpers.js';

// Latencies run at half speed; SLO thresholds scale with them. Not faster: client and
// server share one event loop (and a busy CPU), and that fixed overhead must stay small next to the SLO.
const scale = 0.5;
const boardP95Slo = 800 * scale;
const errorRateSlo = 0.01;

const started: DemoService[] = [];
async function start(options: DemoServiceOptions): Promise<DemoService> {
	const service = await startDemoService({latencyScale: scale, ...options});
	started.push(service);
	return service;
}
afterEach(async () => {
	await Promise.all(started.splice(0).map((s) => s.close()));
});
afterAll(async () => {
	await Promise.all(started.splice(0).map((s) => s.close()));
});

async function setPercent(service: DemoService, rolloutPercent: number): Promise<void> {
	const reply = await call(`${service.url}/api/admin/feature-flags`, jsonInit('PUT', {flag: demoFlagName, rolloutPercent}));
	expect(reply.status).toBe(200);
	expect(service.flag().rolloutPercent).toBe(rolloutPercent);
}

/** What a probe sees on the board: client-side p95, 5xx share, and the share V2 served. */
async function probeBoard(service: DemoService, requests: number, concurrency = 16) {
	const replies = await runBounded(requests, concurrency, () => call(`${service.url}/api/admin/appointments/board`));
	const latencies = replies.map((r) => r.latencyMs);
	return {
		p95: percentile(latencies, 95),
		p50: percentile(latencies, 50),
		errorRate: replies.filter((r) => r.status >= 500).length / requests,
		v2Share: replies.filter((r) => r.servedBy === 'v2').length / requests,
		v2ErrorsOnly: replies.filter((r) => r.status >= 500).every((r) => r.servedBy === 'v2'),
	};
}

describe('the flag splits traffic between V1 and V2', () => {
	it('0 % → no V2, 100 % → all V2, 30 % → about 30 %', async () => {
		const service = await start({seed: 21});
		const share = async (n: number) => {
			const replies = await runBounded(n, 16, () => call(`${service.url}/health`));
			expect(replies.every((r) => r.status === 200)).toBe(true);
			return replies.filter((r) => r.servedBy === 'v2').length / n;
		};
		expect(await share(200)).toBe(0);
		await setPercent(service, 100);
		expect(await share(200)).toBe(1);
		await setPercent(service, 30);
		const thirty = await share(600);
		expect(thirty).toBeGreaterThan(0.24);
		expect(thirty).toBeLessThan(0.36);
	});

	it('records carry the variant that served them', async () => {
		const service = await start({seed: 22, initialPercent: 50});
		const records: RequestRecord[] = [];
		service.onRequest((r) => records.push(r));
		const replies = await runBounded(100, 8, () => call(`${service.url}/api/admin/dashboard/stats`));
		const stats = records.filter((r) => r.route === 'stats');
		expect(stats).toHaveLength(100);
		const headerV2 = replies.filter((r) => r.servedBy === 'v2').length;
		expect(stats.filter((r) => r.variant === 'v2')).toHaveLength(headerV2);
	});
});

describe('healthy latency model', () => {
	it('board median ~150 ms and p95 under the SLO; drawer mean under 200 ms', async () => {
		const service = await start({seed: 31, initialPercent: 50});
		const records: RequestRecord[] = [];
		service.onRequest((r) => records.push(r));
		const board = await probeBoard(service, 200);
		// Server-side draws, unscaled back to real milliseconds.
		const boardServer = records.filter((r) => r.route === 'board').map((r) => r.latencyMs / scale);
		const serverP50 = percentile(boardServer, 50);
		const serverP95 = percentile(boardServer, 95);
		// Loose: the exact distribution is pinned in the model test; here timers and a shared CPU add lag.
		expect(serverP50).toBeGreaterThan(110);
		expect(serverP50).toBeLessThan(300);
		expect(serverP95).toBeGreaterThan(250);
		expect(serverP95).toBeLessThan(750);
		expect(board.p95).toBeLessThan(boardP95Slo);
		expect(board.errorRate).toBeLessThan(errorRateSlo);

		const drawers = await runBounded(200, 16, (i) => call(`${service.url}/api/admin/appointments/apt-${1001 + (i % 150)}`));
		expect(drawers.every((r) => r.status === 200 || r.status === 500)).toBe(true);
		const drawerServer = records.filter((r) => r.route === 'drawer').map((r) => r.latencyMs / scale);
		const mean = drawerServer.reduce((a, b) => a + b, 0) / drawerServer.length;
		expect(mean).toBeGreaterThan(45);
		expect(mean).toBeLessThan(150);
		console.info(
			`healthy @50%: board server p50 ${serverP50.toFixed(0)} ms p95 ${serverP95.toFixed(0)} ms (real-scale); client p95 ${board.p95.toFixed(1)} ms at scale ${scale}; drawer mean ${mean.toFixed(0)} ms`,
		);
	});
});

describe('regression scenario: V2 capacity cliff', () => {
	it('looks healthy at 10 % and breaches board p95 and error rate at 30 %', async () => {
		const service = await start({scenario: 'regression', seed: 41, initialPercent: 10});
		const atTen = await probeBoard(service, 300);
		expect(atTen.v2Share).toBeGreaterThan(0.05);
		expect(atTen.p95).toBeLessThan(boardP95Slo);
		expect(atTen.errorRate).toBeLessThan(errorRateSlo);

		await setPercent(service, 30);
		// V2 now answers in 1.2–3 s × scale: more in flight keeps the test short.
		const atThirty = await probeBoard(service, 300, 64);
		expect(atThirty.p95).toBeGreaterThan(boardP95Slo);
		expect(atThirty.errorRate).toBeGreaterThan(errorRateSlo);
		expect(atThirty.v2ErrorsOnly).toBe(true);
		console.info(
			`regression: @10% p95 ${atTen.p95.toFixed(1)} ms err ${(atTen.errorRate * 100).toFixed(2)} %; @30% p95 ${atThirty.p95.toFixed(1)} ms err ${(atThirty.errorRate * 100).toFixed(2)} % (scale ${scale}, SLO ${boardP95Slo} ms)`,
		);
	});

	it('V1 is unaffected at 30 %', async () => {
		const service = await start({scenario: 'regression', seed: 42, initialPercent: 30});
		const records: RequestRecord[] = [];
		service.onRequest((r) => records.push(r));
		await probeBoard(service, 200, 64);
		const v1 = records.filter((r) => r.variant === 'v1').map((r) => r.latencyMs);
		const v2 = records.filter((r) => r.variant === 'v2' && r.status === 200).map((r) => r.latencyMs);
		expect(percentile(v1, 95)).toBeLessThan(boardP95Slo);
		expect(percentile(v2, 50)).toBeGreaterThan(1000 * scale);
	});
});

describe('occ-storm scenario', () => {
	/** An occ-move client: rotates ids, tracks each id's version from 200 and 409 replies. */
	async function moveStorm(service: DemoService, moves: number) {
		const ids = service.appointmentIds().slice(0, 20);
		const versions = new Map(ids.map((id) => [id, 0]));
		const statuses = ['in_progress', 'ready', 'completed', 'scheduled'];
		const conflictsBy = {v1: 0, v2: 0};
		let ok = 0;
		let errors = 0;
		// One mover per id at a time, so conflicts come from the service, not from the client racing itself.
		await runBounded(ids.length, ids.length, async (lane) => {
			const id = ids[lane] as string;
			for (let i = 0; i < moves / ids.length; i++) {
				const reply = await call(`${service.url}/api/admin/appointments/${id}/move`, jsonInit('PATCH', {status: statuses[i % 4], version: versions.get(id)}));
				const body = reply.body as {version?: number; currentVersion?: number};
				if (reply.status === 200 && body.version !== undefined) {
					ok++;
					versions.set(id, body.version);
				} else if (reply.status === 409 && body.currentVersion !== undefined) {
					conflictsBy[reply.servedBy === 'v2' ? 'v2' : 'v1']++;
					versions.set(id, body.currentVersion);
				} else errors++;
			}
		});
		return {ok, errors, conflicts: conflictsBy.v1 + conflictsBy.v2, conflictsBy};
	}

	it('raises OCC conflicts far above healthy at the same rollout', async () => {
		const healthy = await moveStorm(await start({scenario: 'healthy', seed: 51, initialPercent: 30}), 300);
		const storm = await moveStorm(await start({scenario: 'occ-storm', seed: 51, initialPercent: 30}), 300);
		expect(healthy.conflicts).toBeLessThanOrEqual(3);
		expect(storm.conflicts).toBeGreaterThan(30);
		expect(storm.conflictsBy.v2).toBeGreaterThan(storm.conflictsBy.v1 * 5);
		// A storm is conflicts, not errors, and the latency stays healthy.
		expect(storm.errors).toBeLessThanOrEqual(3);
		console.info(`occ: healthy ${healthy.conflicts}/300 conflicts, occ-storm ${storm.conflicts}/300 (v2 ${storm.conflictsBy.v2}) at 30 %`);
	});
});

describe('alarm scenario', () => {
	it('serves like healthy at 50 %', async () => {
		const service = await start({scenario: 'alarm', seed: 61, initialPercent: 50});
		const board = await probeBoard(service, 200);
		expect(board.p95).toBeLessThan(boardP95Slo);
		expect(board.errorRate).toBeLessThan(errorRateSlo);
		expect(service.scenario).toBe('alarm');
	});
});

describe('background noise knobs', () => {
	it('faultRate and conflictRate set the baseline both variants share', async () => {
		const service = await start({seed: 71, faultRate: 0.5, conflictRate: 1, initialPercent: 50});
		const stats = await runBounded(200, 16, () => call(`${service.url}/api/admin/dashboard/stats`));
		const failed = stats.filter((r) => r.status === 500);
		expect(failed.length / 200).toBeGreaterThan(0.38);
		expect(failed.length / 200).toBeLessThan(0.62);
		expect(failed[0]?.body).toMatchObject({error: 'internal_error', message: expect.any(String)});
		expect(failed.some((r) => r.servedBy === 'v1') && failed.some((r) => r.servedBy === 'v2')).toBe(true);
		// Health and the flag API (control plane) never fail.
		const health = await runBounded(50, 16, () => call(`${service.url}/health`));
		expect(health.every((r) => r.status === 200)).toBe(true);

		const quiet = await start({seed: 71, faultRate: 0, conflictRate: 1});
		const move = await call(`${quiet.url}/api/admin/appointments/apt-1001/move`, jsonInit('PATCH', {status: 'ready', version: 0}));
		expect(move.status).toBe(409);
		expect(move.body).toMatchObject({currentVersion: 1});
	});

	it('rejects rates outside 0..1', async () => {
		await expect(startDemoService({faultRate: 2})).rejects.toThrow(RangeError);
		await expect(startDemoService({conflictRate: Number.NaN})).rejects.toThrow(RangeError);
	});
});
