/**
 * `golive demo --serve` with the demo plan adjusted for one test and written
 * to a file, for spawned-CLI tests that run `golive run --plan` and control it
 * from a second process.
 */
import {mkdtemp, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {Plan} from '../../source/core/plan-types.js';
import {demoSignOffs} from '../../source/plan/demo-sign-offs.js';
import {proxiedPlan, startServedDemo, type ServedDemo} from './demo-serve.js';

type Json = Parameters<typeof proxiedPlan>[3];

export type DemoLaunch = {
	served: ServedDemo;
	plan: Plan;
	planFile: string;
	/** `--sign-off` arguments for the demo's Gate A items. */
	signOffArgs: string[];
	/** The flag as the service reports it. */
	flagPercent(): Promise<number>;
	setFlag(percent: number): Promise<void>;
	close(): Promise<void>;
};

/** Environment for a spawned golive against the loopback CloudWatch endpoint (no AWS). */
export const demoEnv: NodeJS.ProcessEnv = {
	AWS_ACCESS_KEY_ID: 'demo',
	AWS_SECRET_ACCESS_KEY: 'demo',
	AWS_REGION: 'us-east-1',
	AWS_EC2_METADATA_DISABLED: 'true',
};

export async function startDemoLaunch(scenario: string, patch: Json = {}, options: {relaxLatency?: boolean} = {}): Promise<DemoLaunch> {
	const dir = await mkdtemp(path.join(tmpdir(), 'golive-ctl-'));
	const served = await startServedDemo(['--scenario', scenario, '--plan-out', path.join(dir, 'served.json')]);
	const planFile = proxiedPlan(served, served.serviceUrl, 'golive.json', {journalDir: path.join(dir, 'journals'), ...(patch as object)});
	let plan = JSON.parse(await readFile(planFile, 'utf8')) as Plan;
	if (options.relaxLatency) {
		// A loaded test machine slows the probes themselves: latency limits far out of reach keep a healthy run healthy.
		plan = {
			...plan,
			slos: plan.slos.map((r) => (r.unit === 'ms' ? {...r, threshold: r.threshold * 50} : r)),
			canary: {...plan.canary, abort: {...plan.canary.abort, latencyMs: 600_000}},
		};
		await writeFile(planFile, JSON.stringify(plan, null, 2));
	}
	const flagUrl = `${served.serviceUrl}/api/admin/feature-flags`;
	return {
		served,
		plan,
		planFile,
		signOffArgs: demoSignOffs.flatMap((s) => ['--sign-off', `${s.role}=${s.name}`]),
		async flagPercent() {
			const body = (await (await fetch(flagUrl)).json()) as {flags: Record<string, {rolloutPercent: number}>};
			return body.flags[plan.canary.flag]!.rolloutPercent;
		},
		async setFlag(percent) {
			await fetch(flagUrl, {method: 'PUT', headers: {'content-type': 'application/json'}, body: JSON.stringify({rolloutPercent: percent})});
		},
		async close() {
			await served.stop();
		},
	};
}
