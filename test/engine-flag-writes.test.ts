/**
 * Key presses against the real flag API of the simulated service: a burst of
 * 50 promotes is one flag write (counted by the service), and a promote
 * racing a rollback ends rolled back.
 */
import {afterEach, beforeEach, expect, it} from 'vitest';
import {startDemoService, type DemoService} from '../source/demo/service.js';
import {createLaunchEngine, type LaunchEngine} from '../source/engine/launch-engine.js';
import {flagPort} from '../source/engine/wire.js';
import {demoPlan} from '../source/plan/demo-plan.js';
import {demoSignOffs} from '../source/plan/demo-sign-offs.js';
import {demoProbes} from './helpers/probe-snapshots.js';

let service: DemoService;
let engine: LaunchEngine | null = null;

beforeEach(async () => {
	service = await startDemoService({latencyScale: 0.05});
});
afterEach(async () => {
	await engine?.stop();
	engine = null;
	await service.close();
});

async function startEngine(): Promise<LaunchEngine> {
	const now = () => Date.now();
	const plan = {
		...demoPlan({serviceUrl: service.url, cloudwatchUrl: 'http://127.0.0.1:1'}),
		canary: {...demoPlan({serviceUrl: service.url, cloudwatchUrl: 'http://127.0.0.1:1'}).canary, checkIntervalMs: 200},
	};
	const flag = flagPort({plan, env: {}, now});
	const launch = createLaunchEngine({
		plan,
		now,
		// Healthy measurements: the point here is the flag API, not the probes.
		probes: {latest: () => demoProbes(Date.now()), stop: async () => undefined},
		cloudwatch: {
			latest: () => ({
				at: Date.now(),
				state: {kind: 'ok'},
				metrics: [],
				alarms: [{name: 'statusboard-api-5xx-rate', state: 'OK', reason: 'ok', updatedAt: Date.now()}],
				missingAlarms: [],
				callsLastHour: 0,
				lastSuccessAt: Date.now(),
			}),
			stop: async () => undefined,
		},
		flag,
		// The journal is not what this test looks at.
		journal: {append: async () => undefined, close: async () => undefined, path: null},
		infra: {
			run: async () => ({
				a_health: {status: 'pass', detail: '200'},
				b_health: {status: 'pass', detail: '200'},
				b_rollback: {status: 'pass', detail: 'reads back'},
			}),
		},
		auto: false,
		signOffs: [...demoSignOffs],
		launch: {id: 'flag-writes', planHash: 'x'},
	});
	await launch.start();
	// Promote needs a passing check first.
	await new Promise((resolve) => setTimeout(resolve, 700));
	return launch;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));

it('a burst of 50 promote presses makes exactly one flag write on the service', async () => {
	engine = await startEngine();
	const before = service.flagWrites();
	for (let i = 0; i < 50; i++) engine.send({type: 'promote'});
	await settle();
	expect(service.flagWrites() - before).toBe(1);
	expect(service.flag().rolloutPercent).toBe(10);
	expect(engine.getSnapshot().log.filter((l) => l.text.startsWith('ignored')).length).toBeGreaterThanOrEqual(49);
});

it('a promote racing a rollback ends rolled back on the service', async () => {
	engine = await startEngine();
	const before = service.flagWrites();
	engine.send({type: 'promote'});
	engine.send({type: 'emergency_rollback', reason: 'race'});
	engine.send({type: 'promote'});
	await settle();
	// The promote went out first (10 %), the rollback right after it (0 %), the second promote never.
	expect(service.flagWrites() - before).toBe(2);
	expect(service.flag().rolloutPercent).toBe(0);
	expect(engine.getSnapshot().canary.phase.kind).toBe('rolled_back');
	// Nothing promotes after the rollback until the operator re-arms.
	engine.send({type: 'promote'});
	await settle();
	expect(service.flag().rolloutPercent).toBe(0);
});
