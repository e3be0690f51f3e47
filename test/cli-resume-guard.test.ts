/**
 * Resume keeps guarding, end to end: `golive run` spawned against
 * `golive demo --serve` (regression scenario: V2 breaks from 25 % of traffic)
 * behind the fault proxy, killed with SIGKILL right after 30 % reads back, then
 * started again headless on the same plan. The restarted run never promotes,
 * but its rollback triggers are armed: the live regression rolls it back, the
 * rollback is journaled and read back, and the flag reads 0 %.
 */
import {spawn} from 'node:child_process';
import {mkdtempSync, readdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, expect, it} from 'vitest';
import {readJournal} from '../source/journal/journal.js';
import {proxiedPlan, startServedDemo, type ServedDemo} from './helpers/demo-serve.js';
import {startFaultProxy, type FaultProxy} from './helpers/fault-proxy.js';
import {cliPath, parseNdjson, root, runCli} from './helpers/spawn-cli.js';
import {loadStreamValidator} from './helpers/stream-validator.js';

const flagPath = '/api/admin/feature-flags';
const signOffs = ['--sign-off', 'qa_lead=Jane Smith', '--sign-off', 'product_owner=Sam Lee'];
type Line = Record<string, unknown> & {type: string};

let served: ServedDemo | null = null;
let proxy: FaultProxy | null = null;
afterAll(async () => {
	await proxy?.close();
	await served?.stop();
});

async function flagOf(demo: ServedDemo): Promise<number> {
	const body = (await (await fetch(`${demo.serviceUrl}${flagPath}`)).json()) as {flags: {STATUS_BOARD_V2_ENABLED: {rolloutPercent: number}}};
	return body.flags.STATUS_BOARD_V2_ENABLED.rolloutPercent;
}

/** Runs golive until 30 % reads back, then SIGKILL: no result, no launch_end, the lock left behind. */
function runUntilThirtyThenKill(plan: string): Promise<{lines: Line[]; signal: NodeJS.Signals | null}> {
	const child = spawn(process.execPath, [cliPath, 'run', '--plan', plan, '--auto', '--json', ...signOffs], {
		cwd: root,
		env: {...process.env, NO_COLOR: '1'},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let buffered = '';
	const lines: Line[] = [];
	const bound = setTimeout(() => child.kill('SIGKILL'), 90_000);
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		buffered += chunk;
		let newline = buffered.indexOf('\n');
		while (newline >= 0) {
			const text = buffered.slice(0, newline);
			buffered = buffered.slice(newline + 1);
			newline = buffered.indexOf('\n');
			if (!text.trim()) continue;
			const line = JSON.parse(text) as Line;
			lines.push(line);
			if (line.type === 'action' && line.phase === 'outcome' && line.targetPercent === 30 && line.ok === true) child.kill('SIGKILL');
		}
	});
	return new Promise((resolve) => {
		child.on('close', (_code, signal) => {
			clearTimeout(bound);
			resolve({lines, signal});
		});
	});
}

it('kill -9 at 30 % during a regression, restart headless: no promote, the armed triggers roll back, the flag reads 0', {timeout: 200_000}, async () => {
	const {validate, errorsText} = await loadStreamValidator();
	served = await startServedDemo(['--scenario', 'regression']);
	proxy = await startFaultProxy(served.serviceUrl);
	const journalDir = mkdtempSync(path.join(tmpdir(), 'golive-resume-guard-'));
	// Stages of 3 s: 30 % comes sooner; nothing else about the launch changes.
	const plan = proxiedPlan(served, proxy.url, 'resume-guard.json', {journalDir, canary: {stageDurationMs: 3000}});

	const first = await runUntilThirtyThenKill(plan);
	expect(first.signal).toBe('SIGKILL');
	expect(first.lines.some((l) => l.type === 'result')).toBe(false);
	expect(await flagOf(served)).toBe(30);
	const writesBefore = proxy.count(flagPath, 'PUT');

	// The restart finds the unfinished launch and the flag at 30 % with V2 failing: it must guard it.
	const second = await runCli(['run', '--plan', plan, '--auto', '--json', ...signOffs], {timeoutMs: 120_000});
	const lines = parseNdjson(second.stdout) as Line[];
	expect(second.stderr).not.toMatch(/^\s+at /m);
	for (const line of lines) {
		if (!validate(line)) throw new Error(`line does not match the schema: ${errorsText()}\n${JSON.stringify(line).slice(0, 500)}`);
	}
	const result = lines.at(-1)!;
	expect(result, second.stderr.slice(-3000)).toMatchObject({type: 'result', outcome: 'rolled_back', exitCode: 1, mitigation: {flagPercent: 0}});
	expect(second.code).toBe(1);
	expect(lines[0]).toMatchObject({type: 'start', auto: false});
	// Never a promote after the restart: the only writes are the rollback's, to 0 %.
	const intents = lines.filter((l) => l.type === 'action' && l.phase === 'intent');
	expect(intents.length).toBeGreaterThan(0);
	expect(intents.every((l) => l.action === 'emergency_rollback' && l.targetPercent === 0)).toBe(true);
	const puts = proxy.requests().filter((q) => q.method === 'PUT');
	expect(puts.slice(writesBefore).every((q) => q.body.includes('"rolloutPercent":0'))).toBe(true);
	expect(lines.some((l) => l.type === 'decision' && l.kind === 'rollback' && l.fromPercent === 30)).toBe(true);
	// Guarded while paused: the snapshots before the rollback say stage 30 %, paused, armed.
	expect(lines.some((l) => l.type === 'snapshot' && l.phase === 'stage' && l.paused === true && l.armed === true)).toBe(true);
	expect(await flagOf(served)).toBe(0);

	// Journaled: the rollback's intent, then its outcome read back at 0 %, in the launch's one journal.
	const journals = readdirSync(journalDir).filter((n) => n.endsWith('.jsonl'));
	expect(journals).toHaveLength(1);
	const records = (await readJournal(path.join(journalDir, journals[0]!))).records;
	const rollback = records.findLast((r) => r.type === 'intent' && r.action === 'emergency_rollback');
	expect(rollback).toBeDefined();
	const outcome = records.find((r) => r.type === 'outcome' && rollback !== undefined && r.id === (rollback as {id: string}).id);
	expect(outcome).toMatchObject({result: 'ok', readBackPercent: 0});
	expect(records.at(-1)).toMatchObject({type: 'launch_end', outcome: 'rolled_back'});
});
