import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {demoFlagName, startDemoService} from '../source/demo/service.js';
import type {DemoService, RequestRecord} from '../source/demo/service.js';
import {call, jsonInit, rawExchange} from './demo-service-helpers.js';

type Json = Record<string, unknown>;
const asJson = (value: unknown): Json => value as Json;

describe('demo service endpoints', () => {
	let service: DemoService;
	const records: RequestRecord[] = [];
	let unsubscribe: () => void;

	beforeAll(async () => {
		service = await startDemoService({seed: 11, latencyScale: 0.05});
		unsubscribe = service.onRequest((record) => records.push(record));
	});
	afterAll(async () => {
		unsubscribe();
		await service.close();
	});

	it('listens on an ephemeral loopback port', () => {
		expect(service.port).toBeGreaterThan(0);
		expect(service.url).toBe(`http://127.0.0.1:${service.port}`);
		expect(service.scenario).toBe('healthy');
		expect(service.appointmentIds()).toHaveLength(150);
		expect(service.appointmentIds()[0]).toBe('apt-1001');
	});

	it('answers both health paths with 200 healthy and a variant header', async () => {
		for (const path of ['/health', '/api/health']) {
			const reply = await call(service.url + path);
			expect(reply.status).toBe(200);
			expect(asJson(reply.body)['status']).toBe('healthy');
			expect(reply.servedBy).toBe('v1');
		}
	});

	it('serves a board of ~150 cards in tens of KB of JSON', async () => {
		const reply = await call(`${service.url}/api/admin/appointments/board`);
		expect(reply.status).toBe(200);
		expect(reply.headers.get('content-type')).toMatch(/application\/json/);
		expect(reply.bytes).toBeGreaterThan(20_000);
		expect(reply.bytes).toBeLessThan(200_000);
		const board = asJson(reply.body);
		const columns = board['columns'] as Array<{status: string; count: number; cards: Array<Json>}>;
		expect(columns.map((c) => c.status)).toEqual(expect.arrayContaining(['scheduled', 'in_progress', 'ready', 'completed']));
		const cards = columns.flatMap((c) => c.cards);
		expect(cards).toHaveLength(150);
		expect(board['totalCards']).toBe(150);
		for (const column of columns) {
			expect(column.count).toBe(column.cards.length);
			for (const card of column.cards) expect(card['status']).toBe(column.status);
		}
		expect(new Set(cards.map((c) => c['id'])).size).toBe(150);
	});

	it('generates the same board for the same seed', async () => {
		const twin = await startDemoService({seed: 11, latencyScale: 0.05});
		try {
			const [a, b] = await Promise.all([call(`${service.url}/api/admin/appointments/apt-1042`), call(`${twin.url}/api/admin/appointments/apt-1042`)]);
			const pick = (body: unknown) => ({...asJson(body), updatedAt: undefined, version: undefined, status: undefined});
			expect(pick(a.body)).toEqual(pick(b.body));
		} finally {
			await twin.close();
		}
	});

	it('serves the drawer with full details, 404 for an unknown id', async () => {
		const reply = await call(`${service.url}/api/admin/appointments/apt-1007`);
		expect(reply.status).toBe(200);
		const drawer = asJson(reply.body);
		expect(drawer['id']).toBe('apt-1007');
		expect(asJson(drawer['customer'])['name']).toEqual(expect.any(String));
		expect(asJson(drawer['vehicle'])['vin']).toMatch(/^[A-Z0-9]{17}$/);
		expect((drawer['services'] as unknown[]).length).toBeGreaterThan(0);
		expect(Array.isArray(drawer['notes'])).toBe(true);
		expect(drawer['version']).toBe(0);

		const missing = await call(`${service.url}/api/admin/appointments/apt-9999`);
		expect(missing.status).toBe(404);
		expect(asJson(missing.body)['error']).toBe('not_found');
	});

	it('serves dashboard KPIs consistent with the board', async () => {
		const reply = await call(`${service.url}/api/admin/dashboard/stats`);
		expect(reply.status).toBe(200);
		const stats = asJson(reply.body);
		expect(stats['totalAppointments']).toBe(150);
		const byStatus = stats['byStatus'] as Record<string, number>;
		expect(Object.values(byStatus).reduce((a, b) => a + b, 0)).toBe(150);
	});

	it('moves a card with optimistic concurrency: 200 then 409 on the stale version', async () => {
		const url = `${service.url}/api/admin/appointments/apt-1003/move`;
		const first = await call(url, jsonInit('PATCH', {status: 'in_progress', version: 0}));
		expect(first.status).toBe(200);
		expect(first.body).toEqual({id: 'apt-1003', status: 'in_progress', version: 1});

		const stale = await call(url, jsonInit('PATCH', {status: 'ready', version: 0}));
		expect(stale.status).toBe(409);
		expect(stale.body).toMatchObject({error: 'version_conflict', currentVersion: 1, message: expect.any(String)});

		const drawer = asJson((await call(`${service.url}/api/admin/appointments/apt-1003`)).body);
		expect(drawer['status']).toBe('in_progress');
		expect(drawer['version']).toBe(1);

		// The board (cached between writes) shows the move too.
		const board = asJson((await call(`${service.url}/api/admin/appointments/board`)).body);
		const columns = board['columns'] as Array<{status: string; cards: Array<Json>}>;
		const column = columns.find((c) => c.cards.some((card) => card['id'] === 'apt-1003'));
		expect(column?.status).toBe('in_progress');
		expect(column?.cards.find((card) => card['id'] === 'apt-1003')?.['version']).toBe(1);
	});

	it('lets exactly one of N concurrent movers with the same version win', async () => {
		const url = `${service.url}/api/admin/appointments/apt-1020/move`;
		const replies = await Promise.all(Array.from({length: 12}, (_, i) => call(url, jsonInit('PATCH', {status: i % 2 ? 'ready' : 'completed', version: 0}))));
		const statuses = replies.map((r) => r.status).sort();
		expect(statuses.filter((s) => s === 200)).toHaveLength(1);
		expect(statuses.filter((s) => s === 409)).toHaveLength(11);
		for (const reply of replies.filter((r) => r.status === 409)) expect(asJson(reply.body)['currentVersion']).toBe(1);
	});

	it('reports every served request to subscribers', async () => {
		const before = records.length;
		await call(`${service.url}/api/admin/dashboard/stats`);
		await call(`${service.url}/nowhere`);
		const fresh = records.slice(before);
		expect(fresh.map((r) => [r.route, r.method, r.status, r.variant])).toEqual([
			['stats', 'GET', 200, 'v1'],
			['other', 'GET', 404, 'v1'],
		]);
		// Stats latency is drawn around 40 ms × 0.05: well above zero, well below a second.
		expect(fresh[0]?.latencyMs).toBeGreaterThan(0.25);
		expect(fresh[0]?.latencyMs).toBeLessThan(1000);
		expect(Math.abs((fresh[0]?.at ?? 0) - Date.now())).toBeLessThan(5000);
	});

	it('stops reporting after unsubscribe and survives a throwing subscriber', async () => {
		const seen: RequestRecord[] = [];
		const off = service.onRequest((r) => seen.push(r));
		const offBad = service.onRequest(() => {
			throw new Error('subscriber bug');
		});
		await call(`${service.url}/health`);
		off();
		offBad();
		await call(`${service.url}/health`);
		expect(seen).toHaveLength(1);
	});
});

describe('feature flag API', () => {
	let service: DemoService;
	const flagsUrl = () => `${service.url}/api/admin/feature-flags`;

	beforeAll(async () => {
		service = await startDemoService({seed: 3, latencyScale: 0.05, initialPercent: 10});
	});
	afterAll(async () => {
		await service.close();
	});

	it('reads the flag in the run sheet shape', async () => {
		const reply = await call(flagsUrl());
		expect(reply.status).toBe(200);
		expect(reply.body).toEqual({flags: {[demoFlagName]: {enabled: true, rolloutPercent: 10, version: 1, updatedAt: expect.any(String)}}});
	});

	it('writes with compare-and-set and counts only successful writes', async () => {
		const ok = await call(flagsUrl(), jsonInit('PUT', {flag: demoFlagName, rolloutPercent: 30, version: 1}));
		expect(ok.status).toBe(200);
		expect(ok.body).toMatchObject({flag: demoFlagName, rolloutPercent: 30, version: 2, flags: {[demoFlagName]: {rolloutPercent: 30, version: 2}}});
		expect(service.flagWrites()).toBe(1);

		const stale = await call(flagsUrl(), jsonInit('PUT', {flag: demoFlagName, rolloutPercent: 50, version: 1}));
		expect(stale.status).toBe(409);
		expect(stale.body).toMatchObject({error: 'version_conflict', currentVersion: 2});
		expect(service.flagWrites()).toBe(1);
		expect(service.flag()).toMatchObject({name: demoFlagName, rolloutPercent: 30, version: 2});

		// No version: last writer wins (the runbooks' plain `PUT`).
		const blind = await call(flagsUrl(), jsonInit('PUT', {flag: demoFlagName, rolloutPercent: 0}));
		expect(blind.status).toBe(200);
		expect(service.flag()).toMatchObject({rolloutPercent: 0, version: 3});
		expect(service.flagWrites()).toBe(2);
		// A templated body: numbers as strings, an empty version meaning "no CAS".
		const templated = await call(flagsUrl(), jsonInit('PUT', {flag: demoFlagName, rolloutPercent: '0', version: ''}));
		expect(templated.status).toBe(200);
		expect(service.flag()).toMatchObject({rolloutPercent: 0, version: 4});
		expect(service.flagWrites()).toBe(3);
		expect(asJson(asJson((await call(flagsUrl())).body)['flags'])[demoFlagName]).toMatchObject({enabled: false, rolloutPercent: 0, version: 4});
	});

	it('lets exactly one of 20 racing CAS writers win', async () => {
		const {version} = service.flag();
		const before = service.flagWrites();
		const replies = await Promise.all(Array.from({length: 20}, () => call(flagsUrl(), jsonInit('PUT', {flag: demoFlagName, rolloutPercent: 50, version}))));
		expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
		expect(replies.filter((r) => r.status === 409)).toHaveLength(19);
		expect(service.flagWrites()).toBe(before + 1);
	});

	it('rejects invalid writes with 400/404 and leaves the flag alone', async () => {
		const before = {...service.flag(), writes: service.flagWrites()};
		for (const rolloutPercent of [101, -1, 12.5, 'abc', null, true]) {
			const reply = await call(flagsUrl(), jsonInit('PUT', {flag: demoFlagName, rolloutPercent}));
			expect(reply.status, `rolloutPercent ${String(rolloutPercent)}`).toBe(400);
			expect(asJson(reply.body)).toMatchObject({error: 'invalid_request', message: expect.any(String)});
		}
		expect((await call(flagsUrl(), jsonInit('PUT', {flag: demoFlagName, rolloutPercent: 5, version: 'x'}))).status).toBe(400);
		expect((await call(flagsUrl(), jsonInit('PUT', {flag: 'OTHER_FLAG', rolloutPercent: 5}))).status).toBe(404);
		expect((await call(flagsUrl(), jsonInit('PUT', '{"flag":'))).status).toBe(400);
		expect((await call(flagsUrl(), jsonInit('DELETE', {}))).status).toBe(405);
		expect(service.flag()).toMatchObject({rolloutPercent: before.rolloutPercent, version: before.version});
		expect(service.flagWrites()).toBe(before.writes);
	});
});

describe('malformed requests never crash the service', () => {
	let service: DemoService;

	beforeAll(async () => {
		service = await startDemoService({seed: 5, latencyScale: 0.05});
	});
	afterAll(async () => {
		await service.close();
	});

	const moveUrl = () => `${service.url}/api/admin/appointments/apt-1010/move`;
	const expectError = (reply: {status: number; body: unknown}, status: number, error: string) => {
		expect(reply.status).toBe(status);
		expect(reply.body).toMatchObject({error, message: expect.any(String)});
	};

	it('bad JSON → 400', async () => {
		expectError(await call(moveUrl(), jsonInit('PATCH', '{"status": "ready", ')), 400, 'bad_json');
		expectError(await call(moveUrl(), {method: 'PATCH'}), 400, 'bad_json');
		expectError(await call(moveUrl(), jsonInit('PATCH', '[1,2]')), 400, 'invalid_request');
	});

	it('invalid move fields → 400', async () => {
		expectError(await call(moveUrl(), jsonInit('PATCH', {status: 'teleported', version: 1})), 400, 'invalid_request');
		expectError(await call(moveUrl(), jsonInit('PATCH', {status: 'ready'})), 400, 'invalid_request');
		expectError(await call(moveUrl(), jsonInit('PATCH', {status: 'ready', version: 1.5})), 400, 'invalid_request');
	});

	it('unknown id → 404 on drawer and move', async () => {
		expectError(await call(`${service.url}/api/admin/appointments/apt-0`), 404, 'not_found');
		expectError(await call(`${service.url}/api/admin/appointments/apt-0/move`, jsonInit('PATCH', {status: 'ready', version: 1})), 404, 'not_found');
	});

	it('wrong method → 405 with Allow', async () => {
		const board = await call(`${service.url}/api/admin/appointments/board`, {method: 'POST', body: '{}'});
		expectError(board, 405, 'method_not_allowed');
		expect(board.headers.get('allow')).toBe('GET, HEAD');
		const move = await call(moveUrl());
		expectError(move, 405, 'method_not_allowed');
		expect(move.headers.get('allow')).toBe('PATCH');
		const flags = await call(`${service.url}/api/admin/feature-flags`, {method: 'PATCH', body: '{}'});
		expect(flags.headers.get('allow')).toBe('GET, HEAD, PUT');
	});

	it('unknown path → 404, bad percent-encoding → 400', async () => {
		expectError(await call(`${service.url}/api/admin/nothing-here`), 404, 'not_found');
		expectError(await call(`${service.url}/api/admin/appointments/apt-1001/move/extra`), 404, 'not_found');
		expectError(await call(`${service.url}/api/admin/appointments/%E0%A4%A`), 400, 'bad_request');
	});

	it('oversize body (> 64 KiB) → 413', async () => {
		const big = JSON.stringify({status: 'ready', version: 1, padding: 'x'.repeat(70 * 1024)});
		expectError(await call(moveUrl(), jsonInit('PATCH', big)), 413, 'payload_too_large');
		// Just under the limit is still parsed.
		const fits = JSON.stringify({status: 'ready', version: 999, padding: 'x'.repeat(60 * 1024)});
		expect((await call(moveUrl(), jsonInit('PATCH', fits))).status).toBe(409);
	});

	it('a huge declared body gets 413 and a hang-up without being read', async () => {
		const response = await rawExchange(
			service.port,
			`PUT /api/admin/feature-flags HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000000000\r\n\r\n{"a":`,
		);
		expect(response).toMatch(/^HTTP\/1\.1 413/);
		expect(response).toContain('payload_too_large');
	});

	it('non-HTTP garbage → 400 JSON', async () => {
		const response = await rawExchange(service.port, 'HELLO THERE\r\n\u0000\u0001\r\n\r\n');
		expect(response).toMatch(/^HTTP\/1\.1 400/);
		expect(response).toContain('"error":"bad_request"');
	});

	it('answers CORS preflight', async () => {
		const reply = await call(`${service.url}/api/admin/feature-flags`, {method: 'OPTIONS'});
		expect(reply.status).toBe(204);
		expect(reply.headers.get('access-control-allow-methods')).toContain('PUT');
		expect(reply.headers.get('access-control-allow-origin')).toBe('*');
	});

	it('still answers after all of the above', async () => {
		const reply = await call(`${service.url}/api/health`);
		expect(reply.status).toBe(200);
		const moved = await call(moveUrl(), jsonInit('PATCH', {status: 'ready', version: 0}));
		expect(moved.status).toBe(200);
	});
});

describe('lifecycle', () => {
	it('rejects bad options', async () => {
		await expect(startDemoService({initialPercent: 101})).rejects.toThrow(RangeError);
		await expect(startDemoService({scenario: 'chaos' as never})).rejects.toThrow(/scenario/);
		await expect(startDemoService({latencyScale: -1})).rejects.toThrow(RangeError);
	});

	it('close() returns promptly with keep-alive sockets and slow requests in flight', async () => {
		// Regression at 100 %: V2 board takes 1–3 s at full scale.
		const service = await startDemoService({scenario: 'regression', initialPercent: 100, seed: 2});
		const statuses: number[] = [];
		service.onRequest((r) => statuses.push(r.status));
		await call(`${service.url}/health`); // leaves an idle keep-alive socket in undici's pool
		const slow = fetch(`${service.url}/api/admin/appointments/board`).then(
			(r) => r.status,
			() => 'aborted' as const,
		);
		await new Promise((resolve) => setTimeout(resolve, 50));
		const started = performance.now();
		await service.close();
		const closeMs = performance.now() - started;
		expect(closeMs).toBeLessThan(500);
		expect(await slow).toBe('aborted');
		expect(statuses).toEqual([200, 499]);
		await service.close(); // idempotent
		await expect(fetch(`${service.url}/health`)).rejects.toThrow();
	});
});

describe('demo service latency draws', () => {
	/** Server-side latencies of `rounds` board requests, each after `before` (requests of other routes). */
	async function boardLatencies(before: string[], rounds = 5): Promise<number[]> {
		const service = await startDemoService({seed: 3, latencyScale: 1});
		const board: number[] = [];
		const off = service.onRequest((r) => {
			if (r.route === 'board') board.push(r.latencyMs);
		});
		try {
			for (let i = 0; i < rounds; i++) {
				for (const path of before) await call(service.url + path);
				await call(`${service.url}/api/admin/appointments/board`);
			}
		} finally {
			off();
			await service.close();
		}
		return board;
	}

	it("a route's n-th request draws the same latency whatever other routes served in between", async () => {
		const alone = await boardLatencies([]);
		const between = await boardLatencies(['/api/admin/appointments/apt-1001', '/api/admin/dashboard/stats', '/health']);
		expect(alone).toHaveLength(5);
		expect(between).toHaveLength(5);
		// The draws themselves are equal; the measured times differ only by timer jitter, which a loaded
		// machine stretches past 5 ms. At full scale the board's draws lie 30–1,200 ms apart.
		for (const [i, ms] of alone.entries()) expect(Math.abs(between[i]! - ms)).toBeLessThan(40);
	});
});
