import {describe, expect, it} from 'vitest';
import {drawLatencyMs, healthyLatency, overloadedBoardLatency} from '../source/demo/latency-model.js';
import {describeId, matchRoute} from '../source/demo/routes.js';
import {demoScenarios, routeBehaviour, regressionCliffPercent} from '../source/demo/scenarios.js';
import {createRandom} from '../source/demo/seeded-random.js';

const n = 20_000;
function draws(distribution: Parameters<typeof drawLatencyMs>[0], seed = 1): number[] {
	const random = createRandom(seed, 9);
	return Array.from({length: n}, () => drawLatencyMs(distribution, random, 1)).sort((a, b) => a - b);
}
const at = (sorted: number[], p: number) => sorted[Math.ceil(p * sorted.length) - 1] ?? Number.NaN;
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('seeded random', () => {
	it('repeats for a seed and differs across seeds and streams', () => {
		const a = createRandom(7);
		const b = createRandom(7);
		const seqA = Array.from({length: 5}, () => a.next());
		expect(Array.from({length: 5}, () => b.next())).toEqual(seqA);
		expect(createRandom(8).next()).not.toBe(seqA[0]);
		expect(createRandom(7, 1).next()).not.toBe(seqA[0]);
	});

	it('is uniform enough for a traffic split', () => {
		const random = createRandom(3);
		const hits = Array.from({length: n}, () => random.next()).filter((x) => x < 0.3).length;
		expect(hits / n).toBeGreaterThan(0.29);
		expect(hits / n).toBeLessThan(0.31);
	});
});

describe('latency model', () => {
	it('healthy board: median ~150 ms, p95 ~350 ms', () => {
		const board = draws(healthyLatency.board);
		expect(at(board, 0.5)).toBeGreaterThan(140);
		expect(at(board, 0.5)).toBeLessThan(160);
		expect(at(board, 0.95)).toBeGreaterThan(320);
		expect(at(board, 0.95)).toBeLessThan(380);
		expect(at(board, 1)).toBeLessThanOrEqual(1200);
	});

	it('healthy drawer mean ~70 ms, stats ~40 ms, health ~2 ms', () => {
		expect(mean(draws(healthyLatency.drawer))).toBeGreaterThan(65);
		expect(mean(draws(healthyLatency.drawer))).toBeLessThan(75);
		expect(mean(draws(healthyLatency.stats))).toBeGreaterThan(36);
		expect(mean(draws(healthyLatency.stats))).toBeLessThan(44);
		expect(at(draws(healthyLatency.health), 0.5)).toBeCloseTo(2, 0);
	});

	it('overloaded V2 board lives in 1.2–3 s', () => {
		const board = draws(overloadedBoardLatency);
		expect(at(board, 0.05)).toBeGreaterThan(1150);
		expect(at(board, 0.95)).toBeLessThan(3050);
	});

	it('latencyScale multiplies every draw', () => {
		const full = drawLatencyMs(healthyLatency.board, createRandom(5), 1);
		expect(drawLatencyMs(healthyLatency.board, createRandom(5), 0.1)).toBeCloseTo(full * 0.1, 9);
	});
});

describe('scenario behaviour', () => {
	it('V1 is the baseline in every scenario', () => {
		for (const scenario of demoScenarios) {
			for (const percent of [0, 10, 30, 100]) {
				expect(routeBehaviour('board', 'v1', scenario, percent)).toEqual(routeBehaviour('board', 'v1', 'healthy', percent));
			}
		}
	});

	it('regression breaks V2 only past the cliff, and never the control plane', () => {
		expect(routeBehaviour('board', 'v2', 'regression', 10).latency).toBe(healthyLatency.board);
		expect(routeBehaviour('board', 'v2', 'regression', regressionCliffPercent - 1).faultRate).toBeLessThan(0.01);
		expect(routeBehaviour('board', 'v2', 'regression', 30).latency).toBe(overloadedBoardLatency);
		expect(routeBehaviour('drawer', 'v2', 'regression', 30).faultRate).toBeCloseTo(0.1);
		expect(routeBehaviour('flags', 'v2', 'regression', 100).faultRate).toBe(0);
		expect(routeBehaviour('health', 'v2', 'regression', 100).faultRate).toBe(0);
	});

	it('occ-storm rewrites records under V2 moves only', () => {
		expect(routeBehaviour('move', 'v2', 'occ-storm', 10).foreignEditRate).toBeGreaterThan(0.5);
		expect(routeBehaviour('move', 'v1', 'occ-storm', 10).foreignEditRate).toBeLessThan(0.01);
		expect(routeBehaviour('board', 'v2', 'occ-storm', 10).latency).toBe(healthyLatency.board);
	});
});

describe('routes', () => {
	it('maps the run sheet paths, tolerating a trailing slash and a query', () => {
		expect(matchRoute('/health')).toEqual({kind: 'health'});
		expect(matchRoute('/api/health/')).toEqual({kind: 'health'});
		expect(matchRoute('/api/admin/appointments/board?view=compact')).toEqual({kind: 'board'});
		expect(matchRoute('/api/admin/appointments/apt-1001')).toEqual({kind: 'drawer', id: 'apt-1001'});
		expect(matchRoute('/api/admin/appointments/apt-1001/move')).toEqual({kind: 'move', id: 'apt-1001'});
		expect(matchRoute('/api/admin/dashboard/stats')).toEqual({kind: 'stats'});
		expect(matchRoute('/api/admin/feature-flags')).toEqual({kind: 'flags'});
	});

	it('never throws on odd input', () => {
		expect(matchRoute('/api/admin/appointments/apt-1/move/x')).toEqual({kind: 'not_found'});
		expect(matchRoute('/api/admin/appointments/%ZZ')).toEqual({kind: 'bad_path'});
		expect(matchRoute('/api/admin/appointments/%E0%A4%A')).toEqual({kind: 'bad_path'});
		expect(matchRoute('//')).toEqual({kind: 'not_found'});
		expect(matchRoute(undefined)).toEqual({kind: 'not_found'});
		expect(matchRoute('http://example.test/api/health')).toEqual({kind: 'health'});
		expect(matchRoute('*')).toEqual({kind: 'bad_path'});
		expect(describeId('\u001b[31mx')).toBe('no such appointment');
	});
});
