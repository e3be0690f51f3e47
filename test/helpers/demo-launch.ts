/**
 * A demo service and CloudWatch-compatible endpoint on loopback with the demo
 * plan written to a file, for spawned-CLI tests that run `golive run --plan`
 * and control it from a second process.
 */
import {mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {connectDemoMetrics} from '../../source/demo/cloudwatch-feed.js';
import {startCloudWatchServer} from '../../source/demo/cloudwatch-server.js';
import type {DemoScenario} from '../../source/demo/scenarios.js';
import {startDemoService, type DemoService} from '../../source/demo/service.js';
import type {Plan} from '../../source/core/plan-types.js';
import {demoPlan, demoSignOffs} from '../../source/plan/demo-plan.js';

export type DemoLaunch = {
	service: DemoService;
	plan: Plan;
	planFile: string;
	dir: string;
	/** `--sign-off` arguments for the demo's Gate A items. */
	signOffArgs: string[];
	close(): Promise<void>;
};

/** Environment for a spawned golive against the loopback CloudWatch endpoint (no AWS). */
export const demoEnv: NodeJS.ProcessEnv = {AWS_ACCESS_KEY_ID: 'demo', AWS_SECRET_ACCESS_KEY: 'demo', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true'};

export async function startDemoLaunch(scenario: DemoScenario, planChanges: (plan: Plan) => Record<string, unknown> = (p) => p): Promise<DemoLaunch> {
	const service = await startDemoService({scenario, faultRate: 0.0002});
	const cloudwatch = await startCloudWatchServer();
	const disconnect = connectDemoMetrics(service, cloudwatch);
	const dir = await mkdtemp(path.join(tmpdir(), 'golive-ctl-'));
	const plan = {...demoPlan({serviceUrl: service.url, cloudwatchUrl: cloudwatch.url}), journalDir: path.join(dir, 'journals')};
	const planFile = path.join(dir, 'golive.json');
	await writeFile(planFile, JSON.stringify(planChanges(plan), null, 2));
	return {
		service,
		plan,
		planFile,
		dir,
		signOffArgs: demoSignOffs.flatMap((s) => ['--sign-off', `${s.role}=${s.name}`]),
		async close() {
			disconnect();
			await Promise.allSettled([service.close(), cloudwatch.close()]);
		},
	};
}
