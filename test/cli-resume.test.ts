/**
 * Restart on an unfinished launch: golive replays the journal, reads the
 * flag's real state, says what it found, and does not touch the flag.
 */
import {mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {startDemoService, type DemoService} from '../source/demo/service.js';
import {openJournal, readJournal} from '../source/journal/journal.js';
import {journalFileName} from '../source/journal/location.js';
import {demoPlan} from '../source/plan/demo-plan.js';
import {parseNdjson, runCli} from './helpers/spawn-cli.js';

let service: DemoService;
beforeAll(async () => {
	service = await startDemoService({initialPercent: 30, latencyScale: 0.05});
});
afterAll(async () => {
	await service.close();
});

it('headless restart on an unfinished launch reports it, closes the interrupted action from a read, guards the stage, and never writes the flag', async () => {
	const dir = await mkdtemp(path.join(tmpdir(), 'golive-resume-'));
	const plan = {...demoPlan({serviceUrl: service.url, cloudwatchUrl: 'http://127.0.0.1:1'}), journalDir: dir};
	const planFile = path.join(dir, 'golive.json');
	await writeFile(planFile, JSON.stringify(plan));

	// A launch that was killed while promoting to 30 %: intent and effect on disk, no outcome.
	const journalFile = path.join(dir, journalFileName(plan.service, '20261123T090000Z-dead'));
	const journal = await openJournal(journalFile);
	await journal.append({
		type: 'launch_start',
		launchId: '20261123T090000Z-dead',
		format: 1,
		service: plan.service,
		environment: 'demo',
		flag: plan.canary.flag,
		stages: plan.canary.stages,
		stageDurationMs: 9000,
		stabilizationMs: 12000,
		plannedDurationMs: 60000,
		planHash: 'x',
		startedAt: Date.now() - 60_000,
	});
	await journal.append({
		type: 'intent',
		id: 'a2',
		action: 'promote',
		targetPercent: 30,
		fromPercent: 10,
		reason: 'auto: 10% → 30%',
		by: 'auto',
		decision: null,
	});
	await journal.append({
		type: 'effect',
		id: 'a2',
		sent: {kind: 'http', method: 'PUT', url: `${service.url}/api/admin/feature-flags`, body: {rolloutPercent: 30}},
	});
	await journal.close();

	const writesBefore = service.flagWrites();
	// The flag reads 30 %: the restart guards that stage (triggers armed) for at most --gate-timeout, then ends without a write.
	const run = await runCli(['run', '--plan', planFile, '--json', '--auto', '--gate-timeout', '4'], {
		env: {AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true'},
		timeoutMs: 60_000,
	});
	const lines = parseNdjson(run.stdout);
	expect(run.code, run.stderr).toBe(3);
	const result = lines.at(-1)!;
	expect(result).toMatchObject({type: 'result', outcome: 'inconclusive', exitCode: 3});
	expect(String(result.reason)).toMatch(/Resumed at 30 % after a restart: .*never promotes a resumed launch by itself: the flag stays at 30 %/);
	const notice = lines.find((l) => l.type === 'log' && String(l.text).includes('Unfinished'));
	expect(String(notice?.text)).toContain('The flag reads 30 % now');
	expect(String(notice?.text)).toContain('Rollback triggers stay armed');
	expect(lines.some((l) => l.type === 'action')).toBe(false);
	expect(service.flagWrites()).toBe(writesBefore);
	expect(service.flag().rolloutPercent).toBe(30);

	// The interrupted promote is closed by what the flag reads, not by a write.
	const after = await readJournal(journalFile);
	const outcome = after.records.find((r) => r.type === 'outcome');
	expect(outcome).toMatchObject({type: 'outcome', id: 'a2', result: 'ok', readBackPercent: 30});
}, 90_000);
