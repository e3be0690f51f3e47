/**
 * One writer per flag, end to end: `golive run` spawned twice against
 * `golive demo --serve`, with the fault proxy counting every flag write. The
 * second run (another journal path, too) becomes a read-only watcher that
 * follows the owner's journal to its end; an owner killed with SIGKILL, or a
 * lock left by a pid that now belongs to another process, is taken over and
 * the takeover journaled.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync} from 'node:fs';
import os, {tmpdir} from 'node:os';
import path from 'node:path';
import {loadStreamValidator, type StreamValidator} from './helpers/stream-validator.js';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {flagLockPath} from '../source/journal/flag-lock.js';
import {parseJournal} from '../source/journal/journal.js';
import type {Plan} from '../source/core/plan-types.js';
import {proxiedPlan, startServedDemo, type ServedDemo} from './helpers/demo-serve.js';
import {startFaultProxy, type FaultProxy} from './helpers/fault-proxy.js';
import {cliPath, parseNdjson, runCli, type CliRun} from './helpers/spawn-cli.js';

const flagPath = '/api/admin/feature-flags';
const signOffs = ['--sign-off', 'qa_lead=Jane Smith', '--sign-off', 'product_owner=Sam Lee'];
type Line = Record<string, unknown> & {type: string};

let validate: StreamValidator['validate'];
let errorsText: StreamValidator['errorsText'];
const started: Array<{served: ServedDemo; proxy: FaultProxy}> = [];
beforeAll(async () => {
	({validate, errorsText} = await loadStreamValidator());
});
afterAll(async () => {
	for (const {served, proxy} of started) {
		await proxy.close();
		await served.stop();
	}
});

async function setUp(name: string) {
	const served = await startServedDemo(['--scenario', 'healthy']);
	const proxy = await startFaultProxy(served.serviceUrl);
	started.push({served, proxy});
	const journalDir = mkdtempSync(path.join(tmpdir(), `golive-one-writer-${name}-`));
	// Stages and Gate G of 3 s: the launch is short; what is under test is who writes.
	const planFile = proxiedPlan(served, proxy.url, `${name}.json`, {journalDir, canary: {stageDurationMs: 3000, stabilizationMs: 3000}});
	const plan = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
	return {served, proxy, planFile, journalDir, lockFile: flagLockPath(journalDir, plan)};
}

const run = (planFile: string, extra: string[] = [], options: Parameters<typeof runCli>[1] = {}) =>
	runCli(['run', '--plan', planFile, '--auto', '--json', ...signOffs, ...extra], {timeoutMs: 200_000, ...options});

const lines = (r: CliRun) => parseNdjson(r.stdout) as Line[];
const journalsIn = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.jsonl'));

function expectValid(all: Line[]) {
	for (const line of all) expect(validate(line), `${JSON.stringify(line).slice(0, 300)}: ${errorsText()}`).toBe(true);
}

describe('one writer per flag (spawned CLI, demo --serve, fault proxy)', () => {
	it(
		'two runs 0.5 s apart (the second with another --journal): one writer, each stage written once; the other watches to the end with the owner’s outcome',
		{timeout: 240_000},
		async () => {
			const {proxy, planFile, journalDir} = await setUp('two-runs');
			const otherJournal = path.join(mkdtempSync(path.join(tmpdir(), 'golive-other-')), 'other.jsonl');
			const first = run(planFile);
			await new Promise((resolve) => setTimeout(resolve, 500));
			const second = run(planFile, ['--journal', otherJournal]);
			const [a, b] = await Promise.all([first, second]);
			const [la, lb] = [lines(a), lines(b)];
			expect(a.stderr + b.stderr).not.toMatch(/^\s+at /m);
			expectValid(la);
			expectValid(lb);

			// Whichever process got there first owns the flag; the other says it watches, naming the owner.
			const isWatcher = (l: Line[]) => l[0]?.type === 'start' && l[0].watching !== undefined;
			expect([isWatcher(la), isWatcher(lb)].filter(Boolean), `${a.stderr.slice(-1500)}\n${b.stderr.slice(-1500)}`).toHaveLength(1);
			const [owner, watcher] = isWatcher(la)
				? [
						{r: b, l: lb},
						{r: a, l: la},
					]
				: [
						{r: a, l: la},
						{r: b, l: lb},
					];
			const ownerResult = owner.l.at(-1)!;
			expect(ownerResult.type).toBe('result');
			expect(watcher.l[0]!.watching).toMatchObject({pid: owner.r.pid, host: os.hostname()});
			expect(watcher.r.stderr).toMatch(new RegExp(`WATCHING — owner pid ${owner.r.pid} on host .* since .*; read-only`));

			// Exactly one writer: every stage written once, all by the owner (each write is an effect in the owner's journal).
			const percents = proxy
				.requests()
				.filter((q) => q.method === 'PUT' && q.path.startsWith(flagPath))
				.map((q) => (JSON.parse(q.body) as {rolloutPercent: number}).rolloutPercent);
			// Whichever won, its journal is the one the watcher followed (the second run's --journal when it came first).
			const ownerJournal = String((watcher.l[0]!.watching as {journal: string}).journal);
			const ownerEffects = parseJournal(readFileSync(ownerJournal, 'utf8')).records.filter((r) => r.type === 'effect');
			expect(percents).toHaveLength(ownerEffects.length);
			if (ownerResult.outcome === 'success') expect(percents).toEqual([10, 30, 50, 100]);
			else {
				// A loaded machine can breach the demo's SLOs: then the owner rolls back (fail-safe), still the only writer.
				const promotes = percents.filter((p) => p > 0);
				expect(promotes).toEqual([10, 30, 50, 100].slice(0, promotes.length));
			}

			// The watcher acted on nothing and followed the owner's journal to its end, with the owner's outcome and exit code.
			expect(watcher.l.filter((l) => ['action', 'decision', 'snapshot', 'gate'].includes(l.type))).toEqual([]);
			const watched = watcher.l.filter((l) => l.type === 'watch');
			expect(watched.map((l) => l.flagPercent)).toContain(10);
			expect(watched.some((l) => /decision PROMOTE/.test(String(l.what)))).toBe(true);
			expect(watched.at(-1)).toMatchObject({phase: 'ended', outcome: ownerResult.outcome});
			if (ownerResult.outcome === 'success') expect(watched.at(-1)).toMatchObject({flagPercent: 100});
			expect(watcher.l.at(-1)).toMatchObject({
				type: 'result',
				outcome: ownerResult.outcome,
				exitCode: ownerResult.exitCode,
				journal: null,
				watching: {pid: owner.r.pid},
			});
			expect(watcher.r.code).toBe(owner.r.code);
			expect(owner.r.code).toBe(ownerResult.exitCode);
			// One launch, one journal: the watcher opened none (neither its --journal nor one of its own).
			const inDir = (d: string) => journalsIn(d).map((n) => path.join(d, n));
			expect([...inDir(journalDir), ...inDir(path.dirname(otherJournal))]).toEqual([ownerJournal]);
		},
	);

	it('owner killed with SIGKILL: the next run takes the flag over and journals whose lock it was', {timeout: 240_000}, async () => {
		const {proxy, planFile, journalDir, lockFile} = await setUp('kill-9');
		let child: ChildProcess | null = null;
		const killed = new Promise<number>((resolve) => {
			child = spawn(process.execPath, [cliPath, 'run', '--plan', planFile, '--auto', '--json', ...signOffs], {
				env: {...process.env, NO_COLOR: '1'},
				stdio: ['ignore', 'pipe', 'ignore'],
			});
			let out = '';
			child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
				out += chunk;
				// Killed in the middle of the canary, with the flag at 10 % and the lock held.
				if (/"phase":"outcome"[^\n]*"targetPercent":10,"ok":true/.test(out) && child!.signalCode === null) child!.kill('SIGKILL');
			});
			child.on('close', () => resolve(child!.pid!));
		});
		const deadPid = await killed;
		expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({pid: deadPid});
		const writesBefore = proxy.count(flagPath, 'PUT');

		const next = await run(planFile, [], {timeoutMs: 60_000});
		const l = lines(next);
		expectValid(l);
		expect(next.stderr).not.toMatch(/^\s+at /m);
		expect(l[0]).toMatchObject({type: 'start'});
		expect(l[0]!.watching).toBeUndefined();
		expect(next.stderr).toMatch(new RegExp(`Flag lock taken over from pid ${deadPid} on .*: pid ${deadPid} on .* is not running`));
		const journals = journalsIn(journalDir).map((n) => parseJournal(readFileSync(path.join(journalDir, n), 'utf8')).records);
		const takeovers = journals.flat().filter((r) => r.type === 'lock_takeover');
		expect(takeovers).toHaveLength(1);
		expect(takeovers[0]).toMatchObject({previous: {pid: deadPid}, by: {pid: next.pid}, why: expect.stringMatching(/is not running/)});
		// The taken-over launch resumes without promoting by itself: a write after the kill can only be
		// a rollback to 0 % (its triggers stay armed while it guards the resumed stage), never a promote.
		const after = proxy
			.requests()
			.filter((r) => r.method === 'PUT' && r.path.startsWith(flagPath))
			.slice(writesBefore)
			.map((r) => (JSON.parse(r.body) as {rolloutPercent: number}).rolloutPercent);
		expect(
			after.filter((percent) => percent !== 0),
			`writes after the kill: ${JSON.stringify(after)}; result ${JSON.stringify(l.at(-1))}`,
		).toEqual([]);
	});

	it('a lock left by a pid that now runs another process (wrong start time) is taken over; that process is left alone', {timeout: 60_000}, async () => {
		const {proxy, planFile, journalDir, lockFile} = await setUp('reused-pid');
		const unrelated = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {stdio: 'ignore'});
		try {
			mkdirSync(path.dirname(lockFile), {recursive: true});
			const stale = {
				v: 1,
				pid: unrelated.pid,
				host: os.hostname(),
				processStart: '1',
				bootId: null,
				journal: path.join(journalDir, 'gone.jsonl'),
				since: Date.now() - 60_000,
			};
			writeFileSync(lockFile, JSON.stringify(stale));
			// No --auto: it takes the lock, shows the launch, and is interrupted once it has said so. Its --journal names a file not there yet: a new launch is journaled there.
			const fresh = path.join(journalDir, 'given', 'new-launch.jsonl');
			const r = await runCli(['run', '--plan', planFile, '--json', '--journal', fresh], {timeoutMs: 45_000, interruptWhen: /"type":"snapshot"/});
			const l = lines(r);
			expectValid(l);
			expect(l[0]!.watching).toBeUndefined();
			expect(r.stderr).toMatch(new RegExp(`Flag lock taken over from pid ${unrelated.pid} .*: pid ${unrelated.pid} now belongs to another process`));
			expect(l[0]).toMatchObject({type: 'start', journal: fresh});
			const records = parseJournal(readFileSync(fresh, 'utf8')).records;
			expect(records.filter((x) => x.type === 'lock_takeover')).toMatchObject([{previous: {pid: unrelated.pid, processStart: '1'}, by: {pid: r.pid}}]);
			expect(unrelated.exitCode).toBeNull();
			expect(proxy.count(flagPath, 'PUT')).toBe(0);
		} finally {
			unrelated.kill('SIGKILL');
		}
	});
});
