/**
 * Actuators against real parts: a local flag service over 127.0.0.1 and real
 * child processes. Compare-and-set, read-back, timeouts that did apply,
 * argv without a shell, timeouts that kill the process group, and secrets that
 * are sent but never reported.
 */
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {Plan} from '../source/core/plan-types.js';
import {createFlagController, toFlagWriteResult} from '../source/actions/flag-controller.js';
import {fillBody} from '../source/actions/template.js';
import {flagPlan, startFlagServer, type FlagServer} from './fixtures/journal-flag-server.js';

const flag = 'STATUS_BOARD_V2_ENABLED';
const echo = path.join(import.meta.dirname, 'fixtures', 'journal-argv-echo.mjs');
const secret = 'tok_9f8e7d6c5b4a3f2e1d0c';
const env = {GOLIVE_TEST_TOKEN: secret, PATH: process.env.PATH};

let dir: string;
const servers: FlagServer[] = [];

async function server(options: Partial<Parameters<typeof startFlagServer>[0]> = {}): Promise<FlagServer> {
	const s = await startFlagServer({flag, ...options});
	servers.push(s);
	return s;
}

beforeAll(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'golive-actions-'));
});
afterEach(async () => {
	await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(async () => {
	await rm(dir, {recursive: true, force: true});
});

describe('http flag actuator', () => {
	it('sets the percent with compare-and-set, numbers as numbers, and reads it back', async () => {
		const s = await server();
		const c = createFlagController(flagPlan(s.url, flag), {env, now: Date.now});
		expect(await c.read()).toEqual({ok: true, percent: 0, version: 1});
		const out = await c.setPercent(30);
		expect(out).toMatchObject({kind: 'ok', percent: 30, version: 2, attempts: 1});
		expect(s.writes).toHaveLength(1);
		const body = JSON.parse(s.writes[0]!.body) as Record<string, unknown>;
		expect(body).toEqual({flag, percent: 30, version: 1});
		expect(toFlagWriteResult(out)).toMatchObject({kind: 'ok', percent: 30});
	});

	it('stops with a conflict when someone else changed the flag', async () => {
		const s = await server();
		const c = createFlagController(flagPlan(s.url, flag), {env, now: Date.now});
		const before = await c.read();
		expect(before.ok).toBe(true);
		s.externalSet(70);
		const out = await c.setPercent(30, {expectVersion: before.ok ? before.version : null});
		expect(out.kind).toBe('conflict');
		if (out.kind === 'conflict') {
			expect(out.observedPercent).toBe(70);
			expect(out.detail).toMatch(/changed by someone else/);
		}
		expect(s.writes).toHaveLength(0);
		expect(s.state.percent).toBe(70);
	});

	it('a refused write whose flag already reads the asked percent is done, not a conflict (an earlier try landed)', async () => {
		const s = await server();
		const c = createFlagController(flagPlan(s.url, flag), {env, now: Date.now});
		const before = await c.read();
		// A rollback try that timed out, applied by the flag API later: the next try's version is stale.
		s.externalSet(0);
		const out = await c.setPercent(0, {expectVersion: before.ok ? before.version : null});
		expect(out).toMatchObject({kind: 'ok', percent: 0});
		expect(out.detail).toMatch(/read back 0 % \(HTTP 409.*, but the read-back shows it applied\)/);
	});

	it('a timeout reads the flag back before any retry: applied means no second write', async () => {
		const s = await server({hangAfterApply: () => true});
		const plan = flagPlan(s.url, flag, {timeoutMs: 300});
		const c = createFlagController(plan, {env, now: Date.now});
		const t0 = Date.now();
		const out = await c.setPercent(50);
		expect(out.kind).toBe('ok');
		expect(out.detail).toMatch(/timed out.*applied/);
		expect(out.attempts).toBe(1);
		expect(s.writes).toHaveLength(1);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
	});

	it('a timeout that did not apply is retried once, then fails with the observed state', async () => {
		let calls = 0;
		const s = await server({
			beforeWrite: () => {
				calls += 1;
			},
			// The write is lost: not applied, never answered.
			dropWrite: () => true,
		});
		const plan = flagPlan(s.url, flag, {timeoutMs: 200});
		const c = createFlagController(plan, {env, now: Date.now});
		const out = await c.setPercent(10);
		expect(calls).toBe(2);
		expect(s.writes).toHaveLength(0);
		expect(out).toMatchObject({kind: 'failed', reason: 'timeout', observedPercent: 0, attempts: 2});
	});

	it('an unset env var fails before anything is sent', async () => {
		const s = await server();
		const plan = flagPlan(s.url, flag, {headers: {authorization: 'Bearer ${GOLIVE_MISSING_TOKEN}'}});
		const c = createFlagController(plan, {env: {}, now: Date.now});
		const out = await c.setPercent(10, {expectVersion: 1});
		expect(out).toMatchObject({kind: 'failed', reason: 'config'});
		expect(out.detail).toContain('GOLIVE_MISSING_TOKEN');
		expect(s.writes).toHaveLength(0);
	});

	it('sends the env token but no outcome contains it', async () => {
		const s = await server();
		const plan = flagPlan(s.url, flag, {headers: {authorization: 'Bearer ${GOLIVE_TEST_TOKEN}', 'x-api-key': '${GOLIVE_TEST_TOKEN}'}});
		plan.actions.fullRollback = {
			kind: 'command',
			argv: [process.execPath, '-e', 'console.log("token=" + process.env.GOLIVE_TEST_TOKEN); console.error(process.env.GOLIVE_TEST_TOKEN); process.exit(3)'],
			timeoutMs: 5000,
		};
		const c = createFlagController(plan, {env, now: Date.now});
		const ok = await c.setPercent(10);
		expect(ok.kind).toBe('ok');
		expect(s.writes[0]!.headers.authorization).toBe(`Bearer ${secret}`);
		const failed = await c.fullRollback('test');
		expect(failed).toMatchObject({kind: 'failed', reason: 'exit_code'});
		const text = JSON.stringify([ok, failed, await c.read()]);
		expect(text).not.toContain(secret);
		expect(text).toContain('[REDACTED]');
	});
});

describe('command actuator', () => {
	function commandPlan(serverUrl: string, argv: string[], timeoutMs = 5000): Plan {
		const plan = flagPlan(serverUrl, flag);
		plan.actions.fullRollback = {kind: 'command', argv, timeoutMs};
		return plan;
	}

	it('passes a hostile reason as ONE argv element, unchanged, without a shell', async () => {
		const s = await server();
		const out = path.join(dir, 'argv.json');
		const reason = `"; rm -rf ~ $(x) \`id\` | cat /etc/passwd & \${HOME} 'q'`;
		const c = createFlagController(commandPlan(s.url, [process.execPath, echo, out, '--reason', '{reason}', '--flag={flag}', '{percent}']), {
			env,
			now: Date.now,
		});
		const res = await c.fullRollback(reason);
		expect(res.kind).toBe('ok');
		const argv = JSON.parse(await readFile(out, 'utf8')) as string[];
		expect(argv).toEqual(['--reason', reason, `--flag=${flag}`, '0']);
	});

	it('non-zero exit is a failed action with a sanitized stderr tail', async () => {
		const s = await server();
		const c = createFlagController(commandPlan(s.url, [process.execPath, '-e', 'process.stderr.write("boom \\u001b[31mred\\u001b[0m\\n"); process.exit(7)']), {
			env,
			now: Date.now,
		});
		const res = await c.fullRollback('x');
		expect(res).toMatchObject({kind: 'failed', reason: 'exit_code'});
		expect(res.result).toMatchObject({kind: 'command', exitCode: 7});
		expect(res.detail).toContain('exit 7');
		expect(JSON.stringify(res)).not.toContain('\u001b');
	});

	it('a timeout kills the whole process group', async () => {
		const s = await server();
		const pidFile = path.join(dir, 'grandchild.pid');
		const script = `const {spawn}=require('node:child_process');const g=spawn(process.execPath,['-e','setInterval(()=>{},1000)'],{stdio:'ignore'});require('node:fs').writeFileSync(${JSON.stringify(pidFile)},String(g.pid));setInterval(()=>{},1000);`;
		const c = createFlagController(commandPlan(s.url, [process.execPath, '-e', script], 500), {env, now: Date.now, killGraceMs: 500});
		const t0 = Date.now();
		const res = await c.fullRollback('timeout');
		const took = Date.now() - t0;
		expect(res).toMatchObject({kind: 'failed', reason: 'timeout'});
		expect(took).toBeGreaterThanOrEqual(450);
		expect(took).toBeLessThan(4000);
		const grandchild = Number(await readFile(pidFile, 'utf8'));
		// Dead or a zombie waiting to be reaped (state Z) both mean the kill reached it.
		const running = async (): Promise<boolean> => {
			const stat = await readFile(`/proc/${grandchild}/stat`, 'utf8').catch(() => null);
			return stat !== null && !/^\d+ \(.*\) Z/.test(stat);
		};
		let alive = await running();
		for (let i = 0; i < 40 && alive; i += 1) {
			await new Promise((r) => setTimeout(r, 50));
			alive = await running();
		}
		expect(alive).toBe(false);
	});

	it('a full rollback that is not configured fails without running anything', async () => {
		const s = await server();
		const c = createFlagController(flagPlan(s.url, flag), {env, now: Date.now});
		expect(await c.fullRollback('x')).toMatchObject({kind: 'failed', reason: 'not_configured'});
	});
});

describe('body template', () => {
	it('keeps numbers numbers and resolves env before placeholders', () => {
		const body = fillBody(
			{p: '{percent}', v: '{version}', s: 'at {percent} %', r: '{reason}', k: '${K}'},
			{flag: 'F', percent: 30, version: 7, reason: '${K}'},
			{K: 'kv'},
		);
		expect(body).toEqual({p: 30, v: 7, s: 'at 30 %', r: '${K}', k: 'kv'});
	});
});
