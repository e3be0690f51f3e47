/**
 * Control commands from a second process, against a real `golive run --auto
 * --json` (on `golive demo --serve`) over its Unix socket, and with no owner running: status, a promote
 * refused while the soak is not done, a rollback read back at 0 within one
 * check interval, and the run sheet's `rollback.sh emergency` done by the
 * command itself.
 */
import {spawn} from 'node:child_process';
import {readdir, stat} from 'node:fs/promises';
import path from 'node:path';
import {Ajv} from 'ajv';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {readJournal} from '../source/journal/journal.js';
import {controlSocketPath} from '../source/control/protocol.js';
import {demoEnv, startDemoLaunch, type DemoLaunch} from './helpers/demo-launch.js';
import {assertBuilt, cliPath, parseNdjson, root, runCli} from './helpers/spawn-cli.js';

let demo: DemoLaunch;
let validate: (line: unknown) => string | null;
beforeAll(async () => {
	assertBuilt();
	// A long soak at 10 %: a loaded machine's slow CLI start-ups must not outlast it.
	demo = await startDemoLaunch('healthy', {canary: {stageDurationMs: 120_000}}, {relaxLatency: true});
	const schema = await runCli(['schema']);
	const ajv = new Ajv({allErrors: true, strict: false});
	ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
	const compiled = ajv.compile(JSON.parse(schema.stdout) as object);
	validate = (line) => (compiled(line) ? null : ajv.errorsText(compiled.errors));
});
afterAll(async () => {
	await demo?.close();
});

/** `golive run --auto --json` in the background; resolves `reached` once the flag reads `percent`. */
function startOwner(percent: number) {
	const child = spawn(process.execPath, [cliPath, 'run', '--plan', demo.planFile, '--auto', '--json', ...demo.signOffArgs], {
		cwd: root,
		env: {...process.env, ...demoEnv, NO_COLOR: '1'},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	let onReach: () => void = () => undefined;
	const reached = new Promise<void>((resolve) => {
		onReach = resolve;
	});
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
		if (
			parseNdjson(stdout.slice(0, stdout.lastIndexOf('\n') + 1)).some(
				(e) => e.type === 'action' && e.phase === 'outcome' && e.ok === true && e.targetPercent === percent,
			)
		)
			onReach();
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
	const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
	void exited.then(() => clearTimeout(timer));
	return {child, reached, exited, output: () => ({stdout, stderr})};
}

/** A control command as a second terminal runs it; every `--json` answer must match `golive schema`. */
async function ctl(args: string[]) {
	const run = await runCli([...args, '--plan', demo.planFile], {env: demoEnv, timeoutMs: 60_000});
	if (args.includes('--json') && run.stdout.trim() !== '') expect(validate(JSON.parse(run.stdout))).toBeNull();
	return run;
}

it('with an owner running: status has stage, flag and every rule; promote is refused during the soak; rollback reads back 0 within one check interval', async () => {
	const owner = startOwner(10);
	await Promise.race([owner.reached, owner.exited]);
	expect(await demo.flagPercent(), owner.output().stderr).toBe(10);

	// Only the owner's user may reach the socket.
	const socket = controlSocketPath(demo.plan.journalDir!, demo.plan);
	expect((await stat(path.dirname(socket))).mode & 0o777).toBe(0o700);
	expect((await stat(socket)).mode & 0o777).toBe(0o600);

	// The owner reports the stage once its reducer has taken the read-back (a few checks at most).
	let status = await ctl(['status', '--json']);
	for (let i = 0; i < 10 && !status.stdout.includes('"stage":{"percent":10'); i += 1) status = await ctl(['status', '--json']);
	expect(status.code, status.stderr).toBe(0);
	const view = JSON.parse(status.stdout) as {
		type: string;
		source: string;
		stage: {percent: number};
		flagPercent: number;
		rules: Array<{id: string; status: string; threshold: number}>;
	};
	expect(view, status.stdout).toMatchObject({type: 'status', source: 'owner', stage: {percent: 10}, flagPercent: 10});
	expect(view.rules.map((r) => r.id).sort()).toEqual(demo.plan.slos.map((r) => r.id).sort());

	const promote = await ctl(['promote', '--yes', '--json']);
	expect(promote.code, promote.stdout + promote.stderr).toBe(1);
	expect(JSON.parse(promote.stdout)).toMatchObject({type: 'control', command: 'promote', accepted: false});
	expect(String(JSON.parse(promote.stdout).detail)).toMatch(/has held .* of 2:00 green/);
	expect(await demo.flagPercent()).toBe(10);

	// Dangerous without a terminal and without --yes: nothing happens.
	const unconfirmed = await ctl(['rollback', '--reason', 'drill']);
	expect(unconfirmed.code).toBe(2);
	expect(unconfirmed.stderr).toContain('--yes');

	const rollback = await ctl(['rollback', '--reason', 'drill', '--yes', '--json']);
	expect(rollback.code, rollback.stdout + rollback.stderr).toBe(0);
	expect(JSON.parse(rollback.stdout)).toMatchObject({type: 'control', command: 'rollback', accepted: true, status: {flagPercent: 0}});
	expect(await demo.flagPercent()).toBe(0);

	expect(await owner.exited).toBe(1);
	const events = parseNdjson(owner.output().stdout);
	expect(events.at(-1)).toMatchObject({type: 'result', outcome: 'rolled_back'});

	// The journal says who asked, and the flag read back at 0 within one check interval of the request.
	const journalFile = String(events.at(-1)!.journal);
	const {records} = await readJournal(journalFile);
	const asked = records.find((r) => r.type === 'control' && r.command === 'rollback');
	expect(asked).toMatchObject({by: 'cli', detail: 'emergency rollback: drill'});
	const intent = records.find((r) => r.type === 'intent' && r.action === 'emergency_rollback');
	const outcome = records.find((r) => r.type === 'outcome' && r.id === (intent as {id: string}).id);
	expect(outcome).toMatchObject({result: 'ok', readBackPercent: 0});
	const tookMs = Date.parse(outcome!.ts) - Date.parse(asked!.ts);
	expect(tookMs).toBeLessThanOrEqual(demo.plan.canary.checkIntervalMs);
	expect(records.filter((r) => r.type === 'control').map((r) => (r as {command: string}).command)).toEqual(['promote', 'rollback']);
	// The refused promote wrote nothing: the only promote is the start to 10 %.
	expect(records.filter((r) => r.type === 'intent' && r.action === 'promote').map((r) => (r as {targetPercent: number}).targetPercent)).toEqual([10]);
}, 120_000);

it('with no owner: status reads the newest journal, rollback writes 0, reads back and journals by itself', async () => {
	// Someone put the flag back up by hand; no golive is running.
	await demo.setFlag(30);
	expect(await demo.flagPercent()).toBe(30);

	const status = await ctl(['status', '--json']);
	expect(status.code, status.stderr).toBe(0);
	expect(JSON.parse(status.stdout)).toMatchObject({type: 'status', source: 'journal', outcome: 'rolled_back'});

	const note = await ctl(['note', 'nobody home']);
	expect(note.code).toBe(3);

	const before = new Set(await readdir(demo.plan.journalDir!));
	const rollback = await ctl(['rollback', '--reason', 'drill without owner', '--yes', '--json']);
	expect(rollback.code, rollback.stdout + rollback.stderr).toBe(0);
	expect(JSON.parse(rollback.stdout)).toMatchObject({type: 'control', via: 'self', accepted: true, status: {flagPercent: 0}});
	expect(await demo.flagPercent()).toBe(0);

	const created = (await readdir(demo.plan.journalDir!)).filter((n) => n.endsWith('.jsonl') && !before.has(n));
	expect(created).toHaveLength(1);
	const {records} = await readJournal(path.join(demo.plan.journalDir!, created[0]!));
	expect(records.map((r) => r.type)).toEqual(['launch_start', 'control', 'intent', 'effect', 'outcome', 'launch_end']);
	expect(records.find((r) => r.type === 'intent')).toMatchObject({action: 'emergency_rollback', targetPercent: 0, fromPercent: 30, by: 'cli'});
	expect(records.find((r) => r.type === 'outcome')).toMatchObject({result: 'ok', readBackPercent: 0});
}, 60_000);
