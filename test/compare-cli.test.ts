/**
 * `golive compare` as a user runs it: two real servers with fixed 50 ms and 60 ms
 * delays, probed by `golive probe --json` (the command itself, three runs at once
 * in one process, so a loaded machine's stalls fall on every run alike rather than
 * on whichever process the scheduler starves), then judged by the built CLI.
 */
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Writable} from 'node:stream';
import {runProbeCommand} from '../source/commands/probe.js';
import {httpServer} from './probe-helpers.js';
import {runCli} from './helpers/spawn-cli.js';

type Server = Awaited<ReturnType<typeof httpServer>>;
let slow: Server;
let fast: Server;
let dir: string;

const delayed = (ms: number) => httpServer((_req, res) => setTimeout(() => res.end('ok'), ms));

async function probeTo(file: string, port: number): Promise<void> {
	let out = '';
	const stdout = new Writable({
		write(chunk: Buffer, _enc, cb) {
			out += chunk.toString();
			cb();
		},
	});
	const code = await runProbeCommand([`http://127.0.0.1:${port}/`, '--rate', '40', '--duration', '5', '--json'], {stdout, stderr: process.stderr, env: {}});
	expect(code).toBe(0);
	await writeFile(path.join(dir, file), out);
}

beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'golive-compare-'));
	[fast, slow] = await Promise.all([delayed(50), delayed(60)]);
	await Promise.all([probeTo('fast-a.json', fast.port), probeTo('slow.json', slow.port), probeTo('fast-b.json', fast.port)]);
}, 90_000);

afterAll(async () => {
	await Promise.all([fast?.close(), slow?.close()]);
	await rm(dir, {recursive: true, force: true});
});

describe('golive compare', () => {
	it('probe --json carries the HdrHistogram compressed base64 histogram', async () => {
		const {readFile} = await import('node:fs/promises');
		const saved = JSON.parse(await readFile(path.join(dir, 'fast-a.json'), 'utf8')) as {histogram: string};
		expect(saved.histogram).toMatch(/^HISTF[A-Za-z0-9+/=]+$/);
	});

	it('50 ms against 60 ms: HIGH with a shift of about 10 ms (exit 1)', async () => {
		const run = await runCli(['compare', 'fast-a.json', 'slow.json', '--json'], {cwd: dir, timeoutMs: 30_000});
		expect(run.code, run.stderr).toBe(1);
		const r = JSON.parse(run.stdout) as {
			latency: {verdict: string; pValue: number; shiftMs: number; shiftMsInterval: [number, number]};
			errorRate: {verdict: string};
		};
		expect(r.latency.verdict).toBe('HIGH');
		expect(r.latency.pValue).toBeLessThan(0.001);
		expect(r.latency.shiftMs).toBeGreaterThan(7);
		expect(r.latency.shiftMs).toBeLessThan(13);
		expect(r.latency.shiftMsInterval[0]).toBeLessThanOrEqual(r.latency.shiftMs);
		expect(r.errorRate.verdict).toBe('PASS');
	});

	it('the same server twice: PASS (exit 0); the slow one as baseline: LOW', async () => {
		const same = await runCli(['compare', 'fast-a.json', 'fast-b.json', '--json'], {cwd: dir, timeoutMs: 30_000});
		expect(same.code, same.stdout).toBe(0);
		expect((JSON.parse(same.stdout) as {latency: {verdict: string; shiftMs: number}}).latency).toMatchObject({verdict: 'PASS'});
		const reversed = await runCli(['compare', 'slow.json', 'fast-a.json'], {cwd: dir, timeoutMs: 30_000});
		expect(reversed.code).toBe(0);
		expect(reversed.stdout).toMatch(/^latency +LOW +canary p95 .* vs baseline /m);
		expect(JSON.parse(same.stdout)).toMatchObject({latency: {metric: 'latency', v1Samples: expect.any(Number) as number}});
	});

	it('bad input: one line naming the file and the field, exit 2; too few samples: NO_DATA, exit 3', async () => {
		const missing = await runCli(['compare', 'fast-a.json', 'nope.json'], {cwd: dir, timeoutMs: 30_000});
		expect(missing.code).toBe(2);
		expect(missing.stderr).toContain('nope.json: cannot read (ENOENT)');
		await writeFile(path.join(dir, 'old.json'), JSON.stringify({requests: 10, errors: 0}));
		const old = await runCli(['compare', 'fast-a.json', 'old.json'], {cwd: dir, timeoutMs: 30_000});
		expect(old.code).toBe(2);
		expect(old.stderr).toContain('old.json: /histogram: missing');
		await writeFile(path.join(dir, 'garbage.json'), JSON.stringify({requests: 10, errors: 0, histogram: 'HISTFnotreally'}));
		const garbage = await runCli(['compare', 'fast-a.json', 'garbage.json'], {cwd: dir, timeoutMs: 30_000});
		expect(garbage.code).toBe(2);
		expect(garbage.stderr).toContain('garbage.json: /histogram: not an HdrHistogram');
		const few = await runCli(['compare', 'fast-a.json', 'slow.json', '--min-samples', '1000', '--json'], {cwd: dir, timeoutMs: 30_000});
		expect(few.code).toBe(3);
		expect((JSON.parse(few.stdout) as {latency: {verdict: string; note: string}}).latency).toMatchObject({verdict: 'NO_DATA'});
		const bad = await runCli(['compare', 'a', 'b', '--alpha', '2'], {cwd: dir, timeoutMs: 30_000});
		expect(bad.code).toBe(2);
		expect(bad.stderr).toContain('--alpha must be');
	});
});
