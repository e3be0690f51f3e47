/** The CLI's surface: help, version, usage errors (exit 2), bad plans (exit 2), a dead host (exit 3). */
import {mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {demoPlan} from '../source/plan/demo-plan.js';
import {parseNdjson, runCli} from './helpers/spawn-cli.js';

async function tempFile(name: string, content: string): Promise<string> {
	const dir = await mkdtemp(path.join(tmpdir(), 'golive-cli-'));
	const file = path.join(dir, name);
	await writeFile(file, content);
	return file;
}

describe.concurrent('golive CLI surface', () => {
	it('--help lists every command with an example and exits 0', async () => {
		const run = await runCli(['--help']);
		expect(run.code).toBe(0);
		for (const command of ['demo', 'run', 'probe', 'check', 'report', 'init', 'schema']) {
			expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
			expect(run.stdout).toContain(`e.g. golive ${command}`);
		}
	});

	it('--version prints the package version and exits 0', async () => {
		const run = await runCli(['--version']);
		expect(run.code).toBe(0);
		expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
	});

	it('an unknown flag exits 2 with a hint', async () => {
		const run = await runCli(['demo', '--scenari', 'healthy']);
		expect(run.code).toBe(2);
		expect(run.stderr).toContain("Unknown option '--scenari'");
		expect(run.stderr).toContain("Try 'golive demo --help'");
	});

	it('an unknown scenario and an unknown command exit 2', async () => {
		const scenario = await runCli(['demo', '--scenario', 'sunny']);
		expect(scenario.code).toBe(2);
		expect(scenario.stderr).toMatch(/--scenario must be one of healthy, regression, occ-storm, alarm/);
		const command = await runCli(['deploy']);
		expect(command.code).toBe(2);
		expect(command.stderr).toContain("unknown command 'deploy'");
	});

	it('a bad plan exits 2 naming the file and the field', async () => {
		const plan = demoPlan({serviceUrl: 'http://127.0.0.1:1', cloudwatchUrl: 'http://127.0.0.1:1'}) as unknown as Record<string, unknown>;
		const slos = plan.slos as Array<Record<string, unknown>>;
		slos[0]!.threshold = '800ms';
		const file = await tempFile('bad.json', JSON.stringify(plan));
		const run = await runCli(['run', '--plan', file, '--json']);
		expect(run.code).toBe(2);
		expect(run.stderr).toContain('bad.json');
		expect(run.stderr).toContain('/slos/0/threshold');
		expect(run.stdout).toBe('');
	});

	it('a --sign-off for a role the plan does not ask for exits 2 before anything runs', async () => {
		const plan = demoPlan({serviceUrl: 'http://127.0.0.1:1', cloudwatchUrl: 'http://127.0.0.1:1'});
		const file = await tempFile('plan.json', JSON.stringify(plan));
		const run = await runCli(['run', '--plan', file, '--json', '--sign-off', 'ceo="Pat Doe"']);
		expect(run.code).toBe(2);
		expect(run.stderr).toContain('role "ceo" signs nothing here (roles: product_owner, eng_lead, qa_lead)');
		expect(run.stdout).toBe('');
	});

	it('a plan pointing at a dead host ends inconclusive (exit 3) with a clear reason, never a success', {timeout: 90_000}, async () => {
		const plan = {
			...demoPlan({serviceUrl: 'http://127.0.0.1:1', cloudwatchUrl: 'http://127.0.0.1:1'}),
			journalDir: path.join(tmpdir(), `golive-dead-${process.pid}`),
		};
		const file = await tempFile('dead.json', JSON.stringify(plan));
		const run = await runCli(['run', '--plan', file, '--json', '--auto', '--gate-timeout', '6'], {
			env: {AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true'},
			timeoutMs: 60_000,
		});
		const lines = parseNdjson(run.stdout);
		expect(run.code, run.stderr.slice(-1500)).toBe(3);
		const result = lines.at(-1)!;
		expect(result).toMatchObject({type: 'result', outcome: 'inconclusive', exitCode: 3});
		expect(String(result.reason)).toMatch(/Gate A/);
		expect(lines.some((l) => l.type === 'action')).toBe(false);
	});
});
