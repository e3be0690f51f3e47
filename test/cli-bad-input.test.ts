/**
 * Bad input, spawned as a user would type it: every case exits 2 with golive's
 * own short message (no stack trace), loses nothing, and never echoes a value
 * that came from an environment variable — in clear, URL-encoded or base64.
 */
import {execFileSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {demoPlan} from '../source/plan/demo-plan.js';
import {runCli} from './helpers/spawn-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'golive-bad-input-'));
const secret = 'sk-test/9f8e7d6c+5b4a';
/** Shaped like an id, so it passes the schema and reaches the cross-field checks. */
const idSecret = 'prodsecret7421x';
const env = {GOLIVE_TEST_SECRET: secret, GOLIVE_TEST_ID_SECRET: idSecret};

type Json = Record<string, unknown>;
function planWith(name: string, edit: (plan: Json) => void): string {
	const plan = JSON.parse(JSON.stringify(demoPlan({serviceUrl: 'http://127.0.0.1:9', cloudwatchUrl: 'http://127.0.0.1:9'}))) as Json;
	edit(plan);
	const file = path.join(dir, `${name}.json`);
	writeFileSync(file, JSON.stringify(plan));
	return file;
}
const canary = (plan: Json) => plan.canary as Json;
const actions = (plan: Json) => plan.actions as Json;

function fileOf(name: string, text: string): string {
	const file = path.join(dir, name);
	writeFileSync(file, text);
	return file;
}

const fifo = path.join(dir, 'plan.fifo');
execFileSync('mkfifo', [fifo]);
const notADir = fileOf('not-a-dir', 'x');

type Case = {name: string; args: string[]; says: RegExp};
const cases: Case[] = [
	{
		name: 'check interval beyond 2^31-1 ms',
		args: ['run', '--plan', planWith('interval-huge', (p) => (canary(p).checkIntervalMs = 3_000_000_000))],
		says: /\/canary\/checkIntervalMs: must be <= 2147483647/,
	},
	{
		name: 'check interval under 1 s',
		args: ['run', '--plan', planWith('interval-tiny', (p) => (canary(p).checkIntervalMs = 10))],
		says: /\/canary\/checkIntervalMs: must be >= 1000/,
	},
	{
		name: 'stage duration beyond 2^31-1 ms',
		args: ['run', '--plan', planWith('stage-huge', (p) => (canary(p).stageDurationMs = 2 ** 31))],
		says: /\/canary\/stageDurationMs: must be <= 2147483647/,
	},
	{
		name: 'rollbackRetryForMs beyond 2^31-1 ms',
		args: ['run', '--plan', planWith('retry-huge', (p) => (actions(p).rollbackRetryForMs = 1e12))],
		says: /\/actions\/rollbackRetryForMs: must be <= 2147483647/,
	},
	{
		name: 'file: URL as the flag read-back',
		args: ['run', '--plan', planWith('file-url', (p) => ((actions(p).readBack as Json).url = 'file:///etc/passwd'))],
		says: /\/actions\/readBack\/url: must be an absolute http:\/\/ or https:\/\/ URL/,
	},
	{
		name: 'data: URL as the flag write',
		args: ['run', '--plan', planWith('data-url', (p) => ((actions(p).setFlag as Json).url = 'data:text/plain,hi'))],
		says: /\/actions\/setFlag\/url: must be an absolute http/,
	},
	{
		name: 'a secret from the environment in a number field',
		args: ['run', '--plan', planWith('secret-type', (p) => (canary(p).stageDurationMs = '${GOLIVE_TEST_SECRET}'))],
		says: /\/canary\/stageDurationMs: must be integer \(got the value of an environment variable/,
	},
	{
		name: 'a secret from the environment echoed by a cross-field check',
		args: ['run', '--plan', planWith('secret-semantic', (p) => (p.environment = '${GOLIVE_TEST_ID_SECRET}'))],
		says: /\/environment: must name a key of \/environments: "demo" \(got "\[REDACTED\]"\)/,
	},
	{
		name: 'a secret URL-encoded into a URL',
		args: ['run', '--plan', planWith('secret-url', (p) => ((actions(p).readBack as Json).url = 'ftp://h/?k=${GOLIVE_TEST_SECRET}'))],
		says: /readBack\/url: must be an absolute http/,
	},
	{name: 'nesting 100k deep', args: ['run', '--plan', fileOf('deep.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`)], says: /nested more than 32 deep/},
	{name: 'a plan over 1 MiB', args: ['run', '--plan', fileOf('big.json', `{"pad": "${'x'.repeat(1_100_000)}"}`)], says: /at most 1048576 bytes/},
	{name: '--plan /dev/zero', args: ['run', '--plan', '/dev/zero'], says: /\/dev\/zero: is not a regular file/},
	{name: '--plan a FIFO (no writer: must not hang)', args: ['run', '--plan', fifo], says: /is not a regular file/},
	{
		name: 'an unwritable journal directory',
		args: ['run', '--plan', planWith('journal-dir', (p) => (p.journalDir = path.join(notADir, 'journals'))), '--json'],
		says: /cannot write the journal in .*not-a-dir\/journals: ENOTDIR/,
	},
	{name: 'probe --connections 1e6', args: ['probe', 'http://127.0.0.1:9/', '--connections', '1e6'], says: /--connections must be at most 1000/},
	{name: 'probe --rate 1e9', args: ['probe', 'http://127.0.0.1:9/', '--rate', '1e9'], says: /--rate must be at most 100000/},
	{name: 'probe --duration -1', args: ['probe', 'http://127.0.0.1:9/', '--duration', '-1'], says: /--duration must be a positive number, got '-1'/},
	{
		name: 'run --gate-timeout -5',
		args: ['run', '--plan', planWith('ok', () => undefined), '--gate-timeout', '-5'],
		says: /--gate-timeout must be a positive number/,
	},
];

describe.concurrent('bad input: exit 2, golive’s own short message, no stack, no secret', () => {
	for (const c of cases) {
		it(c.name, {timeout: 90_000}, async () => {
			// A bound, not an assertion: a loaded machine starts node slowly.
			const run = await runCli(c.args, {env, timeoutMs: 60_000});
			expect(run.signal, 'must end by itself').toBeNull();
			expect(run.code, run.stderr).toBe(2);
			expect(run.stderr).toMatch(c.says);
			expect(run.stderr).not.toMatch(/^\s+at /m);
			expect(run.stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
			for (const form of [secret, idSecret, encodeURIComponent(secret), Buffer.from(secret).toString('base64').slice(0, 16)]) {
				expect(run.stderr).not.toContain(form);
				expect(run.stdout).not.toContain(form);
			}
		});
	}
});
