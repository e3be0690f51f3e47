/**
 * The launch engine with an injected clock and fake timers: scripted probe
 * snapshots in, flag writes, journal records and results out.
 */
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {demoPlan} from '../source/plan/demo-plan.js';
import {scriptedEngine} from './helpers/scripted-engine.js';

beforeEach(() => {
	vi.useFakeTimers({now: new Date('2026-11-23T10:00:00Z')});
});
afterEach(() => {
	vi.useRealTimers();
});

describe('launch engine', () => {
	it('shows the plan before the first check: its rules as NO DATA, its gates pending, CloudWatch starting (never an empty plan)', () => {
		// What the real ports hold before their first read: no probe snapshot, CloudWatch starting.
		const starting = {at: Date.now(), state: {kind: 'starting'}, metrics: [], alarms: [], missingAlarms: [], callsLastHour: 0, lastSuccessAt: null} as const;
		const h = scriptedEngine({
			probes: {latest: () => [], stop: async () => undefined},
			cloudwatch: {latest: () => ({...starting, metrics: [], alarms: [], missingAlarms: []}), stop: async () => undefined},
		});
		const s = h.engine.getSnapshot();
		expect(s.slos.map((r) => r.ruleId)).toEqual(['board_p95', 'drawer_avg', 'error_rate', 'occ_conflicts']);
		expect(s.slos.every((r) => r.status === 'NO_DATA')).toBe(true);
		expect(s.gates.map((g) => g.gate)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
		expect(s.gates.some((g) => g.status === 'pass')).toBe(false);
		// Configured is not verified: the rollback item waits for the flag to read back.
		expect(s.gates.flatMap((g) => g.items).find((i) => /[Rr]ollback configured/.test(i.label))?.status).toBe('pending');
		expect(s.sources.cloudwatch.kind).toBe('starting');
	});

	it('disk full during a rollback: nothing is sent without its intent on disk, the rollback reads FAILING, and it goes out once the journal writes again', async () => {
		const records: Array<{type: string}> = [];
		let diskFull = false;
		const journal = {
			append: async (entry: {type: string}) => {
				if (diskFull) throw Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'});
				records.push(entry);
			},
			close: async () => undefined,
			path: null,
		};
		const h = scriptedEngine({journal});
		await h.engine.start();
		for (let i = 0; i < 60 && !h.writes.includes(30); i++) await vi.advanceTimersByTimeAsync(1000);
		expect(h.writes).toEqual([10, 30]);
		diskFull = true;
		h.setProbes({board: {requests: 200, p95: 2600, mean: 900, errors: 12}});
		await vi.advanceTimersByTimeAsync(15_000);
		// Journal before acting: the flag was not touched, and the screen does not claim it was.
		expect(h.writes).toEqual([10, 30]);
		const failing = h.engine.getSnapshot();
		expect(failing.mitigation?.rollback.phase).toMatch(/^(failing|writing)$/);
		expect(failing.canary.phase.kind).not.toBe('stage');
		expect(failing.log.some((l) => l.text.includes('the journal could not record the intent'))).toBe(true);
		diskFull = false;
		for (let i = 0; i < 30 && !h.writes.includes(0); i++) await vi.advanceTimersByTimeAsync(1000);
		expect(h.writes).toEqual([10, 30, 0]);
		const intents = records.filter((r) => r.type === 'intent');
		expect(intents).toHaveLength(3);
		await h.engine.stop();
	});

	it('a launch stopped before it started never starts: no launch_start, no write, the end note is the last record', async () => {
		const h = scriptedEngine();
		await h.engine.stop('interrupted', 'interrupted by SIGHUP');
		await h.engine.start();
		await vi.advanceTimersByTimeAsync(5000);
		expect(h.records.some((r) => r.type === 'launch_start')).toBe(false);
		expect(h.writes).toEqual([]);
		expect(h.records.at(-1)).toMatchObject({type: 'note', text: 'console stopped: interrupted by SIGHUP'});
	});

	it('a launch stopped while its start is being journaled journals nothing after its end note (no sign-off, no flag read)', async () => {
		const records: Array<{type: string; text?: string}> = [];
		let release: () => void = () => undefined;
		const launchStartWritten = new Promise<void>((resolve) => {
			release = resolve;
		});
		// Like the real journal: records land in call order; this one's write is slow (a busy disk).
		const journal = {
			append: async (entry: {type: string}) => {
				records.push(entry);
				if (entry.type === 'launch_start') await launchStartWritten;
			},
			close: async () => undefined,
			path: null,
		};
		const h = scriptedEngine({journal});
		const started = h.engine.start();
		const stopped = h.engine.stop('interrupted', 'interrupted by SIGHUP');
		release();
		await started;
		await stopped;
		expect(records.map((r) => r.type)).not.toContain('sign_off');
		expect(records.at(-1)).toMatchObject({type: 'note', text: 'console stopped: interrupted by SIGHUP'});
		expect(h.writes).toEqual([]);
	});

	it('the start-up flag read is what the flag reads now: flagObservation agrees with flagPercent from the first check', async () => {
		const h = scriptedEngine({auto: false});
		await h.engine.start();
		const s = h.engine.getSnapshot();
		expect(s.flagPercent).toBe(0);
		expect(s.flagObservation).toMatchObject({percent: 0, outsideChange: null});
		expect(s.flagObservation?.readAt).not.toBeNull();
		await h.engine.stop();
	});

	it('runs a healthy launch 10→30→50→100→G and ends in success, journaling every intent before its effect', async () => {
		const h = scriptedEngine();
		await h.engine.start();
		await vi.advanceTimersByTimeAsync(90_000);
		const result = await h.engine.done;
		expect(result.outcome).toBe('success');
		expect(result.exitCode).toBe(0);
		expect(h.writes).toEqual([10, 30, 50, 100]);
		// Write-ahead: each effect and outcome comes after its intent.
		const seen = new Set<string>();
		for (const r of h.records) {
			if (r.type === 'intent') seen.add(r.id);
			if (r.type === 'effect' || r.type === 'outcome') expect(seen.has(r.id)).toBe(true);
		}
		expect(h.records.at(-1)).toMatchObject({type: 'launch_end', outcome: 'success'});
		expect(h.events.some((e) => e.kind === 'log' && /Gate G PASSED/.test(e.entry.message ?? e.entry.text))).toBe(true);
	});

	it('rolls back on a latency regression at 30 %, confirms mitigation by the probes, exit 1', async () => {
		const h = scriptedEngine();
		await h.engine.start();
		// Until 30 % is confirmed the service is healthy.
		for (let i = 0; i < 60 && !h.writes.includes(30); i++) await vi.advanceTimersByTimeAsync(1000);
		expect(h.writes).toEqual([10, 30]);
		h.setProbes({board: {requests: 200, p95: 2600, mean: 900, errors: 12}});
		for (let i = 0; i < 15 && !h.writes.includes(0); i++) await vi.advanceTimersByTimeAsync(1000);
		// V1 alone again: healthy numbers from responses after the rollback.
		h.setProbes({});
		await vi.advanceTimersByTimeAsync(15_000);
		const result = await h.engine.done;
		expect(result.outcome).toBe('rolled_back');
		expect(result.exitCode).toBe(1);
		expect(h.writes).toEqual([10, 30, 0]);
		const rollback = h.events.find((e) => e.kind === 'decision' && e.decision.kind === 'rollback');
		expect(rollback?.kind === 'decision' && rollback.decision.evidence.length).toBeGreaterThan(0);
		expect(h.engine.getSnapshot().mitigation).toMatchObject({rollback: {phase: 'verified'}});
		expect(h.engine.getSnapshot().mitigation?.confirmedAt).not.toBeNull();
		expect(h.records.at(-1)).toMatchObject({type: 'launch_end', mitigation: {flagPercent: 0, verified: true, healthRestored: true}});
	});

	it('a rollback whose service stays sick is "applied — NOT healthy", never "Health verified"', async () => {
		const h = scriptedEngine();
		await h.engine.start();
		for (let i = 0; i < 60 && !h.writes.includes(30); i++) await vi.advanceTimersByTimeAsync(1000);
		// Every response an error, during and after the rollback (a hung or broken service).
		h.setProbes({board: {requests: 200, p95: 2600, mean: 900, errors: 200}});
		// The demo plan watches health for 30 s after the flag reads 0 %.
		await vi.advanceTimersByTimeAsync(45_000);
		const result = await h.engine.done;
		expect(h.writes.at(-1)).toBe(0);
		expect(result.outcome).toBe('rolled_back');
		expect(result.reason).toMatch(/Rollback applied — service NOT healthy: 0 of 20 successful responses/);
		expect(h.engine.getSnapshot().mitigation).toMatchObject({confirmedAt: null, rollback: {phase: 'not_healthy'}});
		const said = h.events.map((e) => (e.kind === 'log' ? `${e.entry.text} ${e.entry.message ?? ''}` : '')).join('\n');
		expect(said).not.toMatch(/Health verified|COMPLETE|Mitigation (confirmed|verified)/);
		expect(h.records.at(-1)).toMatchObject({type: 'launch_end', mitigation: {flagPercent: 0, verified: true, healthRestored: false}});
	});

	it('rolls back naming the alarm when one goes to ALARM during the canary', async () => {
		const h = scriptedEngine();
		await h.engine.start();
		for (let i = 0; i < 30 && !h.writes.includes(10); i++) await vi.advanceTimersByTimeAsync(1000);
		h.setAlarm('ALARM');
		for (let i = 0; i < 20 && !h.writes.includes(0); i++) await vi.advanceTimersByTimeAsync(1000);
		h.setAlarm('OK');
		await vi.advanceTimersByTimeAsync(20_000);
		const result = await h.engine.done;
		expect(result.outcome).toBe('rolled_back');
		expect(result.reason).toContain('statusboard-v2-dynamodb-throttles');
		expect(h.writes.at(-1)).toBe(0);
	});

	it('never starts on no data and ends inconclusive (exit 3) when the gates cannot pass', async () => {
		const h = scriptedEngine();
		h.setProbes(null);
		await h.engine.start();
		await vi.advanceTimersByTimeAsync(25_000);
		const result = await h.engine.done;
		expect(result.outcome).toBe('inconclusive');
		expect(result.exitCode).toBe(3);
		expect(result.reason).toMatch(/Gate A/);
		expect(h.writes).toEqual([]);
	});

	it('waits for the UAT sign-offs: one approval is not enough, and nothing is written', async () => {
		const h = scriptedEngine({signOffs: [{itemId: 'a_uat', role: 'qa_lead', name: 'Jane Smith'}]});
		await h.engine.start();
		await vi.advanceTimersByTimeAsync(25_000);
		const result = await h.engine.done;
		expect(result.outcome).toBe('inconclusive');
		expect(result.reason).toMatch(/UAT/);
		expect(h.writes).toEqual([]);
	});

	it('turns a burst of 50 promote presses into exactly one flag write', async () => {
		const h = scriptedEngine({auto: false});
		await h.engine.start();
		await vi.advanceTimersByTimeAsync(5000);
		for (let i = 0; i < 50; i++) h.engine.send({type: 'promote'});
		await vi.advanceTimersByTimeAsync(500);
		expect(h.writes).toEqual([10]);
		expect(h.engine.getSnapshot().log.some((l) => l.text.startsWith('ignored'))).toBe(true);
		await h.engine.stop();
	});

	it('a rollback pressed while a promote is in flight wins: the launch ends rolled back', async () => {
		const h = scriptedEngine({auto: false});
		await h.engine.start();
		await vi.advanceTimersByTimeAsync(5000);
		h.engine.send({type: 'promote'});
		h.engine.send({type: 'emergency_rollback', reason: 'operator saw errors'});
		h.engine.send({type: 'promote'});
		await vi.advanceTimersByTimeAsync(10_000);
		expect(h.writes.at(-1)).toBe(0);
		expect(h.engine.getSnapshot().canary.phase.kind).toBe('rolled_back');
		await h.engine.stop();
	});

	it('a full rollback asked for while the emergency rollback is in flight still runs its command, after the flag write', async () => {
		const base = demoPlan({serviceUrl: 'http://127.0.0.1:9', cloudwatchUrl: 'http://127.0.0.1:9'});
		const plan = {
			...base,
			actions: {...base.actions, fullRollback: {kind: 'command' as const, argv: ['./rollback.sh', 'full', '--reason', '{reason}'], timeoutMs: 1000}},
		};
		const h = scriptedEngine({plan, auto: false});
		await h.engine.start();
		await vi.advanceTimersByTimeAsync(5000);
		h.engine.send({type: 'promote'});
		await vi.advanceTimersByTimeAsync(2000);
		h.engine.send({type: 'emergency_rollback', reason: 'errors up'});
		h.engine.send({type: 'full_rollback', reason: 'data integrity'});
		await vi.advanceTimersByTimeAsync(2000);
		expect(h.writes).toEqual([10, 0]);
		expect(h.fullRollbacks).toEqual(['Operator full rollback: data integrity']);
		const intents = h.records.filter((r) => r.type === 'intent');
		expect(intents.map((r) => r.type === 'intent' && [r.action, r.targetPercent, r.by])).toEqual([
			['promote', 10, 'operator'],
			['emergency_rollback', 0, 'operator'],
			['full_rollback', null, 'operator'],
		]);
		await h.engine.stop();
	});
});
