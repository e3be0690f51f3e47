/**
 * golive's CloudWatch source: the plan's metrics (GetMetricData, batched and
 * paginated) and alarms (DescribeAlarms by names and/or prefix), as one
 * `CloudWatchSnapshot` per poll. A poll never throws and never looks green on
 * failure: errors become a `SourceState`, and the last known values stay with
 * their own timestamps so they age into NO_DATA instead of vanishing.
 */
import {DescribeAlarmsCommand, GetMetricDataCommand} from '@aws-sdk/client-cloudwatch';
import type {CloudWatchClient, DescribeAlarmsCommandInput, MetricDataQuery} from '@aws-sdk/client-cloudwatch';
import type {AlarmStateValue, AlarmView, CloudWatchSnapshot, CloudWatchValue, SourceState} from '../source/core/measurements.js';
import {alarmStates} from '../source/core/measurements.js';
import type {CloudWatchMetricQuery, CloudWatchPlan} from '../source/core/plan-types.js';
import {sanitize} from '../source/core/sanitize.js';
import {batchQueries, chunk} from './cloudwatch-batches.js';
import {boundedCall, createCloudWatchClient, isLoopbackEndpoint, resolveRegion} from './cloudwatch-client.js';

export {isLoopbackEndpoint} from './cloudwatch-client.js';
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

export function createCloudWatchSource(plan: CloudWatchPlan, options: CloudWatchSourceOptions): CloudWatchPollSource {
	const env = options.env ?? process.env;
	const timeoutMs = options.timeoutMs ?? 5000;
	const maxPages = options.maxPages ?? 50;
	const region = resolveRegion(plan.region, env);
	const callTimes: number[] = [];
	let client: CloudWatchClient | null = null;
	let closed = false;
	let lastSuccessAt: number | null = null;
	let metrics: CloudWatchValue[] = plan.metrics.map((q) => ({id: q.id, label: q.label, value: Number.NaN, timestamp: null, statusCode: 'NoData'}));
	let alarms: AlarmView[] = [];
	let missingAlarms: string[] = [];

	const getClient = (): CloudWatchClient => (client ??= createCloudWatchClient({region, endpoint: plan.endpoint, env, timeoutMs}));

	/** One API call, counted, and bounded in time even if credential resolution hangs. */
	const call = async <T>(run: (c: CloudWatchClient, signal: AbortSignal) => Promise<T>): Promise<T> => {
		callTimes.push(options.now());
		return boundedCall(timeoutMs, (signal) => run(getClient(), signal));
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
				c.send(new DescribeAlarmsCommand({...input, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, ...(token ? {NextToken: token} : {})}), {
					abortSignal,
				}),
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
				return snapshot(at, classifyCloudWatchError(error, {timeoutMs}));
			}
		},
		close() {
			closed = true;
			client?.destroy();
			client = null;
		},
	};
}
