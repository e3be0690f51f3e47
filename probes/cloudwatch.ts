/**
 * golive's CloudWatch source: the plan's metrics (GetMetricData, batched and
 * paginated) and alarms (DescribeAlarms by names and/or prefix), as one
 * `CloudWatchSnapshot` per poll. A poll never throws and never looks green on
 * failure: errors become a `SourceState`, and the last known values stay with
 * their own timestamps so they age into NO_DATA instead of vanishing.
 */
import {CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand} from '@aws-sdk/client-cloudwatch';
import type {CloudWatchClientConfig, DescribeAlarmsCommandInput, MetricDataQuery} from '@aws-sdk/client-cloudwatch';
import type {AlarmStateValue, AlarmView, CloudWatchSnapshot, CloudWatchValue, SourceState} from '../source/core/measurements.js';
import {alarmStates} from '../source/core/measurements.js';
import type {CloudWatchMetricQuery, CloudWatchPlan} from '../source/core/plan-types.js';
import {sanitize} from '../source/core/sanitize.js';
import {batchQueries, chunk} from './cloudwatch-batches.js';
import {classifyCloudWatchError} from './cloudwatch-errors.js';

export type CloudWatchSourceOptions = {
	now: () => number;
	/** Where credentials (AWS_ACCESS_KEY_ID …, AWS_PROFILE) and AWS_REGION are read. @default process.env */
	env?: NodeJS.ProcessEnv;
	/** Bound on each API call, credential resolution included. @default 5000 */
	timeoutMs?: number;
	/** Bound on NextToken pages followed per call; what is left stays PartialData. @default 50 */
	maxPages?: number;
};

export type CloudWatchPollSource = {
	poll(): Promise<CloudWatchSnapshot>;
	close(): void;
	/** The endpoint is on this machine (the demo): the poller may poll faster than 10 s. */
	readonly loopback: boolean;
};

/** DescribeAlarms accepts at most 100 names per call. */
const maxAlarmNamesPerCall = 100;
const hourMs = 3_600_000;

/** True when `endpoint` is a loopback URL (127.0.0.0/8, ::1, localhost). */
export function isLoopbackEndpoint(endpoint: string | undefined): boolean {
	if (!endpoint) return false;
	try {
		const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
		return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
	} catch {
		return false;
	}
}

function toWireQuery(query: CloudWatchMetricQuery): MetricDataQuery {
	if ('expression' in query) return {Id: query.id, Label: query.label, Expression: query.expression, Period: query.periodSec, ReturnData: true};
	return {
		Id: query.id,
		Label: query.label,
		ReturnData: true,
		MetricStat: {
			Metric: {
				Namespace: query.namespace,
				MetricName: query.metricName,
				Dimensions: Object.entries(query.dimensions ?? {}).map(([Name, Value]) => ({Name, Value})),
			},
			Period: query.periodSec,
			Stat: query.stat,
		},
	};
}

function toAlarmState(value: unknown): AlarmStateValue {
	// An unknown state is not OK: it holds promotion like missing data does.
	return alarmStates.find((s) => s === value) ?? 'INSUFFICIENT_DATA';
}

class DeadlineError extends Error {
	override name = 'TimeoutError';
}

export function createCloudWatchSource(plan: CloudWatchPlan, options: CloudWatchSourceOptions): CloudWatchPollSource {
	const env = options.env ?? process.env;
	const timeoutMs = options.timeoutMs ?? 5000;
	const maxPages = options.maxPages ?? 50;
	const region = plan.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined);
	const callTimes: number[] = [];
	let client: CloudWatchClient | null = null;
	let closed = false;
	let lastSuccessAt: number | null = null;
	let metrics: CloudWatchValue[] = plan.metrics.map((q) => ({id: q.id, label: q.label, value: Number.NaN, timestamp: null, statusCode: 'NoData'}));
	let alarms: AlarmView[] = [];
	let missingAlarms: string[] = [];

	const getClient = (): CloudWatchClient => {
		if (client) return client;
		// The SDK's Node 20 end-of-support notice goes to stderr and would tear the TUI frame.
		process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
		const config: CloudWatchClientConfig = {
			region,
			// Retries belong to the poller (backoff with jitter), so one poll stays bounded.
			maxAttempts: 1,
			requestHandler: {connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true},
		};
		if (plan.endpoint) config.endpoint = plan.endpoint;
		// The SDK's own precedence: a named profile wins over key variables.
		if (isLoopbackEndpoint(plan.endpoint) && !(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY)) {
			// A CloudWatch-compatible endpoint on this machine (`golive demo --serve`) is not AWS: any static key signs for it.
			config.credentials = {accessKeyId: 'loopback', secretAccessKey: 'loopback'};
		} else if (env.AWS_PROFILE) {
			// Default chain (SSO, shared config/credentials files, process, IMDS) with the profile asked for.
			config.profile = env.AWS_PROFILE;
		} else if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
			config.credentials = {
				accessKeyId: env.AWS_ACCESS_KEY_ID,
				secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
				...(env.AWS_SESSION_TOKEN ? {sessionToken: env.AWS_SESSION_TOKEN} : {}),
			};
		}
		client = new CloudWatchClient(config);
		return client;
	};

	/** One API call, counted, and bounded in time even if credential resolution hangs. */
	const call = async <T>(run: (c: CloudWatchClient, signal: AbortSignal) => Promise<T>): Promise<T> => {
		callTimes.push(options.now());
		const controller = new AbortController();
		let timer: NodeJS.Timeout | undefined;
		const deadline = new Promise<never>((_, reject) => {
			timer = setTimeout(() => {
				controller.abort();
				reject(new DeadlineError(`CloudWatch call exceeded ${timeoutMs} ms`));
			}, timeoutMs + 250);
			timer.unref();
		});
		try {
			return await Promise.race([run(getClient(), controller.signal), deadline]);
		} finally {
			clearTimeout(timer);
		}
	};

	const fetchMetrics = async (at: number): Promise<CloudWatchValue[]> => {
		if (plan.metrics.length === 0) return [];
		const maxPeriodMs = Math.max(...plan.metrics.map((q) => q.periodSec * 1000));
		// Long enough to find the newest datapoint even when it is already stale: staleness is the core's call.
		const lookbackMs = Math.max(plan.maxAgeMs, 3 * maxPeriodMs) + maxPeriodMs;
		const startTime = new Date(at - lookbackMs);
		const endTime = new Date(at);
		const found = new Map<string, {value: number; timestamp: number | null; statusCode: string}>();
		for (const batch of batchQueries(plan.metrics)) {
			let nextToken: string | undefined;
			let pages = 0;
			do {
				const token = nextToken;
				const out = await call((c, abortSignal) =>
					c.send(
						new GetMetricDataCommand({
							MetricDataQueries: batch.map(toWireQuery),
							StartTime: startTime,
							EndTime: endTime,
							ScanBy: 'TimestampDescending',
							...(token ? {NextToken: token} : {}),
						}),
						{abortSignal},
					),
				);
				for (const result of out.MetricDataResults ?? []) {
					if (!result.Id) continue;
					const entry = found.get(result.Id) ?? {value: Number.NaN, timestamp: null, statusCode: 'Complete'};
					const stamps = result.Timestamps ?? [];
					const values = result.Values ?? [];
					for (let k = 0; k < stamps.length && k < values.length; k++) {
						const ts = stamps[k]!.getTime();
						if (Number.isFinite(ts) && (entry.timestamp === null || ts > entry.timestamp)) {
							entry.timestamp = ts;
							entry.value = values[k]!;
						}
					}
					// The last page's word counts: a query cut by the page edge is PartialData until its last page.
					entry.statusCode = result.StatusCode ?? 'Complete';
					found.set(result.Id, entry);
				}
				nextToken = out.NextToken;
				pages++;
			} while (nextToken && pages < maxPages);
		}
		return plan.metrics.map((q) => {
			const entry = found.get(q.id);
			return entry
				? {id: q.id, label: q.label, value: entry.timestamp === null ? Number.NaN : entry.value, timestamp: entry.timestamp, statusCode: entry.statusCode}
				: {id: q.id, label: q.label, value: Number.NaN, timestamp: null, statusCode: 'Missing'};
		});
	};

	const describe = async (input: DescribeAlarmsCommandInput, into: Map<string, AlarmView>): Promise<void> => {
		let nextToken: string | undefined;
		let pages = 0;
		do {
			const token = nextToken;
			const out = await call((c, abortSignal) =>
				c.send(new DescribeAlarmsCommand({...input, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, ...(token ? {NextToken: token} : {})}), {abortSignal}),
			);
			for (const alarm of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) {
				if (!alarm.AlarmName) continue;
				into.set(alarm.AlarmName, {
					name: sanitize(alarm.AlarmName, 200),
					state: toAlarmState(alarm.StateValue),
					reason: sanitize(alarm.StateReason ?? ''),
					updatedAt: alarm.StateUpdatedTimestamp?.getTime() ?? Number.NaN,
					...(alarm.AlarmDescription !== undefined ? {description: sanitize(alarm.AlarmDescription)} : {}),
				});
			}
			nextToken = out.NextToken;
			pages++;
		} while (nextToken && pages < maxPages);
	};

	const fetchAlarms = async (): Promise<{alarms: AlarmView[]; missing: string[]}> => {
		const names = [...new Set(plan.alarms.names ?? [])];
		const byName = new Map<string, AlarmView>();
		// AlarmNames and AlarmNamePrefix cannot share one call.
		for (const group of chunk(names, maxAlarmNamesPerCall)) await describe({AlarmNames: group}, byName);
		if (plan.alarms.prefix !== undefined) await describe({AlarmNamePrefix: plan.alarms.prefix}, byName);
		const sorted = [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, view]) => view);
		return {alarms: sorted, missing: names.filter((n) => !byName.has(n))};
	};

	const snapshot = (at: number, state: SourceState): CloudWatchSnapshot => {
		while (callTimes.length > 0 && callTimes[0]! <= at - hourMs) callTimes.shift();
		return {at, state, metrics, alarms, missingAlarms, callsLastHour: callTimes.length, lastSuccessAt};
	};

	return {
		loopback: isLoopbackEndpoint(plan.endpoint),
		async poll() {
			const at = options.now();
			if (closed) return snapshot(at, {kind: 'disabled', why: 'CloudWatch source closed'});
			if (!region) {
				return snapshot(at, {kind: 'error', code: 'no_region', message: 'No AWS region: set cloudwatch.region in the plan or AWS_REGION'});
			}
			try {
				const nextMetrics = await fetchMetrics(at);
				const nextAlarms = await fetchAlarms();
				metrics = nextMetrics;
				alarms = nextAlarms.alarms;
				missingAlarms = nextAlarms.missing;
				lastSuccessAt = at;
				return snapshot(at, {kind: 'ok'});
			} catch (error) {
				return snapshot(at, classifyCloudWatchError(error));
			}
		},
		close() {
			closed = true;
			client?.destroy();
			client = null;
		},
	};
}
