/**
 * The runbook runs in golive, end to end: the built CLI spawned against the
 * simulated service (behind a counting fault proxy), its NDJSON read back.
 */
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, beforeEach, describe, expect, test} from 'vitest';
import {markerStep, rigPlan, startRig, type RunbookRig} from './helpers/runbook-launch.js';
import {parseNdjson, runCli} from './helpers/spawn-cli.js';

let rig: RunbookRig;
beforeAll(async () => {
	rig = await startRig();
});
afterAll(async () => {
	await rig.close();
});
beforeEach(async () => {
	await rig.resetFlag();
});

type Event = ReturnType<typeof parseNdjson>[number];
const decisions = (events: Event[]) => events.filter((e) => e.type === 'decision').map((e) => String(e.reason));
const flagWrites = (events: Event[]) => events.filter((e) => e.type === 'action' && e.phase === 'intent').map((e) => e.targetPercent);
const gateItem = (events: Event[], gate: string, id: string) =>
	events
		.filter((e) => e.type === 'gate' && e.gate === gate)
		.flatMap((e) => (e.items as Array<Record<string, unknown>>).filter((i) => i.id === id))
		.at(-1);
const journalOf = (run: {stdout: string}) => {
	const start = parseNdjson(run.stdout).find((e) => e.type === 'start');
	return readFileSync(String(start?.journal), 'utf8')
		.split('\n')
		.filter((l) => l !== '')
		.map((l) => JSON.parse(l) as Record<string, unknown>);
};

describe('golive run: steps and approvals', () => {
	test('steps run once each, in plan order, in gates A and B; an unsigned Gate D item holds the canary at 30 %', async () => {
		const plan = rigPlan(rig, (p) => ({
			...p,
			gates: [
				markerStep(rig, 'a_deploy_staging', 'A'),
				markerStep(rig, 'a_smoke', 'A'),
				...p.gates.filter((g) => g.gate === 'A'),
				markerStep(rig, 'b_deploy', 'B'),
				...p.gates.filter((g) => g.gate !== 'A'),
				{id: 'd_approver', gate: 'D', label: 'Approver confirms 30 %', kind: 'manual', roles: ['approver'], minApprovals: 1},
			],
		}));
		const before = rig.service.flagWrites();
		const run = await runCli(['run', '--plan', plan, '--json', '--auto'], {
			interruptWhen: /waiting for Gate D: Approver confirms 30 %[^\n]*\n(.*\n){3}/,
			timeoutMs: 90_000,
		});
		const events = parseNdjson(run.stdout);
		expect(rig.markers()).toEqual(['a_deploy_staging', 'a_smoke', 'b_deploy']);
		expect(gateItem(events, 'A', 'a_smoke')).toMatchObject({kind: 'step', status: 'pass', output: 'step a_smoke output'});
		expect(flagWrites(events)).toEqual([10, 30]);
		expect(decisions(events).some((r) => r.includes('waiting for Gate D: Approver confirms 30 % (0 of 1 approval (approver))'))).toBe(true);
		expect(rig.service.flag().rolloutPercent).toBe(30);
		expect(rig.service.flagWrites() - before).toBe(2);
		// Write-ahead: each step's start is on disk before its result, and all of them before the canary's first write.
		const journal = journalOf(run);
		const order = journal
			.filter((r) => r.type === 'step' || r.type === 'intent')
			.map((r) => (r.type === 'step' ? `${String(r.itemId)}:${String(r.phase)}` : `flag:${String(r.targetPercent)}`));
		expect(order).toEqual([
			'a_deploy_staging:start',
			'a_deploy_staging:result',
			'a_smoke:start',
			'a_smoke:result',
			'b_deploy:start',
			'b_deploy:result',
			'flag:10',
			'flag:30',
		]);
		expect(run.code).toBe(130);
	}, 100_000);

	test('a failing step fails its item with its output and blocks Gate A: the canary never starts, later steps never run', async () => {
		const markers = rig.markers().length;
		const plan = rigPlan(rig, (p) => ({...p, gates: [markerStep(rig, 'a_broken', 'A', 3), markerStep(rig, 'a_after', 'A'), ...p.gates]}));
		const run = await runCli(['run', '--plan', plan, '--json', '--auto', '--gate-timeout', '6'], {timeoutMs: 60_000});
		const events = parseNdjson(run.stdout);
		expect(rig.markers().slice(markers)).toEqual(['a_broken']);
		expect(gateItem(events, 'A', 'a_broken')).toMatchObject({status: 'fail', detail: expect.stringMatching(/^exit 3 in /), output: 'step a_broken output'});
		expect(flagWrites(events)).toEqual([]);
		expect(events.at(-1)).toMatchObject({type: 'result', outcome: 'inconclusive', exitCode: 3});
		expect(String(events.at(-1)?.reason)).toContain('Gate A not passed');
		expect(run.code).toBe(3);
	}, 70_000);

	test('a rejection fails its item and holds the gate; sign-offs recorded by golive check are found by the launch', async () => {
		const plan = rigPlan(rig, (p) => ({
			...p,
			gates: [...p.gates, {id: 'a_uat', gate: 'A', label: 'UAT approved', kind: 'manual', roles: ['product_owner', 'qa_lead'], minApprovals: 2}],
		}));
		const check = await runCli(['check', '--gate', 'A', '--plan', plan, '--duration', '2', '--sign-off', 'product_owner=Ana Ruiz'], {timeoutMs: 30_000});
		expect(check.stderr).toContain('1 sign-off recorded for the launch');
		const run = await runCli(
			['run', '--plan', plan, '--json', '--auto', '--gate-timeout', '6', '--reject', 'qa_lead=Lee Park', '--note', 'smoke tests flaky on drawer'],
			{timeoutMs: 60_000},
		);
		const events = parseNdjson(run.stdout);
		expect(gateItem(events, 'A', 'a_uat')).toMatchObject({status: 'fail', detail: 'rejected by Lee Park (qa_lead): smoke tests flaky on drawer'});
		expect(flagWrites(events)).toEqual([]);
		expect(run.code).toBe(3);
		const signOffs = journalOf(run).filter((r) => r.type === 'sign_off');
		expect(signOffs).toEqual([
			expect.objectContaining({itemId: 'a_uat', role: 'product_owner', name: 'Ana Ruiz'}),
			expect.objectContaining({itemId: 'a_uat', role: 'qa_lead', name: 'Lee Park', decision: 'reject', note: 'smoke tests flaky on drawer'}),
		]);
		// Consumed: the next launch does not count them again.
		expect(
			readdirSync(path.dirname(String(parseNdjson(run.stdout).find((e) => e.type === 'start')?.journal))).filter((f) => f.endsWith('.sign-offs.jsonl')),
		).toEqual([]);
	}, 100_000);
});

/** The board answers 500 from the moment `when` shows in stdout until a rollback is under way (V2 traffic off). */
function breakBoardWhen(when: RegExp): (chunk: string) => void {
	let seen = '';
	let state: 'waiting' | 'broken' | 'healed' = 'waiting';
	return (chunk) => {
		seen += chunk;
		if (state === 'waiting' && when.test(seen)) {
			state = 'broken';
			rig.production.setMode('/api/admin/appointments/board', {kind: 'status', status: 500});
		} else if (state === 'broken' && /"action":"(emergency|full)_rollback"/.test(seen)) {
			state = 'healed';
			rig.production.reset();
		}
	};
}

describe('golive run: each gate measures its own environment', () => {
	test('Gate A probes the staging base URL; production probes start for Gate B', async () => {
		const plan = rigPlan(rig, (p) => ({...p, environments: {...p.environments, staging: {baseUrl: rig.staging.url}}}));
		const board = '/api/admin/appointments';
		const [staging0, production0] = [rig.staging.count(board), rig.production.count(board)];
		let atGateA: {staging: number; production: number} | null = null;
		let seen = '';
		const run = await runCli(['run', '--plan', plan, '--json', '--auto'], {
			interruptWhen: /"action":"promote"/,
			timeoutMs: 110_000,
			onStdout: (chunk) => {
				seen += chunk;
				if (atGateA === null && /"type":"gate"[^\n]*"gate":"A","status":"pass"/.test(seen))
					atGateA = {staging: rig.staging.count(board) - staging0, production: rig.production.count(board) - production0};
			},
		});
		const events = parseNdjson(run.stdout);
		expect(atGateA).not.toBeNull();
		const passed = atGateA as unknown as {staging: number; production: number};
		// Gate A judged staging's numbers: hundreds of probe requests there, none to production.
		expect(passed.staging).toBeGreaterThan(20);
		expect(passed.production).toBe(0);
		expect(rig.production.count(board) - production0).toBeGreaterThan(20);
		expect(events.some((e) => e.type === 'log' && String(e.text).includes('the probes now measure demo'))).toBe(true);
		expect(flagWrites(events)).toEqual([10]);
	}, 120_000);
});

describe('golive run: Gate G and after', () => {
	test('an unsigned Gate G item keeps the run from success', async () => {
		const plan = rigPlan(rig, (p) => ({
			...p,
			gates: [...p.gates, {id: 'g_final', gate: 'G', label: 'Final launch sign-off', kind: 'manual', roles: ['approver'], minApprovals: 1}],
		}));
		const run = await runCli(['run', '--plan', plan, '--json', '--auto'], {
			interruptWhen: /waiting for Gate G: Final launch sign-off[^\n]*\n(.*\n){3}/,
			timeoutMs: 90_000,
		});
		const events = parseNdjson(run.stdout);
		expect(flagWrites(events)).toEqual([10, 30, 50, 100]);
		expect(events.filter((e) => e.type === 'decision' && e.kind === 'succeed')).toEqual([]);
		expect(gateItem(events, 'G', 'g_final')).toMatchObject({status: 'waiting_sign_off'});
		expect(events.at(-1)).toMatchObject({type: 'result', outcome: 'interrupted'});
		expect(run.code).toBe(130);
	}, 100_000);

	test('onGateGFail "full": a Gate G failure sets the flag to 0, then runs the full rollback once; passed gates keep their verdict', async () => {
		const markers = rig.markers().length;
		const plan = rigPlan(rig, (p) => ({
			...p,
			canary: {...p.canary, stabilizationMs: 15_000, onGateGFail: 'full'},
			actions: {...p.actions, fullRollback: markerStep(rig, 'full_rollback', 'G').action},
		}));
		const run = await runCli(['run', '--plan', plan, '--json', '--auto'], {
			onStdout: breakBoardWhen(/Gate G stabilization \([^)]*\) begins/),
			timeoutMs: 90_000,
		});
		rig.production.reset();
		const events = parseNdjson(run.stdout);
		expect(rig.markers().slice(markers)).toEqual(['full_rollback']);
		expect(
			events.some((e) => e.type === 'log' && /^Gate G FAILED - Post-launch instability detected.*Executing full rollback/.test(String(e.message ?? ''))),
		).toBe(true);
		const journal = journalOf(run);
		const zero = journal.findIndex((r) => r.type === 'outcome' && r.readBackPercent === 0);
		const full = journal.findIndex((r) => r.type === 'intent' && r.action === 'full_rollback');
		expect(zero).toBeGreaterThan(0);
		expect(full).toBeGreaterThan(zero);
		expect(journal.filter((r) => r.type === 'intent' && r.action === 'full_rollback')).toHaveLength(1);
		const lastStatus = (gate: string) => events.filter((e) => e.type === 'gate' && e.gate === gate).at(-1)?.status;
		expect(['C', 'D', 'E', 'F'].map(lastStatus)).toEqual(['pass', 'pass', 'pass', 'pass']);
		expect(lastStatus('G')).toBe('fail');
		expect(events.at(-1)).toMatchObject({type: 'result', outcome: 'rolled_back', exitCode: 1});
	}, 100_000);

	test('a post-launch watch with a 20 s checkpoint cadence writes its checkpoints and still rolls back on a late regression', async () => {
		const plan = rigPlan(rig, (p) => ({...p, postLaunch: {watchMs: 120_000, checkpoints: {everyMs: 20_000}}}));
		const run = await runCli(['run', '--plan', plan, '--json', '--auto', '--until', 'watch-end'], {
			onStdout: breakBoardWhen(/T\+20s checkpoint/),
			timeoutMs: 110_000,
		});
		rig.production.reset();
		const events = parseNdjson(run.stdout);
		const checkpoints = journalOf(run).filter((r) => r.type === 'checkpoint');
		expect(checkpoints[0]).toMatchObject({
			label: 'T+20s',
			green: true,
			message: expect.stringMatching(/^T\+20s checkpoint: StatusBoardV2 All SLOs green\. Error: .*Next: T\+40s\.$/),
		});
		expect(events.some((e) => e.type === 'log' && String(e.message ?? '').startsWith('T+20s checkpoint'))).toBe(true);
		const succeeded = events.findIndex((e) => e.type === 'decision' && e.kind === 'succeed');
		const rolledBack = events.findIndex((e) => e.type === 'decision' && e.kind === 'rollback');
		expect(succeeded).toBeGreaterThan(0);
		expect(rolledBack).toBeGreaterThan(succeeded);
		expect(events.filter((e) => e.type === 'gate' && e.gate === 'G').at(-1)?.status).toBe('pass');
		expect(events.at(-1)).toMatchObject({type: 'result', outcome: 'rolled_back', exitCode: 1});
		const report = readFileSync(String(events.at(-1)?.report), 'utf8');
		expect(report).toContain('T+20s checkpoint');
	}, 120_000);
});
