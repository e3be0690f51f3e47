/**
 * `golive demo --serve`: the simulated StatusBoardV2 service and the
 * CloudWatch-compatible endpoint alone, no console. One JSON line on stdout
 * (`{"serviceUrl", "cloudwatchUrl", "planFile"}`) once both listen; it runs
 * until SIGINT/SIGTERM. The plan file is the demo plan against those URLs, so
 * `golive run --plan FILE` drives a launch against a service that outlives it.
 */
import {mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {CommandIo} from '../cli-args.js';
import {UsageError} from '../cli-args.js';
import {connectDemoMetrics} from '../demo/cloudwatch-feed.js';
import {startCloudWatchServer} from '../demo/cloudwatch-server.js';
import {startDemoService, type DemoScenario} from '../demo/service.js';
import {demoPlan} from '../plan/demo-plan.js';

export type DemoServeOptions = {
	scenario: DemoScenario;
	/** Where the plan goes; without it, a new temporary directory that also holds the journals. */
	planOut: string | undefined;
	io: CommandIo;
	/** Resolves when the servers should stop. @default the first SIGINT or SIGTERM */
	stopped?: Promise<NodeJS.Signals>;
};

function firstSignal(): {signalled: Promise<NodeJS.Signals>; detach: () => void} {
	let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
	const signalled = new Promise<NodeJS.Signals>((resolve) => {
		onSignal = resolve;
	});
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	return {
		signalled,
		detach: () => {
			process.off('SIGINT', onSignal);
			process.off('SIGTERM', onSignal);
		},
	};
}

/** Writes the plan where it was asked for; a write error is a usage error naming the file and the OS reason. */
async function writePlanFile(planOut: string | undefined, cwd: string, plan: object): Promise<string> {
	const file = planOut === undefined ? path.join(await mkdtemp(path.join(tmpdir(), 'golive-serve-')), 'golive.json') : path.resolve(cwd, planOut);
	// A temporary plan keeps its journals beside it; a plan the user placed uses the usual journal directory.
	const body = planOut === undefined ? {...plan, journalDir: path.join(path.dirname(file), 'journals')} : plan;
	try {
		await writeFile(file, `${JSON.stringify(body, null, 2)}\n`);
	} catch (error) {
		const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
		throw new UsageError(`cannot write the plan to ${file}: ${reason}`, 'demo');
	}
	return file;
}

export async function serveDemo(options: DemoServeOptions): Promise<number> {
	const {io} = options;
	// Listening for signals first: a SIGTERM during start-up still stops cleanly.
	const signal = options.stopped ? {signalled: options.stopped, detach: () => undefined} : firstSignal();
	const closers: Array<() => Promise<void> | void> = [];
	try {
		const service = await startDemoService({scenario: options.scenario, faultRate: 0.0002});
		closers.push(() => service.close());
		const cloudwatch = await startCloudWatchServer();
		closers.push(() => cloudwatch.close());
		closers.push(connectDemoMetrics(service, cloudwatch));
		const plan = demoPlan({serviceUrl: service.url, cloudwatchUrl: cloudwatch.url, judge: options.scenario === 'subtle'});
		const planFile = await writePlanFile(options.planOut, io.cwd ?? process.cwd(), plan);
		io.stdout.write(`${JSON.stringify({serviceUrl: service.url, cloudwatchUrl: cloudwatch.url, planFile})}\n`);
		const by = await signal.signalled;
		io.stderr.write(`golive demo --serve: stopped by ${by}\n`);
		return 0;
	} finally {
		signal.detach();
		await Promise.allSettled(closers.reverse().map(async (close) => close()));
	}
}
