/**
 * A real launch for the runbook tests: the simulated StatusBoardV2 service on
 * loopback behind a fault proxy (so a test can count requests per base URL and
 * break the board at a chosen moment), a time-compressed plan without
 * CloudWatch, and marker-writing steps that record the order they ran in.
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {GateItemPlan, Plan, StepItemPlan} from '../../source/core/plan-types.js';
import {startDemoService, type DemoService} from '../../source/demo/service.js';
import {demoPlan} from '../../source/plan/demo-plan.js';
import {startFaultProxy, type FaultProxy} from './fault-proxy.js';

export type RunbookRig = {
	service: DemoService;
	/** Production base URL (the plan's environment). */
	production: FaultProxy;
	/** A second way in to the same service, for the staging base URL. */
	staging: FaultProxy;
	dir: string;
	/** One line per step run, in order. */
	markers(): string[];
	/** Flag back to 0 % between launches (each test is a new launch). */
	resetFlag(): Promise<void>;
	close(): Promise<void>;
};

export async function startRig(): Promise<RunbookRig> {
	const service = await startDemoService({scenario: 'healthy', faultRate: 0, latencyScale: 0.2});
	const production = await startFaultProxy(service.url);
	const staging = await startFaultProxy(service.url);
	const dir = mkdtempSync(path.join(tmpdir(), 'golive-runbook-'));
	const markerFile = path.join(dir, 'markers.log');
	writeFileSync(markerFile, '');
	return {
		service,
		production,
		staging,
		dir,
		markers: () =>
			readFileSync(markerFile, 'utf8')
				.split('\n')
				.filter((l) => l !== ''),
		async resetFlag() {
			const flag = service.flag();
			const res = await fetch(`${service.url}/api/admin/feature-flags`, {
				method: 'PUT',
				headers: {'content-type': 'application/json'},
				body: JSON.stringify({flag: flag.name, rolloutPercent: 0, version: flag.version}),
			});
			if (!res.ok) throw new Error(`flag reset: HTTP ${res.status}`);
		},
		close: async () => {
			await Promise.allSettled([production.close(), staging.close()]);
			await service.close();
		},
	};
}

/** A step that appends its id to the rig's marker file (a `touch` that also keeps the order), or exits `exitCode`. */
export function markerStep(rig: RunbookRig, id: string, gate: GateItemPlan['gate'], exitCode = 0): StepItemPlan {
	const script = `require('node:fs').appendFileSync(${JSON.stringify(path.join(rig.dir, 'markers.log'))}, ${JSON.stringify(`${id}\n`)}); console.log('step ${id} output'); process.exit(${exitCode})`;
	return {id, gate, label: `Step ${id}`, kind: 'step', action: {kind: 'command', argv: [process.execPath, '-e', script], timeoutMs: 20_000}};
}

/** The demo plan against the rig, without CloudWatch, 3 s stages and Gate G; `edit` adds the test's items. */
export function rigPlan(rig: RunbookRig, edit: (plan: Plan) => Plan = (p) => p): string {
	const id = Math.random().toString(36).slice(2, 8);
	const base = demoPlan({serviceUrl: rig.production.url, cloudwatchUrl: 'http://127.0.0.1:1'});
	const {cloudwatch: _cloudwatch, ...rest} = base;
	const plan: Plan = {
		...rest,
		// No OCC-move probe: a launch's moves are real users' moves, and a fresh probe's first moves all conflict.
		probes: base.probes.filter((p) => p.kind !== 'occ-move').map((p) => ({...p, timeoutMs: 20_000})),
		// These tests break the board with 500s when they want a rollback; on a loaded machine slowness alone must not.
		slos: base.slos.filter((r) => r.id !== 'occ_conflicts').map((r) => (r.unit === 'ms' ? {...r, threshold: 10_000} : r)),
		triggers: {...base.triggers, sloBreachForMs: 600_000},
		actions: {
			...base.actions,
			setFlag: {...base.actions.setFlag, timeoutMs: 15_000},
			readBack: {...base.actions.readBack, timeoutMs: 15_000},
		},
		// One journal directory per plan: each test is its own launch, never a resume of the last.
		journalDir: path.join(rig.dir, `journals-${id}`),
		canary: {...base.canary, stageDurationMs: 3000, stabilizationMs: 3000, abort: {...base.canary.abort, latencyMs: 30_000}},
		gates: base.gates.filter((g) => g.id !== 'b_alarms' && g.id !== 'a_uat'),
	};
	const file = path.join(rig.dir, `plan-${id}.json`);
	writeFileSync(file, JSON.stringify(edit(plan), null, 2));
	return file;
}
