/**
 * The launch engine on scripted ports: probe snapshots the test chooses, an
 * in-memory flag with a write counter, a journal array. The clock is Date.now,
 * so tests drive it with vitest's fake timers.
 */
import type {CloudWatchSnapshot, ProbeSnapshot} from '../../source/core/measurements.js';
import {createLaunchEngine, type EngineEvent, type LaunchEngineOptions} from '../../source/engine/launch-engine.js';
import type {FlagPort, FlagWriteResult, JournalPort} from '../../source/engine/ports.js';
import type {JournalInput} from '../../source/journal/records.js';
import {demoPlan} from '../../source/plan/demo-plan.js';
import {demoSignOffs} from '../../source/plan/demo-sign-offs.js';
import {demoProbes, type ProbeNumbers} from './probe-snapshots.js';

// Scripted probe numbers carry no V1/V2 split, so the V2-vs-V1 judge (test/judge-*.test.ts) is left out here.
const demo = demoPlan({serviceUrl: 'http://127.0.0.1:9', cloudwatchUrl: 'http://127.0.0.1:9'});
const plan = {...demo, slos: demo.slos.map(({compare: _judge, ...rule}) => rule)};

function cloudwatchOk(at: number): CloudWatchSnapshot {
	return {
		at,
		state: {kind: 'ok'},
		metrics: [],
		alarms: [{name: 'statusboard-api-5xx-rate', state: 'OK', reason: 'fine', updatedAt: at - 1000}],
		missingAlarms: [],
		callsLastHour: 10,
		lastSuccessAt: at,
	};
}

export type Harness = {
	engine: ReturnType<typeof createLaunchEngine>;
	writes: number[];
	/** Reasons the full-rollback command ran with. */
	fullRollbacks: string[];
	records: JournalInput[];
	events: EngineEvent[];
	setProbes(overrides: Partial<Record<string, Partial<ProbeNumbers>>> | null): void;
	setAlarm(state: 'OK' | 'ALARM'): void;
	/** Someone sets the flag outside golive (not counted as golive's write). */
	setFlagByHand(percent: number): void;
};

/** A recorded stream: what the probes see at a time, given the flag percent. */
export type ProbeScript = (at: number, percent: number) => Partial<Record<string, Partial<ProbeNumbers>>> | null;

export function scriptedEngine(extra: Partial<LaunchEngineOptions> = {}, script?: ProbeScript): Harness {
	let percent = 0;
	let version = 1;
	const writes: number[] = [];
	const fullRollbacks: string[] = [];
	const records: JournalInput[] = [];
	const events: EngineEvent[] = [];
	let overrides: Partial<Record<string, Partial<ProbeNumbers>>> | null = {};
	let alarm: 'OK' | 'ALARM' = 'OK';
	let canarySeenUntil = 0;
	const flag: FlagPort = {
		async fullRollback(reason, onSend): Promise<FlagWriteResult> {
			await onSend?.({kind: 'command', argv: ['./rollback.sh', 'full', '--reason', reason]});
			fullRollbacks.push(reason);
			return {kind: 'ok', percent, version, detail: 'rollback.sh full exited 0'};
		},
		read: async () => ({ok: true, percent, version}),
		async setPercent(target, _expect, onSend): Promise<FlagWriteResult> {
			await onSend?.({kind: 'http', method: 'PUT', url: 'flag', body: {rolloutPercent: target}});
			// The canary variant keeps answering until the flag write lands.
			if (target === 0) canarySeenUntil = Date.now();
			percent = target;
			version += 1;
			writes.push(target);
			return {kind: 'ok', percent, version, detail: `read back ${percent} %`};
		},
	};
	const journal: JournalPort = {
		append: async (entry) => {
			records.push(entry);
		},
		close: async () => undefined,
		path: null,
	};
	let total = 0;
	let successes = 0;
	let canaryCount = 0;
	const engine = createLaunchEngine({
		plan,
		now: () => Date.now(),
		probes: {
			latest(): ProbeSnapshot[] {
				const at = Date.now();
				if (script) overrides = script(at, percent);
				if (overrides === null) return [];
				total += 100;
				// Each look adds 100 board responses; the ones the scripted error count says failed are not successes.
				successes += 100 - Math.min(100, overrides.board?.errors ?? 0);
				// The canary variant answers a share of requests while the flag is up, none after.
				if (percent > 0) canaryCount += percent;
				const v2 = {count: canaryCount, lastSeenAt: percent > 0 ? at : canarySeenUntil};
				return demoProbes(at, {...overrides, board: {v2, totalRequests: total, totalSuccesses: successes, ...overrides.board}});
			},
			stop: async () => undefined,
		},
		cloudwatch: {
			latest: () => {
				const snapshot = cloudwatchOk(Date.now());
				return alarm === 'OK'
					? snapshot
					: {...snapshot, alarms: [{name: 'statusboard-v2-dynamodb-throttles', state: 'ALARM', reason: 'Threshold crossed', updatedAt: Date.now()}]};
			},
			stop: async () => undefined,
		},
		flag,
		journal,
		infra: {
			run: async () => ({
				a_health: {status: 'pass', detail: '200'},
				b_health: {status: 'pass', detail: '200'},
				b_rollback: {status: 'pass', detail: 'reads back'},
			}),
		},
		auto: true,
		signOffs: [...demoSignOffs],
		preLaunchTimeoutMs: 20_000,
		launch: {id: 'test', planHash: 'abc'},
		...extra,
	});
	engine.onEvent((e) => events.push(e));
	return {
		engine,
		writes,
		fullRollbacks,
		records,
		events,
		setProbes: (o) => {
			overrides = o;
		},
		setAlarm: (s) => {
			alarm = s;
		},
		setFlagByHand: (p) => {
			percent = p;
			version += 1;
		},
	};
}
