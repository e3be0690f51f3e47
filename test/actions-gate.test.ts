/**
 * Single flight against a real flag service: a burst of identical key presses
 * writes once; a rollback racing a promote is queued and wins; promotes are
 * refused after a rollback until re-armed.
 */
import {afterEach, describe, expect, it} from 'vitest';
import {createActionGate, type GateTicket} from '../source/actions/action-gate.js';
import {createFlagController} from '../source/actions/flag-controller.js';
import type {ActionOutcome} from '../source/actions/outcome.js';
import {flagPlan, startFlagServer, type FlagServer} from './fixtures/journal-flag-server.js';

const flag = 'STATUS_BOARD_V2_ENABLED';
const servers: FlagServer[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(writeDelayMs = 0) {
	const s = await startFlagServer({flag, writeDelayMs: () => writeDelayMs});
	servers.push(s);
	const controller = createFlagController(flagPlan(s.url, flag), {env: {}, now: Date.now});
	const gate = createActionGate({now: Date.now});
	return {s, controller, gate};
}

describe('action gate', () => {
	it('50 identical promote presses in a burst write the flag exactly once', async () => {
		const {s, controller, gate} = await setup(30);
		const tickets: Array<GateTicket<ActionOutcome>> = [];
		const press = () => tickets.push(gate.request({kind: 'promote', targetPercent: 30}, () => controller.setPercent(30)));
		// 25 in the same tick, 25 more spread while the first is in flight and just after it.
		for (let i = 0; i < 25; i += 1) {
			press();
		}
		for (let i = 0; i < 25; i += 1) {
			await new Promise((r) => setTimeout(r, 3));
			press();
		}
		await gate.idle();
		const started = tickets.filter((t) => t.status === 'started');
		const refused = tickets.filter((t) => t.status === 'refused');
		expect(started).toHaveLength(1);
		expect(refused).toHaveLength(49);
		expect(refused[0]).toEqual({status: 'refused', reason: 'ignored: promote to 30 % already in flight'});
		expect(s.writes.map((w) => w.percent)).toEqual([30]);
		expect(s.state.percent).toBe(30);
		const first = started[0];
		expect(first?.status === 'started' ? (await first.done).kind : null).toBe('ok');
	});

	it('a rollback racing a promote is queued, runs right after, and wins (flag 0)', async () => {
		const {s, controller, gate} = await setup(80);
		const promote = gate.request({kind: 'promote', targetPercent: 50}, () => controller.setPercent(50));
		expect(promote.status).toBe('started');
		await new Promise((r) => setTimeout(r, 10));
		const rollback = gate.request({kind: 'emergency_rollback'}, () => controller.setPercent(0));
		expect(rollback.status).toBe('queued');
		const again = gate.request({kind: 'emergency_rollback'}, () => controller.setPercent(0));
		expect(again).toEqual({status: 'refused', reason: 'ignored: emergency rollback: emergency rollback already queued'});
		const late = gate.request({kind: 'promote', targetPercent: 100}, () => controller.setPercent(100));
		expect(late.status).toBe('refused');
		expect(late.status === 'refused' ? late.reason : '').toMatch(/rollback was ordered; re-arm first/);
		await gate.idle();
		expect(s.writes.map((w) => w.percent)).toEqual([50, 0]);
		expect(s.state.percent).toBe(0);
		expect(rollback.status === 'queued' ? (await rollback.done).kind : null).toBe('ok');
		expect((await controller.read()).ok && s.state.percent).toBe(0);
	});

	it('refuses promotes during and after a rollback until re-armed', async () => {
		const {s, controller, gate} = await setup(40);
		const rollback = gate.request({kind: 'emergency_rollback'}, () => controller.setPercent(0));
		expect(rollback.status).toBe('started');
		expect(gate.request({kind: 'promote', targetPercent: 10}, () => controller.setPercent(10)).status).toBe('refused');
		expect(gate.rearm()).toEqual({ok: false, reason: 'refused: re-arm while a rollback is running'});
		await gate.idle();
		expect(gate.request({kind: 'promote', targetPercent: 10}, () => controller.setPercent(10)).status).toBe('refused');
		expect(gate.rearm()).toEqual({ok: true});
		const p = gate.request({kind: 'promote', targetPercent: 10}, () => controller.setPercent(10));
		expect(p.status).toBe('started');
		await gate.idle();
		expect(s.writes.map((w) => w.percent)).toEqual([0, 10]);
	});

	it('a full rollback during an emergency rollback is queued, not dropped', async () => {
		const gate = createActionGate({now: Date.now});
		const order: string[] = [];
		const slow = (name: string) => () => new Promise<string>((r) => setTimeout(() => r(name), 20)).then((n) => (order.push(n), n));
		expect(gate.request({kind: 'emergency_rollback'}, slow('emergency')).status).toBe('started');
		expect(gate.request({kind: 'full_rollback'}, slow('full')).status).toBe('queued');
		expect(gate.request({kind: 'hook', name: 'validate'}, slow('hook')).status).toBe('refused');
		await gate.idle();
		expect(order).toEqual(['emergency', 'full']);
	});

	it('a rejected action frees the gate', async () => {
		const gate = createActionGate({now: Date.now, debounceMs: 0});
		const t = gate.request({kind: 'hook', name: 'smoke'}, () => Promise.reject(new Error('boom')));
		expect(t.status).toBe('started');
		await expect(t.status === 'started' ? t.done : null).rejects.toThrow('boom');
		expect(gate.inFlight()).toBeNull();
		expect(gate.request({kind: 'hook', name: 'smoke'}, () => Promise.resolve(1)).status).toBe('started');
	});
});
