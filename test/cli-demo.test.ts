/**
 * The CLI spawned as a user would: `golive demo --json` end to end for every
 * scenario, every line validated against `golive schema`, exit codes and
 * timings checked.
 */
import {describe, expect, it, beforeAll} from 'vitest';
import {parseNdjson, runCli} from './helpers/spawn-cli.js';
import {loadStreamValidator} from './helpers/stream-validator.js';

type Line = ReturnType<typeof parseNdjson>[number];
let validate: (line: unknown) => boolean;
let errorsText: () => string;

beforeAll(async () => {
	({validate, errorsText} = await loadStreamValidator());
});

function expectValidStream(lines: Line[]): void {
	expect(lines.length).toBeGreaterThan(3);
	expect(lines[0]!.type).toBe('start');
	expect(lines.at(-1)!.type).toBe('result');
	for (const line of lines) {
		if (!validate(line)) throw new Error(`line does not match the schema: ${errorsText()}\n${JSON.stringify(line).slice(0, 500)}`);
	}
}

function decisions(lines: Line[]): Line[] {
	return lines.filter((l) => l.type === 'decision');
}

function flagWrites(lines: Line[]): unknown[] {
	return lines.filter((l) => l.type === 'action' && l.phase === 'outcome' && l.ok === true).map((l) => l.targetPercent);
}

// The four scenarios run at once: each has its own service, endpoint and ports.
describe.concurrent('golive demo --json', () => {
	it('healthy: 10→30→50→100 → Gate G passed, exit 0, in under 90 s', {timeout: 150_000}, async () => {
		const run = await runCli(['demo', '--scenario', 'healthy', '--json'], {timeoutMs: 120_000});
		const lines = parseNdjson(run.stdout);
		expectValidStream(lines);
		expect(run.code, run.stderr.slice(-2000)).toBe(0);
		expect(run.ms).toBeLessThan(90_000);
		expect(flagWrites(lines)).toEqual([10, 30, 50, 100]);
		const result = lines.at(-1)!;
		expect(result).toMatchObject({outcome: 'success', exitCode: 0});
		const snapshots = lines.filter((l) => l.type === 'snapshot');
		const last = snapshots.at(-1) as unknown as {slos: Array<{id: string; status: string; samples: number}>};
		expect(last.slos.find((s) => s.id === 'board_p95')).toMatchObject({status: 'PASS'});
		expect(lines.some((l) => l.type === 'gate' && l.gate === 'G' && l.status === 'pass')).toBe(true);
	});

	it('regression: rolled back automatically with its reason, exit 1, in under 60 s', {timeout: 120_000}, async () => {
		const run = await runCli(['demo', '--scenario', 'regression', '--json'], {timeoutMs: 90_000});
		const lines = parseNdjson(run.stdout);
		expectValidStream(lines);
		expect(run.code, run.stderr.slice(-2000)).toBe(1);
		expect(run.ms).toBeLessThan(60_000);
		const rollback = decisions(lines).find((d) => d.kind === 'rollback');
		expect(rollback).toBeDefined();
		expect(rollback!.fromPercent).toBeGreaterThanOrEqual(30);
		expect(String(rollback!.reason)).toMatch(/board|error/i);
		expect((rollback!.evidence as unknown[]).length).toBeGreaterThan(0);
		expect(flagWrites(lines).at(-1)).toBe(0);
		expect(lines.at(-1)).toMatchObject({outcome: 'rolled_back', exitCode: 1});
		expect(typeof lines.at(-1)!.mitigationSeconds).toBe('number');
	});

	it('occ-storm: rolled back on the OCC-conflict rule', {timeout: 120_000}, async () => {
		const run = await runCli(['demo', '--scenario', 'occ-storm', '--json'], {timeoutMs: 90_000});
		const lines = parseNdjson(run.stdout);
		expectValidStream(lines);
		expect(run.code, run.stderr.slice(-2000)).toBe(1);
		const rollback = decisions(lines).find((d) => d.kind === 'rollback');
		expect(String(rollback?.reason)).toMatch(/occ/i);
	});

	it('alarm: rolled back with the CloudWatch alarm named as the reason', {timeout: 120_000}, async () => {
		const run = await runCli(['demo', '--scenario', 'alarm', '--json'], {timeoutMs: 90_000});
		const lines = parseNdjson(run.stdout);
		expectValidStream(lines);
		expect(run.code, run.stderr.slice(-2000)).toBe(1);
		const result = lines.at(-1)!;
		expect(String(result.reason)).toContain('statusboard-v2-dynamodb-throttles');
		const rollback = decisions(lines).find((d) => d.kind === 'rollback');
		expect(rollback?.trigger).toBe('alarm');
	});

	it('Ctrl-C ends cleanly: a final result, exit 130, the process gone without being killed', {timeout: 90_000}, async () => {
		let interruptedAt = 0;
		const run = await runCli(['demo', '--json'], {
			timeoutMs: 60_000,
			interruptWhen: /"type":"snapshot"/,
			onStdout: (chunk) => {
				if (!interruptedAt && chunk.includes('"type":"snapshot"')) interruptedAt = Date.now();
			},
		});
		const lines = parseNdjson(run.stdout);
		// Exited by itself (not SIGKILLed by the bound), with the servers and the worker closed.
		expect(run.signal).toBeNull();
		expect(run.code).toBe(130);
		expect(lines.at(-1)).toMatchObject({type: 'result', outcome: 'interrupted', exitCode: 130});
		expect(validate(lines.at(-1))).toBe(true);
		expect(Date.now() - interruptedAt).toBeLessThan(10_000);
	});
});
