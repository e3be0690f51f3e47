/**
 * The engine with an injected clock and a fleet port: an agent location whose synthetic checks
 * fail twice in a row rolls the canary back when the plan's `triggers.syntheticFailures.action`
 * is `rollback`, and only warns (journal note, log) when it is `alert`.
 */
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import type {Plan, SyntheticFailuresTrigger} from '../source/core/plan-types.js';
import type {FleetPort} from '../source/engine/fleet-port.js';
import {demoPlan} from '../source/plan/demo-plan.js';
import {fleetReading} from './helpers/fleet-reading.js';
import {scriptedEngine} from './helpers/scripted-engine.js';

beforeEach(() => {
	vi.useFakeTimers({now: new Date('2026-11-23T10:00:00Z')});
});
afterEach(() => {
	vi.useRealTimers();
});

function planWith(syntheticFailures: SyntheticFailuresTrigger): Plan {
	const demo = demoPlan({serviceUrl: 'http://127.0.0.1:9', cloudwatchUrl: 'http://127.0.0.1:9'});
	return {
		...demo,
		// Scripted probe numbers carry no V1/V2 split (as in scripted-engine.ts).
		slos: demo.slos.map(({compare: _judge, ...rule}) => rule),
		fleet: {namespace: 'golive/test', publishIntervalMs: 1000, minAgents: 2},
		triggers: {...demo.triggers, syntheticFailures},
	};
}

/** Two agents; `apFailing` is how many of ap-south's newest checks failed in a row. */
function fleetPort(apFailing: () => number): FleetPort {
	return {latest: () => fleetReading(Date.now(), {'ap-south': apFailing(), 'eu-west': 0}), stop: async () => undefined};
}

describe('synthetic failures in the engine', () => {
	it('action rollback: ap-south failing twice at 10 % rolls back (flag 0), naming the location; one failure does not', async () => {
		let failing = 0;
		const h = scriptedEngine({plan: planWith({consecutive: 2, action: 'rollback'}), fleet: fleetPort(() => failing)});
		await h.engine.start();
		for (let i = 0; i < 30 && !h.writes.includes(10); i++) await vi.advanceTimersByTimeAsync(1000);
		expect(h.writes).toEqual([10]);
		failing = 1;
		await vi.advanceTimersByTimeAsync(3000);
		expect(h.writes).toEqual([10]);
		failing = 2;
		for (let i = 0; i < 10 && !h.writes.includes(0); i++) await vi.advanceTimersByTimeAsync(1000);
		expect(h.writes).toEqual([10, 0]);
		const rollback = h.events.find((e) => e.kind === 'decision' && e.decision.kind === 'rollback');
		expect(rollback?.kind === 'decision' && rollback.decision).toMatchObject({
			trigger: 'synthetic_failures',
			fromPercent: 10,
			reason: 'synthetic monitor ap-south/board: 2 checks failed in a row (limit 2)',
		});
		failing = 0;
		await vi.advanceTimersByTimeAsync(45_000);
		const result = await h.engine.done;
		expect(result.outcome).toBe('rolled_back');
		expect(h.records.some((r) => r.type === 'note' && /Synthetic monitor ap-south\/board: 2 checks failed in a row .*a rollback trigger/.test(r.text))).toBe(
			true,
		);
	});

	it('action alert: the same failures are a warning and a journal note, and the launch goes on to 100 %', async () => {
		let failing = 0;
		const h = scriptedEngine({plan: planWith({consecutive: 2, action: 'alert'}), fleet: fleetPort(() => failing)});
		await h.engine.start();
		for (let i = 0; i < 30 && !h.writes.includes(10); i++) await vi.advanceTimersByTimeAsync(1000);
		failing = 3;
		await vi.advanceTimersByTimeAsync(90_000);
		const result = await h.engine.done;
		expect(result.outcome).toBe('success');
		expect(h.writes).toEqual([10, 30, 50, 100]);
		expect(h.records.some((r) => r.type === 'note' && /Synthetic monitor ap-south\/board: 3 checks failed in a row \(uptime 80\.0 %\)$/.test(r.text))).toBe(
			true,
		);
	});
});
