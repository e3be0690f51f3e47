/**
 * `golive demo --scenario subtle --json` spawned as a user runs it: V2 is ~35 %
 * slower on the board and errs ~0.5 % more, no aggregate SLO notices, and the
 * V2-vs-V1 judge rolls back at 10 % (exit 1) naming V2 against V1. Every line is
 * validated against `golive schema`; rules carry `comparison`, probes their variants.
 */
import {Ajv} from 'ajv';
import {beforeAll, describe, expect, it} from 'vitest';
import {parseNdjson, runCli} from './helpers/spawn-cli.js';

let validate: (line: unknown) => string | null;

beforeAll(async () => {
	const schemaRun = await runCli(['schema']);
	expect(schemaRun.code).toBe(0);
	const ajv = new Ajv({allErrors: true, strict: false});
	ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
	const compiled = ajv.compile(JSON.parse(schemaRun.stdout) as object);
	validate = (line) => (compiled(line) ? null : ajv.errorsText(compiled.errors));
});

type Rule = {
	id: string;
	status: string;
	comparison?: {verdict: string; checks: number; v1Samples: number; v2Samples: number; shiftPct: number | null; metric: string};
};

describe('golive demo --scenario subtle', () => {
	it('rolls back at 10 % on the V2-vs-V1 verdict, exit 1, in under 60 s, while every aggregate SLO is green', {timeout: 120_000}, async () => {
		const run = await runCli(['demo', '--scenario', 'subtle', '--json'], {timeoutMs: 90_000});
		const lines = parseNdjson(run.stdout);
		for (const line of lines) expect(validate(line), JSON.stringify(line).slice(0, 300)).toBeNull();
		expect(run.code, run.stderr.slice(-2000)).toBe(1);
		expect(run.ms).toBeLessThan(60_000);

		const rollback = lines.find((l) => l.type === 'decision' && l.kind === 'rollback')!;
		expect(rollback).toMatchObject({trigger: 'canary_comparison', fromPercent: 10, toPercent: 0});
		expect(String(rollback.reason)).toMatch(/^V2 board p95 \d+ ms vs V1 \d+ ms, \+\d+ % \[CI [+−]\d+…\+\d+ %\], p < 0\.001, 3 checks .*baseline V1/);
		expect(lines.at(-1)).toMatchObject({type: 'result', outcome: 'rolled_back', exitCode: 1});

		// The last snapshot before the rollback: aggregate rules all PASS, the judge says HIGH on the board.
		const before = lines.filter((l) => l.type === 'snapshot' && Date.parse(l.ts) <= Date.parse(rollback.ts)).at(-1)!;
		const slos = before.slos as Rule[];
		expect(slos.map((r) => [r.id, r.status])).toEqual([
			['board_p95', 'PASS'],
			['drawer_avg', 'PASS'],
			['error_rate', 'PASS'],
			['occ_conflicts', 'PASS'],
		]);
		const board = slos.find((r) => r.id === 'board_p95')!.comparison!;
		expect(board).toMatchObject({metric: 'latency', verdict: 'HIGH', checks: 3});
		expect(board.v2Samples).toBeGreaterThanOrEqual(50);
		expect(board.shiftPct).toBeGreaterThan(10);
		const probes = before.probes as Array<{id: string; variants?: Record<string, {requests: number; p95Ms: number}>}>;
		const variants = probes.find((p) => p.id === 'board')!.variants!;
		expect(variants['v1']!.requests).toBeGreaterThan(variants['v2']!.requests);
		expect(variants['v2']!.p95Ms).toBeGreaterThan(variants['v1']!.p95Ms);
	});
});
