/**
 * The App with a fake EngineHandle that records `send` calls and publishes
 * snapshots: real Ink, real key bytes on stdin, frames read back.
 */
import React from 'react';
import {afterEach, describe, expect, test} from 'vitest';
import {App} from '../source/app.js';
import type {EngineHandle, OperatorCommand} from '../source/core/operator-commands.js';
import type {Snapshot} from '../source/core/snapshot.js';
import * as fx from './helpers/snapshot-fixtures.js';
import {renderAtSize, stringWidth, type Rendered} from './helpers/render-at-size.js';

class FakeEngine implements EngineHandle {
	readonly sent: OperatorCommand[] = [];
	private listeners = new Set<(s: Snapshot) => void>();
	constructor(private snapshot: Snapshot) {}
	subscribe(listener: (s: Snapshot) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
	getSnapshot(): Snapshot {
		return this.snapshot;
	}
	send(command: OperatorCommand): void {
		this.sent.push(command);
	}
	publish(snapshot: Snapshot): void {
		this.snapshot = snapshot;
		for (const l of this.listeners) l(snapshot);
	}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (bounded) until the last frame satisfies `check`. */
async function frameWhere(r: Rendered, check: (frame: string) => boolean, timeoutMs = 2000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (check(r.lastFrame())) return r.lastFrame();
		await sleep(10);
	}
	throw new Error(`frame never matched; last frame:\n${r.lastFrame()}`);
}

/** Keys one at a time, as a terminal sends them, with a tick between for React. */
async function press(r: Rendered, ...keys: string[]): Promise<void> {
	for (const k of keys) {
		r.stdin.write(k);
		await sleep(15);
	}
}

let r: Rendered | null = null;
afterEach(() => {
	r?.instance.unmount();
	r = null;
});

function mount(snapshot: Snapshot, columns = 100, rows = 30, onQuit = () => {}) {
	const engine = new FakeEngine(snapshot);
	r = renderAtSize(<App engine={engine} onQuit={onQuit} color={false} frameIntervalMs={50} />, columns, rows);
	return {engine, r};
}

describe('app', () => {
	test('p + confirm → exactly one promote', async () => {
		const {engine, r} = mount(fx.stage30Green());
		await frameWhere(r, (f) => f.includes('Board p95'));
		await press(r, 'p');
		await frameWhere(r, (f) => f.includes('Set STATUS_BOARD_V2_ENABLED to 50 % (now 30 %)'));
		expect(engine.sent).toEqual([]);
		// 30 % has held 4:12 of 10:00: Enter alone sends nothing; typing SKIP sends one promote that says so.
		await press(r, '\r', '\r');
		expect(engine.sent).toEqual([]);
		await press(r, ...'SKIP', '\r', '\r');
		expect(engine.sent).toEqual([{type: 'promote', to: 50, skip: true}]);
	});

	test('r + reason + Enter → one emergency_rollback with the reason', async () => {
		const {engine, r} = mount(fx.stage30Green());
		await press(r, 'r');
		await frameWhere(r, (f) => f.includes('EMERGENCY ROLLBACK'));
		await press(r, ...'p95 spike on board');
		const frame = await frameWhere(r, (f) => f.includes('reason: p95 spike on board'));
		expect(frame).toContain('Set STATUS_BOARD_V2_ENABLED to 0 % (emergency rollback) — reason: p95 spike on board');
		expect(engine.sent).toEqual([]);
		await press(r, '\r');
		expect(engine.sent).toEqual([{type: 'emergency_rollback', reason: 'p95 spike on board'}]);
	});

	test('a dangerous key while in flight: no send, "ignored" on screen', async () => {
		const {engine, r} = mount(fx.promoteInFlight());
		await press(r, 'p');
		await frameWhere(r, (f) => f.includes('ignored: promote already in flight'));
		await press(r, '\r', 'a', 'y', '\r', 'p', '\r');
		expect(engine.sent).toEqual([]);
	});

	test('the screen follows new snapshots (coalesced to the frame rate)', async () => {
		const {engine, r} = mount(fx.stage30Green());
		await frameWhere(r, (f) => f.includes('stage 30 %'));
		const before = r.stdout.frames.length;
		// 50 snapshots in a burst: far fewer frames than snapshots.
		const base = fx.breachWithNoData();
		for (let i = 0; i < 50; i++) engine.publish({...base, at: base.at + i * 10});
		const frame = await frameWhere(r, (f) => f.includes('stage 50 %') && f.includes('BREACH'));
		expect(frame).toContain('912 ms need < 800 ms');
		await sleep(120);
		expect(r.stdout.frames.length - before).toBeLessThan(10);
	});

	test('quit: immediate when nothing is live, confirmed while live', async () => {
		let quits = 0;
		const live = mount(fx.stage30Green(), 100, 30, () => quits++);
		await press(live.r, 'q');
		await frameWhere(live.r, (f) => f.includes('Quit golive?'));
		expect(quits).toBe(0);
		await press(live.r, '\u0003');
		expect(quits).toBe(1);
		live.r.instance.unmount();
		const done = mount(fx.succeeded(), 100, 30, () => quits++);
		await press(done.r, 'q');
		expect(quits).toBe(2);
	});

	test('help overlay from the keymap', async () => {
		const {r} = mount(fx.stage30Green());
		await press(r, '?');
		const frame = await frameWhere(r, (f) => f.includes('Keys'));
		expect(frame).toContain('Emergency rollback: flag to 0 % now (asks for a reason)');
	});
});

describe('layout sizes', () => {
	const states: [string, () => Snapshot][] = [
		['pre-launch', fx.preLaunch],
		['stage 30 % green', fx.stage30Green],
		['breach with no data', fx.breachWithNoData],
		['rolled back', fx.rolledBack],
		['succeeded', fx.succeeded],
		['CloudWatch throttled', fx.cloudwatchThrottled],
		['no credentials', fx.cloudwatchNoCredentials],
	];
	test.each(states)('80×24 fits: %s', async (_name, make) => {
		const {r} = mount(make(), 80, 24);
		const frame = await frameWhere(r, (f) => f.includes('help'));
		const lines = frame.split('\n');
		expect(lines.length).toBeLessThanOrEqual(24);
		for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(80);
		// The essentials are on screen even at 80×24.
		expect(frame).toContain('StatusBoardV2');
		expect(frame).toContain('Board p95');
		expect(frame).toContain('Why');
		expect(frame).toMatch(/\?\s+help/);
	});

	test('80×24 with a dialog open still fits', async () => {
		const {r} = mount(fx.stage30Green(), 80, 24);
		await press(r, 'r', ...'slow');
		const frame = await frameWhere(r, (f) => f.includes('reason: slow'));
		expect(frame.split('\n').length).toBeLessThanOrEqual(24);
		for (const line of frame.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(80);
	});

	test('160×48 shows the charts, the full gate list and the CloudWatch grid', async () => {
		const {r} = mount(fx.breachWithNoData(), 160, 48);
		const frame = await frameWhere(r, (f) => f.includes('Board p95'));
		const lines = frame.split('\n');
		expect(lines.length).toBeLessThanOrEqual(48);
		for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(160);
		expect(lines.filter((l) => /\d[┤┼]/.test(l)).length).toBeGreaterThanOrEqual(5);
		expect(frame).toContain('Gate G · PENDING Stabilization');
		expect(frame).toMatch(/│ API p95 \(ALB\)\s+│/);
		expect(frame).toContain('📋');
	});

	test('re-flows on resize', async () => {
		const {r} = mount(fx.stage30Green(), 160, 48);
		await frameWhere(r, (f) => f.includes('┤'));
		r.stdout.resize(80, 24);
		const frame = await frameWhere(r, (f) => !f.includes('╭'));
		expect(frame.split('\n').length).toBeLessThanOrEqual(24);
		for (const line of frame.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(80);
	});
});
