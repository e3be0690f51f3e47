/**
 * The engine's ports, made from a plan: the probe engine in a worker thread,
 * the CloudWatch poller, the flag API, the journal and the infra checks.
 */
import {startProbeWorker} from '../../probes/probe-worker.js';
import type {FlagController} from '../actions/flag-controller.js';
import {toFlagWriteResult} from '../actions/outcome.js';
import type {CloudWatchSnapshot} from '../core/measurements.js';
import type {Redactor} from '../core/redact.js';
import type {Plan} from '../core/plan-types.js';
import type {Journal} from '../journal/journal.js';
import type {CloudWatchPort, FlagPort, InfraCheckResult, InfraPort, JournalPort, ProbePort} from './ports.js';
import type {StepPort} from './runbook-driver.js';

export type WireOptions = {
	plan: Plan;
	env: NodeJS.ProcessEnv;
	now: () => number;
	/** How often the worker posts probe snapshots. @default 500 */
	probeSnapshotMs?: number;
	/** One redactor for the flag API and the journal, knowing the plan's secrets. */
	redactor?: Redactor;
};

/** Scheduler lag p99 beyond which a launch's probe numbers are marked suspect (NO_DATA), ms. */
const launchMaxLagMs = 250;

function baseUrlOf(plan: Plan): string {
	const environment = plan.environments[plan.environment];
	if (!environment) throw new Error(`environment '${plan.environment}' is not in the plan`);
	return environment.baseUrl;
}

/** Probes in a worker thread, so drawing the screen never delays a send. The worker starts with the engine. */
export function probePort(options: WireOptions): ProbePort {
	let worker: ReturnType<typeof startProbeWorker> | null = null;
	const stopping: Array<Promise<unknown>> = [];
	const launch = (baseUrl: string) =>
		startProbeWorker({
			baseUrl,
			probes: options.plan.probes,
			env: options.env,
			...(options.plan.windowsMs ? {windowsMs: options.plan.windowsMs} : {}),
			snapshotIntervalMs: options.probeSnapshotMs ?? 500,
			// Latency is timed from the intended send, so a late send only makes numbers worse, never better.
			// The run is suspect when the scheduler falls this far behind, not at the bench's 10 ms.
			maxLagMs: launchMaxLagMs,
			onSnapshot: () => undefined,
		});
	return {
		start(baseUrl) {
			worker ??= launch(baseUrl ?? baseUrlOf(options.plan));
		},
		retarget(baseUrl) {
			// The old environment's windows go with its worker: nothing measured there judges the new one.
			if (worker) stopping.push(worker.stop());
			worker = launch(baseUrl);
		},
		latest: () => worker?.latest() ?? [],
		stop: async () => {
			await Promise.allSettled([...stopping, worker?.stop()]);
		},
	};
}

export function cloudWatchPort(options: WireOptions): CloudWatchPort {
	const cw = options.plan.cloudwatch;
	if (!cw) return {latest: () => null, stop: async () => undefined};
	let latest: CloudWatchSnapshot | null = {
		at: options.now(),
		state: {kind: 'starting'},
		metrics: [],
		alarms: [],
		missingAlarms: [],
		callsLastHour: 0,
		lastSuccessAt: null,
	};
	let pollIntervalMs: number | null = null;
	// The AWS SDK loads in the background: the first frame does not wait for it.
	const started = Promise.all([import('../../probes/cloudwatch.js'), import('../../probes/cloudwatch-poller.js')]).then(
		([{createCloudWatchSource}, {startCloudWatchPoller, effectivePollIntervalMs}]) => {
			const source = createCloudWatchSource(cw, {now: options.now, env: options.env});
			pollIntervalMs = effectivePollIntervalMs(cw.pollIntervalMs, source.loopback);
			const poller = startCloudWatchPoller(source, {
				intervalMs: cw.pollIntervalMs,
				now: options.now,
				onSnapshot: (snapshot: CloudWatchSnapshot) => {
					latest = snapshot;
				},
			});
			return {source, poller};
		},
	);
	return {
		latest: () => latest,
		pollIntervalMs: () => pollIntervalMs,
		stop: async () => {
			const {source, poller} = await started;
			poller.stop();
			source.close();
		},
	};
}

/** The flag API; its HTTP client loads on first use, after the screen is up. */
export function flagPort(options: WireOptions): FlagPort {
	let loading: Promise<FlagController> | null = null;
	const controller = (): Promise<FlagController> =>
		(loading ??= import('../actions/flag-controller.js').then(({createFlagController}) =>
			createFlagController(options.plan, {env: options.env, now: options.now, ...(options.redactor ? {redactor: options.redactor} : {})}),
		));
	const hooks = (onSend?: (sent: unknown) => Promise<void>) => (onSend ? {onSend: (effect: unknown) => onSend(effect)} : {});
	return {
		read: async () => (await controller()).read(),
		setPercent: async (percent, expectVersion, onSend) => toFlagWriteResult(await (await controller()).setPercent(percent, {expectVersion, ...hooks(onSend)})),
		...(options.plan.actions.fullRollback
			? {
					fullRollback: async (reason: string, onSend?: (sent: unknown) => Promise<void>) =>
						toFlagWriteResult(await (await controller()).fullRollback(reason, hooks(onSend))),
				}
			: {}),
	};
}

/** Runbook steps: commands without a shell and HTTP calls, with the plan's redactor. */
export function stepPort(options: WireOptions): StepPort {
	return {
		run: async (item, onAttempt) => {
			const [{runStep}, {createRedactor, secretsFromPlan}] = await Promise.all([import('../actions/step-runner.js'), import('../core/redact.js')]);
			const redactor = options.redactor ?? createRedactor(secretsFromPlan(options.plan, options.env));
			return runStep(item, {env: options.env, now: options.now, redactor, onAttempt});
		},
	};
}

export function journalPort(journal: Journal): JournalPort {
	return {append: (entry) => journal.append(entry), close: () => journal.close(), path: journal.path};
}

/** The I/O-backed gate items: health, DNS, TLS and "rollback configured" (the flag reads back). */
export function infraPort(options: WireOptions, flag: FlagPort): InfraPort {
	return {
		async run() {
			const {checkDns, checkHealth, checkTls, parseHostTarget} = await import('../../probes/infra-checks.js');
			const results: Record<string, InfraCheckResult> = {};
			await Promise.all(
				options.plan.gates.map(async (item) => {
					if (item.kind !== 'auto') return;
					const check = item.check;
					switch (check.kind) {
						case 'health':
							results[item.id] = await checkHealth(check.url, {timeoutMs: 5000});
							return;
						case 'dns':
							results[item.id] = await checkDns(parseHostTarget(check.host).host, {timeoutMs: 5000});
							return;
						case 'tls': {
							const target = parseHostTarget(check.host);
							if (target.protocol === 'http:') {
								results[item.id] = {status: 'pass', detail: `n/a: ${target.host} is plain http`};
								return;
							}
							results[item.id] = await checkTls(target.host, check.port ?? target.port ?? 443, {minDays: check.minDays, timeoutMs: 5000, now: options.now});
							return;
						}
						case 'rollback-configured': {
							const read = await flag.read();
							results[item.id] = read.ok
								? {
										status: 'pass',
										detail: `flag reads back at ${read.percent} %; emergency rollback sets it to 0 %${options.plan.actions.fullRollback ? ', full rollback configured' : ''}`,
									}
								: {status: 'fail', detail: `flag ${read.error}`};
							return;
						}
						case 'alarms-ok':
						case 'slo':
						case 'canary-stage':
						case 'stabilized':
						case 'synthetic-uptime':
							// Evaluated by the core from live data.
							return;
						default: {
							const _never: never = check;
							return _never;
						}
					}
				}),
			);
			return results;
		},
	};
}
