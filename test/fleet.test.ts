/**
 * The fleet end to end: three agents (in-process, real probes over loopback, the real SDK
 * publishing to the CloudWatch-compatible endpoint) against servers with fixed delays of
 * 20, 50 and 100 ms at equal rates (delivered precisely, see precise-delay-server.ts); `golive fleet --json` (a spawned CLI, the real SDK)
 * reads the merged percentiles. Then an agent stops and the agent count drops.
 */
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createFleetAgent} from '../probes/fleet-agent.js';
import type {AgentPublication, FleetAgent} from '../probes/fleet-agent.js';
import {createFleetPublisher} from '../probes/fleet-publisher.js';
import {createFleetReader} from '../probes/fleet-reader.js';
import {fleetUnusable} from '../source/core/fleet-checks.js';
import type {ProbeSpec} from '../source/core/plan-types.js';
import {startCloudWatchServer} from '../source/demo/cloudwatch-server.js';
import type {CloudWatchServer} from '../source/demo/cloudwatch-server.js';
import {seedPlan} from './helpers/plan-fixture.js';
import {startPreciseDelayServers} from './helpers/precise-delay-servers.js';
import type {PreciseDelayServers} from './helpers/precise-delay-servers.js';
import {runCli} from './helpers/spawn-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'golive-fleet-'));
const env = {
	AWS_ACCESS_KEY_ID: 'AKIDTEST',
	AWS_SECRET_ACCESS_KEY: 'test-secret',
	AWS_REGION: 'us-east-1',
	AWS_EC2_METADATA_DISABLED: 'true',
	AWS_CONFIG_FILE: join(scratch, 'no-config'),
	AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'no-credentials'),
	AWS_PROFILE: '',
};
const intervalMs = 1000;
const namespace = 'golive/fleet-test';
const probe: ProbeSpec = {
	id: 'board',
	label: 'Board',
	method: 'GET',
	path: '/api/board',
	ratePerSec: 40,
	timeoutMs: 5000,
	maxResponseBytes: 1_048_576,
	kind: 'read',
};

/** Nearest rank, as CloudWatch's percentile is defined over the published values. */
function exactPercentile(sorted: number[], p: number): number {
	return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

const sleepUntil = (t: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));

let cw: CloudWatchServer;
let servers: PreciseDelayServers;
const agents: FleetAgent[] = [];
const raw: Array<{at: number; ms: number}> = [];
const publications: AgentPublication[] = [];
let planFile: string;
let startedAt = 0;

type FleetReading = {
	agents: number;
	window: {start: string};
	probes: Array<{
		id: string;
		p50: number;
		p95: number;
		p99: number;
		requests: number;
		agents: number;
		locations: Array<{name: string; p95: number; uptime: number}>;
	}>;
};

/** One `golive fleet --json` reading of the last settled 5 s period. */
async function readFleet(): Promise<FleetReading> {
	const run = await runCli(['fleet', '--plan', planFile, '--json', '--window', '5'], {env, timeoutMs: 30_000});
	expect(run.stderr).toBe('');
	expect(run.code).toBe(0);
	return JSON.parse(run.stdout) as FleetReading;
}

/** The servers' own holds (arrival to answer, hrtime) of requests that arrived in [start, start + 5 s). */
async function holdsIn(start: number): Promise<number[][]> {
	return (await servers.holds()).map((h) =>
		h
			.filter(([at]) => at >= start && at < start + 5000)
			.map(([, ms]) => ms)
			.sort((a, b) => a - b),
	);
}

beforeAll(async () => {
	cw = await startCloudWatchServer();
	servers = await startPreciseDelayServers([20, 50, 100]);
	const plan = seedPlan({
		environments: {production: {baseUrl: servers.urls[0]!}},
		probes: [probe],
		slos: [],
		gates: [],
		canary: {...seedPlan().canary, abort: {errorRate: 0.01, latencyMs: 2000, latency: {kind: 'probe', probe: 'board', stat: 'p95'}}},
		cloudwatch: {region: 'us-east-1', endpoint: cw.url, pollIntervalMs: 60_000, metrics: [], alarms: {}, maxAgeMs: 180_000},
		fleet: {namespace, publishIntervalMs: intervalMs, minAgents: 3},
	});
	planFile = join(scratch, 'fleet-plan.json');
	writeFileSync(planFile, JSON.stringify(plan));
	startedAt = Date.now();
	['eu-west', 'us-east', 'ap-south'].forEach((location, k) => {
		const publisher = createFleetPublisher({namespace, endpoint: cw.url, env, now: Date.now});
		const agent = createFleetAgent({
			service: plan.service,
			location,
			baseUrl: servers.urls[k]!,
			probes: [probe],
			intervalMs,
			publisher,
			onPublication: (p) => publications.push(p),
			onSample: (s) => raw.push({at: s.at, ms: s.latencyMicros / 1000}),
		});
		agents.push(agent);
		agent.start();
	});
});

afterAll(async () => {
	await Promise.all(agents.map((a) => a.stop()));
	await servers?.close();
	await cw?.close();
});

describe('fleet: three agents, one merged reading', () => {
	it('golive fleet --json: p50 ≈ 50 ms and p95 ≈ 100 ms over all agents, within 2 % of the exact raw percentiles; agents 3', async () => {
		// A 5 s window (a CloudWatch period) fully covered by all three agents after a 1 s warm-up.
		const windowStart = Math.ceil((startedAt + 1000) / 5000) * 5000;
		await sleepUntil(windowStart + 5000 + 1200);
		const reading = await readFleet();
		// A slow start of the CLI on a loaded machine can move the reading to a later period: compare within the reading's own window.
		const readStart = Date.parse(reading.window.start);
		expect(readStart).toBeGreaterThanOrEqual(windowStart);
		const board = reading.probes[0]!;
		expect(board.agents).toBe(3);
		expect(reading.agents).toBe(3);
		const inWindow = raw
			.filter((s) => s.at >= readStart && s.at < readStart + 5000)
			.map((s) => s.ms)
			.sort((a, b) => a - b);
		const exactP50 = exactPercentile(inWindow, 50);
		const exactP95 = exactPercentile(inWindow, 95);
		console.log(
			`fleet p50 ${board.p50.toFixed(2)} (exact ${exactP50.toFixed(2)}), p95 ${board.p95.toFixed(2)} (exact ${exactP95.toFixed(2)}), requests ${board.requests} (raw ${inWindow.length})`,
		);
		expect(Math.abs(board.p50 - exactP50) / exactP50).toBeLessThan(0.02);
		expect(Math.abs(board.p95 - exactP95) / exactP95).toBeLessThan(0.02);
		// Samples that completed at the window's edges may sit in the neighbouring interval.
		expect(Math.abs(board.requests - inWindow.length)).toBeLessThanOrEqual(6);
		expect(board.locations.map((l) => l.name)).toEqual(['ap-south', 'eu-west', 'us-east']);
		const p95ByLocation = Object.fromEntries(board.locations.map((l) => [l.name, l.p95]));
		expect(p95ByLocation['eu-west']).toBeGreaterThanOrEqual(20);
		expect(p95ByLocation['eu-west']).toBeLessThan(p95ByLocation['ap-south']!);
		expect(p95ByLocation['ap-south']).toBeGreaterThanOrEqual(100);
		for (const l of board.locations) expect(l.uptime).toBe(1);
		// Every publication was accepted, and stated its folding error.
		expect(publications.length).toBeGreaterThan(0);
		for (const p of publications) expect(p.outcome.state).toEqual({kind: 'ok'});
		for (const p of publications) for (const c of p.cells) if (c.pairs > 0) expect(c.foldErrorPct).toBeLessThanOrEqual(1.0001);
	}, 40_000);

	it('done-when against nominal: the fleet p50 within 2 % of 50 ms and p95 within 2 % of 100 ms, whenever the servers held their delays', async (ctx) => {
		// Nothing between a server's hold and the fleet reading can make a latency shorter (the probe
		// times from the intended send; loopback, the probe's timers and a busy CPU only add), so a
		// shared machine's noise is one-sided. A reading counts when the machine was quiet enough for
		// the servers themselves to hold their delays (each server's p95 hold within 0.5 % of nominal,
		// measured by the server); a counted reading must be within 2 %. Up to three 5 s periods, one
		// period apart so that a reading's CLI start-up does not fall inside the next.
		const readings: string[] = [];
		for (let attempt = 0; attempt < 3; attempt++) {
			const reading = await readFleet();
			const start = Date.parse(reading.window.start);
			const board = reading.probes[0]!;
			expect(board.agents).toBe(3);
			expect(board.p50).toBeGreaterThanOrEqual(50);
			expect(board.p95).toBeGreaterThanOrEqual(100);
			const holds = await holdsIn(start);
			const held = [20, 50, 100].every((nominal, k) => exactPercentile(holds[k]!, 95) / nominal - 1 < 0.005);
			readings.push(
				`p50 ${board.p50.toFixed(2)} (+${((board.p50 / 50 - 1) * 100).toFixed(2)} %), p95 ${board.p95.toFixed(2)} (+${((board.p95 / 100 - 1) * 100).toFixed(2)} %); server holds p50/p95 ${holds.map((h) => `${exactPercentile(h, 50).toFixed(2)}/${exactPercentile(h, 95).toFixed(2)}`).join(', ')} ms${held ? '' : ' (not held: machine too busy, not counted)'}`,
			);
			console.log(`vs nominal, reading ${attempt + 1}: ${readings.at(-1)}`);
			if (held) {
				expect(board.p50 / 50 - 1).toBeLessThan(0.02);
				expect(board.p95 / 100 - 1).toBeLessThan(0.02);
				return;
			}
			await sleepUntil(start + 3 * 5000 + 1200);
		}
		ctx.skip(`the servers could not hold their delays in any of 3 periods (machine too busy to measure 2 %): ${readings.join(' | ')}`);
	}, 60_000);

	it('an agent stopped: the next reading two intervals later counts 2 agents, and below minAgents the reading is not usable', async () => {
		const reader = createFleetReader({
			service: 'StatusBoardV2',
			namespace,
			probeIds: ['board'],
			intervalMs,
			minAgents: 3,
			windowMs: 1000,
			watchStartMs: startedAt,
			endpoint: cw.url,
			env,
			now: Date.now,
		});
		const before = await reader.read();
		expect(before.agents).toBe(3);
		expect(fleetUnusable(before)).toBeUndefined();
		const stoppedAt = Date.now();
		await agents[2]!.stop();
		await sleepUntil(stoppedAt + 2 * intervalMs);
		const after = await reader.read();
		reader.close();
		expect(after.state).toEqual({kind: 'ok'});
		expect(after.agents).toBe(2);
		expect(after.probes[0]!.locations.find((l) => l.name === 'ap-south')?.agents).toBe(0);
		expect(fleetUnusable(after)).toBe('2 agents reporting, fewer than minAgents 3');
	}, 20_000);
});
