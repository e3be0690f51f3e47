/**
 * Acknowledging an outside flag change through the engine, with fake timers:
 * the console's launch waits for its operator (it does not end aborted), the
 * acknowledgement is journaled, and at 0 % nothing starts until the operator does.
 */
import {afterEach, beforeEach, expect, it, vi} from 'vitest';
import {createControlHandler} from '../source/control/owner.js';
import {demoPlan} from '../source/plan/demo-plan.js';
import {scriptedEngine} from './helpers/scripted-engine.js';

beforeEach(() => {
	vi.useFakeTimers({now: new Date('2026-11-23T10:00:00Z')});
});
afterEach(() => {
	vi.useRealTimers();
});

it('console: flag set to 0 by hand at 10 % → stopped, waits; acknowledged → stays at 0 until the operator promotes', async () => {
	const h = scriptedEngine({operatorPresent: true});
	let ended = false;
	void h.engine.done.then(() => {
		ended = true;
	});
	await h.engine.start();
	for (let i = 0; i < 60 && !h.writes.includes(10); i++) await vi.advanceTimersByTimeAsync(1000);
	expect(h.writes).toEqual([10]);
	h.setFlagByHand(0);
	await vi.advanceTimersByTimeAsync(3000);
	const stopped = h.engine.getSnapshot();
	expect(stopped.canary.phase).toMatchObject({kind: 'aborted', outside: {from: 10, to: 0}});
	expect(stopped.flagObservation?.outsideChange).toMatchObject({from: 10, to: 0, acknowledged: false});
	// The operator is there: the launch waits instead of ending aborted.
	await vi.advanceTimersByTimeAsync(10_000);
	expect(ended).toBe(false);

	h.engine.send({type: 'acknowledge'});
	const acknowledged = h.engine.getSnapshot();
	expect(acknowledged.canary.phase).toEqual({kind: 'pre'});
	expect(acknowledged.flagObservation?.outsideChange).toMatchObject({acknowledged: true});
	expect(h.records).toContainEqual(expect.objectContaining({type: 'note', text: 'operator: acknowledge STATUS_BOARD_V2_ENABLED at 0 %', by: 'operator'}));
	await vi.advanceTimersByTimeAsync(1000);
	expect(h.records).toContainEqual(
		expect.objectContaining({type: 'decision', decision: expect.objectContaining({reason: expect.stringMatching(/^Acknowledged by operator: .* reads 0%/)})}),
	);
	// --auto and green for 30 s: still 0 %, never auto-started.
	await vi.advanceTimersByTimeAsync(30_000);
	expect(h.writes).toEqual([10]);
	h.engine.send({type: 'promote'});
	await vi.advanceTimersByTimeAsync(1000);
	expect(h.writes).toEqual([10, 10]);
	await h.engine.stop();
});

it('headless: the same outside change ends the launch aborted (no operator to acknowledge it)', async () => {
	const h = scriptedEngine();
	await h.engine.start();
	for (let i = 0; i < 60 && !h.writes.includes(10); i++) await vi.advanceTimersByTimeAsync(1000);
	h.setFlagByHand(0);
	await vi.advanceTimersByTimeAsync(3000);
	const result = await h.engine.done;
	expect(result.outcome).toBe('aborted');
	expect(h.writes).toEqual([10]);
});

it('golive acknowledge through the owner: journaled as a control request, refused with nothing to acknowledge, accepted after an outside change', async () => {
	const h = scriptedEngine({operatorPresent: true});
	const control: unknown[] = [];
	const handle = createControlHandler({
		engine: h.engine,
		plan: demoPlan({serviceUrl: 'http://127.0.0.1:9', cloudwatchUrl: 'http://127.0.0.1:9'}),
		journal: {append: async (entry) => void control.push(entry), close: async () => undefined, path: null},
		now: () => Date.now(),
		outcome: () => null,
	});
	const request = {v: 1 as const, command: 'acknowledge' as const, requester: {by: 'cli' as const, user: 'ops', pid: 1}};
	await h.engine.start();
	for (let i = 0; i < 60 && !h.writes.includes(10); i++) await vi.advanceTimersByTimeAsync(1000);
	const early = await handle(request);
	expect(early).toMatchObject({ok: true, accepted: false});
	h.setFlagByHand(30);
	await vi.advanceTimersByTimeAsync(3000);
	const done = await handle(request);
	expect(done).toMatchObject({ok: true, accepted: true, status: {phase: 'stage', stage: {percent: 30}, armed: true}});
	expect(control).toContainEqual(expect.objectContaining({type: 'control', command: 'acknowledge', user: 'ops'}));
	expect(h.writes).toEqual([10]);
	await h.engine.stop();
});
