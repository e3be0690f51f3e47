/**
 * Redaction rules, and the end-to-end promise: a planted secret (an env token
 * used in a header, a URL and a body) appears in no action outcome, no journal
 * line and no report (md or json).
 */
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createFlagController} from '../source/actions/flag-controller.js';
import {runReportCommand} from '../source/commands/report.js';
import {createRedactor, envTokenNames, isSensitiveKey, redactSecrets, secretsFromPlan} from '../source/core/redact.js';
import {openJournal, readJournal} from '../source/journal/journal.js';
import {buildLaunchReport} from '../source/report/launch-report.js';
import {flagPlan, startFlagServer, type FlagServer} from './fixtures/journal-flag-server.js';

describe('redactSecrets', () => {
	it('redacts sensitive keys deeply without mutating the input', () => {
		const input = {
			headers: {Authorization: 'Bearer x', 'Set-Cookie': ['a=b'], 'X-Api-Key': 'k', accept: 'json'},
			aws: {AWS_ACCESS_KEY_ID: 'id', aws_secret_access_key: 's', awsSessionToken: 't'},
			list: [{password: 'p', name: 'ok'}],
			n: Number.NaN,
			none: null,
		};
		const copy = structuredClone(input);
		const out = redactSecrets(input);
		expect(input).toEqual(copy);
		expect(out).toEqual({
			headers: {Authorization: '[REDACTED]', 'Set-Cookie': '[REDACTED]', 'X-Api-Key': '[REDACTED]', accept: 'json'},
			aws: {AWS_ACCESS_KEY_ID: '[REDACTED]', aws_secret_access_key: '[REDACTED]', awsSessionToken: '[REDACTED]'},
			list: [{password: '[REDACTED]', name: 'ok'}],
			n: Number.NaN,
			none: null,
		});
	});

	it('redacts secret-looking values anywhere in text', () => {
		const r = createRedactor();
		expect(r.redactText('key AKIAIOSFODNN7EXAMPLE and ASIAIOSFODNN7EXAMPLE')).toBe('key [REDACTED] and [REDACTED]');
		expect(r.redactText('Authorization: Bearer eyJhbGciOi.J9.abc')).toBe('Authorization: [REDACTED]');
		expect(r.redactText('sent bearer abc123def== ok')).toBe('sent bearer [REDACTED] ok');
		expect(r.redactText('https://admin:hunter2@flags.example/x?api_key=s3cr3t&x=1')).toBe('https://[REDACTED]@flags.example/x?api_key=[REDACTED]&x=1');
		expect(r.redactText('password=abc token: "xyz12345"')).toBe('password=[REDACTED] token: "[REDACTED]"');
		expect(r.redactText('expired_token: The security token is expired')).toBe('expired_token: The security token is expired');
		expect(r.redactText('X-Api-Key: 0123abcd9876')).toBe('X-Api-Key: [REDACTED]');
		expect(r.redactText('board p95 412 ms, 3 errors')).toBe('board p95 412 ms, 3 errors');
	});

	it('redacts registered secret values, longest first, ignoring tiny ones', () => {
		const r = createRedactor(['s3cr3t-value', 's3cr3t', 'on']);
		expect(r.redactText('a s3cr3t-value b s3cr3t c on')).toBe('a [REDACTED] b [REDACTED] c on');
		r.addSecret('later-added');
		expect(r.redact({msg: ['later-added!']})).toEqual({msg: ['[REDACTED]!']});
	});

	it('survives cycles and errors', () => {
		const a: Record<string, unknown> = {x: 'AKIAIOSFODNN7EXAMPLE'};
		a.self = a;
		expect(redactSecrets(a)).toEqual({x: '[REDACTED]', self: '[Circular]'});
		expect(redactSecrets({e: new Error('token=abc')})).toEqual({e: {name: 'Error', message: 'token=[REDACTED]'}});
	});

	it('knows key names and the secrets a plan references', () => {
		expect(['authorization', 'Cookie', 'x-amz-security-token', 'client_secret', 'dbPassword'].every(isSensitiveKey)).toBe(true);
		expect(['percent', 'flag', 'reason', 'boardP95Ms'].some(isSensitiveKey)).toBe(false);
		const plan = {actions: {setFlag: {headers: {authorization: 'Bearer ${FLAG_TOKEN}', 'x-api-key': 'literal-key-123'}, url: 'https://x/${HOST}'}}};
		expect(envTokenNames(plan).sort()).toEqual(['FLAG_TOKEN', 'HOST']);
		const secrets = secretsFromPlan(plan, {FLAG_TOKEN: 'tok-abcdef', HOST: 'flags.internal'});
		expect(secrets).toContain('tok-abcdef');
		expect(secrets).toContain('literal-key-123');
	});
});

describe('a planted secret appears in no output', () => {
	const secret = 'ghp_PlantedSecret0123456789abcdef';
	let dir: string;
	let server: FlagServer;
	beforeAll(async () => {
		dir = await mkdtemp(path.join(os.tmpdir(), 'golive-redact-'));
		server = await startFlagServer({flag: 'F'});
	});
	afterAll(async () => {
		await server.close();
		await rm(dir, {recursive: true, force: true});
	});

	it('is sent to the flag API but never written to outcomes, the journal or the report', async () => {
		const env = {FLAG_TOKEN: secret};
		const plan = flagPlan(server.url, 'F', {headers: {authorization: 'Bearer ${FLAG_TOKEN}'}});
		if (plan.actions.setFlag.kind === 'http') {
			plan.actions.setFlag.url = `${server.url}/flags/{flag}?access=\${FLAG_TOKEN}`;
			plan.actions.setFlag.body = {percent: '{percent}', version: '{version}', note: 'by ${FLAG_TOKEN}'};
		}
		plan.actions.fullRollback = {
			kind: 'command',
			argv: [process.execPath, '-e', 'console.error("auth failed for " + process.argv[1]); process.exit(2)', '${FLAG_TOKEN}'],
			timeoutMs: 5000,
		};
		const controller = createFlagController(plan, {env, now: Date.now});
		const file = path.join(dir, 'secret.jsonl');
		const journal = await openJournal(file, {redactor: controller.redactor});
		await journal.append({
			type: 'launch_start',
			launchId: 'S',
			format: 1,
			service: 'svc',
			environment: 'e',
			flag: 'F',
			stages: [10, 100],
			stageDurationMs: 1,
			stabilizationMs: 1,
			plannedDurationMs: null,
			planHash: 'sha256:x',
			startedAt: Date.now(),
		});
		const outcomes = [];
		for (const [id, run] of [
			['p1', () => controller.setPercent(10, {onSend: (effect) => journal.append({type: 'effect', id: 'p1', sent: effect}).then(() => undefined)})],
			['r1', () => controller.fullRollback('operator', {onSend: (effect) => journal.append({type: 'effect', id: 'r1', sent: effect}).then(() => undefined)})],
		] as const) {
			await journal.append({
				type: 'intent',
				id,
				action: id === 'p1' ? 'promote' : 'full_rollback',
				targetPercent: id === 'p1' ? 10 : null,
				fromPercent: 0,
				reason: 'test',
				by: 'operator',
				decision: null,
			});
			const outcome = await run();
			outcomes.push(outcome);
			await journal.append({type: 'outcome', id, result: outcome.kind, readBackPercent: null, detail: outcome.detail, durationMs: 1});
		}
		// An operator pastes the token into a note by mistake.
		await journal.append({type: 'note', text: `curl -H "Authorization: Bearer ${secret}" works`});
		await journal.append({type: 'launch_end', outcome: 'aborted', exitCode: 1, reason: `stopped; token ${secret}`});
		await journal.close();

		expect(server.writes).toHaveLength(1);
		expect(server.writes[0]!.headers.authorization).toBe(`Bearer ${secret}`);
		expect(server.writes[0]!.body).toContain(secret);
		expect(outcomes.map((o) => o.kind)).toEqual(['ok', 'failed']);

		const journalText = await readFile(file, 'utf8');
		const md = {out: '', err: ''};
		const io = (sink: {out: string; err: string}) => ({stdout: {write: (s: string) => (sink.out += s)}, stderr: {write: (s: string) => (sink.err += s)}});
		expect(await runReportCommand(['--journal', file], io(md))).toBe(0);
		const json = {out: '', err: ''};
		expect(await runReportCommand(['--journal', file, '--format', 'json'], io(json))).toBe(0);
		const everything = [
			JSON.stringify(outcomes),
			journalText,
			md.out,
			md.err,
			json.out,
			json.err,
			JSON.stringify(buildLaunchReport((await readJournal(file)).records)),
		];
		for (const text of everything) {
			expect(text).not.toContain(secret);
			expect(text).not.toContain(secret.slice(4, 20));
		}
		// The places the secret would have been show the mark instead.
		expect(journalText).toContain('access=[REDACTED]');
		expect(journalText).toContain('"note":"by [REDACTED]"');
		expect(JSON.stringify(outcomes)).toContain('auth failed for [REDACTED]');
	});
});
