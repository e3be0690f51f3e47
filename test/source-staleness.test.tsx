/**
 * A source whose last good read is too old is `stale`, never ok: the pure rule
 * (`core/source-health.ts`), the engine with an injected clock (a CloudWatch
 * poll that stopped coming back, a flag API that stopped answering), and the
 * header and CloudWatch table as frames.
 */
import React from 'react';
import {render} from 'ink-testing-library';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import type {CloudWatchSnapshot, SourceState} from '../source/core/measurements.js';
import {judgeSourceAge, probesLastOkAt, sourceStaleBounds} from '../source/core/source-health.js';
import {demoPlan} from '../source/plan/demo-plan.js';
import {CloudWatchTable} from '../widgets/cloudwatch-table.js';
import {Header} from '../widgets/header.js';
import {ColorProvider} from '../widgets/theme.js';
import type {FlagPort} from '../source/engine/ports.js';
import {demoProbes} from './helpers/probe-snapshots.js';
import {scriptedEngine} from './helpers/scripted-engine.js';
import * as fx from './helpers/snapshot-fixtures.js';

const plan = demoPlan({serviceUrl: 'http://127.0.0.1:1', cloudwatchUrl: 'http://127.0.0.1:2'});

function mono(node: React.ReactElement): string {
	const {lastFrame, unmount} = render(<ColorProvider enabled={false}>{node}</ColorProvider>);
	const frame = lastFrame() ?? '';
	unmount();
	return frame;
}

describe('judgeSourceAge (pure)', () => {
	const unreachable: SourceState = {kind: 'error', code: 'unreachable', message: 'timed out after 5 s'};

	it('keeps what the source says while its last good read is within the bound', () => {
		expect(judgeSourceAge({kind: 'ok'}, 1000, 7000, 6000)).toEqual({kind: 'ok'});
		expect(judgeSourceAge(unreachable, 1000, 7000, 6000)).toEqual(unreachable);
	});

	it('past the bound an ok that stopped coming and an error are both stale, with the age and what the source says now', () => {
		expect(judgeSourceAge({kind: 'ok'}, 1000, 7001, 6000)).toEqual({kind: 'stale', lastOkAt: 1000, ageMs: 6001, why: 'no new reading'});
		expect(judgeSourceAge(unreachable, 1000, 63_000, 6000)).toEqual({kind: 'stale', lastOkAt: 1000, ageMs: 62_000, why: 'unreachable: timed out after 5 s'});
	});

	it('a source that never read well, a starting or a disabled one has no old values to judge', () => {
		expect(judgeSourceAge(unreachable, null, 99_000, 6000)).toEqual(unreachable);
		expect(judgeSourceAge({kind: 'starting'}, 1000, 99_000, 6000)).toEqual({kind: 'starting'});
		expect(judgeSourceAge({kind: 'disabled', why: 'off'}, 1000, 99_000, 6000).kind).toBe('disabled');
	});

	it('bounds: three check intervals for the probes and the flag, three real poll intervals for CloudWatch', () => {
		expect(sourceStaleBounds(plan, null)).toEqual({probes: 3000, flag: 3000, cloudwatch: 3000});
		expect(sourceStaleBounds(plan, 2000).cloudwatch).toBe(6000);
		// A real endpoint is polled every 10 s at the fastest: its bound follows the real interval, not the plan's wish.
		expect(sourceStaleBounds({canary: {...plan.canary, checkIntervalMs: 60_000}}, 10_000).cloudwatch).toBe(180_000);
	});

	it('the probes read well while some requests are answered; a window of failures keeps the old time', () => {
		const healthy = demoProbes(5000, {});
		expect(probesLastOkAt(healthy, null)).toBe(5000);
		const dead = demoProbes(9000, {board: {requests: 200, errors: 200}});
		expect(probesLastOkAt(dead, 5000)).toBe(5000);
		expect(probesLastOkAt([], 5000)).toBe(5000);
	});
});

describe('the engine judges each source by the age of its last good read (injected clock)', () => {
	beforeEach(() => {
		vi.useFakeTimers({now: new Date('2026-11-23T10:00:00Z')});
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('a CloudWatch poll that stopped coming back and a flag API that stopped answering turn stale, never ok', async () => {
		let frozen: CloudWatchSnapshot | null = null;
		let flagUp = true;
		const flag: FlagPort = {
			read: async () => (flagUp ? {ok: true, percent: 0, version: 1} : {ok: false, error: 'connect ECONNREFUSED 127.0.0.1:1'}),
			setPercent: async () => ({kind: 'failed', detail: 'not in this test'}),
		};
		const h = scriptedEngine({
			// Manual: nothing writes; the flag is only read, at every check.
			auto: false,
			flag,
			cloudwatch: {
				// The demo's loopback interval: the bound is 3 × 2 s.
				pollIntervalMs: () => 2000,
				latest: () => frozen ?? {...fx.cloudwatch(Date.now()), lastSuccessAt: Date.now()},
				stop: async () => undefined,
			},
		});
		await h.engine.start();
		await vi.advanceTimersByTimeAsync(3000);
		expect(h.engine.getSnapshot().sources).toMatchObject({cloudwatch: {kind: 'ok'}, flag: {kind: 'ok'}, probes: {kind: 'ok'}});
		// The poll hangs: the last snapshot still says ok, but it grows older; the flag API refuses connections.
		frozen = {...fx.cloudwatch(Date.now()), lastSuccessAt: Date.now()};
		flagUp = false;
		const seen: Array<[string, string]> = [];
		for (let i = 0; i < 12; i++) {
			await vi.advanceTimersByTimeAsync(1000);
			const {cloudwatch, flag: flagState} = h.engine.getSnapshot().sources;
			seen.push([cloudwatch.kind, flagState.kind]);
		}
		// Within its bound a source may still say what it says (ok, or the flag's error); past it, stale and only stale.
		expect(seen.slice(7).map(([cw]) => cw)).toEqual(['stale', 'stale', 'stale', 'stale', 'stale']);
		expect(seen.slice(4).map(([, f]) => f)).toEqual(Array(8).fill('stale'));
		const {cloudwatch, flag: flagState} = h.engine.getSnapshot().sources;
		expect(cloudwatch).toMatchObject({kind: 'stale', why: 'no new reading'});
		expect(cloudwatch.kind === 'stale' && cloudwatch.ageMs).toBeGreaterThan(6000);
		expect(flagState).toMatchObject({kind: 'stale', why: 'unreachable: connect ECONNREFUSED 127.0.0.1:1'});
		// The table's badge says what the source line says.
		expect(h.engine.getSnapshot().cloudwatch?.state.kind).toBe('stale');
		await h.engine.stop();
	});
});

describe('frames', () => {
	it('the header and the CloudWatch table show a stale source with its age, never ✓ ok', () => {
		const s = fx.stage30Green();
		const state: SourceState = {kind: 'stale', lastOkAt: s.at - 62_000, ageMs: 62_000, why: 'unreachable: timed out after 5 s'};
		const stale = {
			...s,
			cloudwatch: {...fx.cloudwatch(s.at), state, lastSuccessAt: s.at - 62_000},
			sources: {...s.sources, cloudwatch: state, flag: {kind: 'stale', lastOkAt: s.at - 9000, ageMs: 9000, why: 'no new reading'} as SourceState},
		};
		const header = mono(<Header snapshot={stale} width={200} />);
		expect(header).toContain('CloudWatch ✗ stale (last ok 1min2s ago; unreachable: timed out after 5 s)');
		expect(header).toContain('flag ✗ stale (last ok 9s ago; no new reading)');
		expect(header).not.toMatch(/CloudWatch ✓|flag ✓/);
		const table = mono(<CloudWatchTable cloudwatch={stale.cloudwatch} now={s.at} width={120} />);
		expect(table).toContain('CloudWatch ✗ stale (last ok 1min2s ago');
		// Alarm rows carry their age (the last good poll's), and an old OK reads STALE, not OK.
		expect(table).toMatch(/\? STALE 1m/);
		expect(table).not.toMatch(/✓ OK|✓ Complete/);
	});
});
