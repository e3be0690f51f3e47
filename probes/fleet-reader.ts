/**
 * The console's side of the fleet: one reading of what every agent published, with the
 * real SDK client. Locations are discovered with ListMetrics (the `Agents` heartbeat's
 * Location values); percentiles are computed by CloudWatch over all agents' distributions
 * (GetMetricData on the `Location=all` rollup, one period covering the window); agents are
 * the heartbeat's SampleCount in the newest complete interval; each location's checks
 * are its per-interval Requests and Errors over the watch. A reading never throws: a
 * failure is a `SourceState` and the reading is not ok.
 */
import {GetMetricDataCommand, ListMetricsCommand} from '@aws-sdk/client-cloudwatch';
import type {CloudWatchClient, MetricDataQuery} from '@aws-sdk/client-cloudwatch';
import {summarizeChecks} from '../source/core/fleet-checks.js';
import type {FleetCheck, FleetLocation, FleetProbe, FleetSnapshot} from '../source/core/fleet-types.js';
import {sanitize} from '../source/core/sanitize.js';
import {chunk} from './cloudwatch-batches.js';
import {boundedCall, createCloudWatchClient, resolveRegion} from './cloudwatch-client.js';
import {classifyCloudWatchError} from './cloudwatch-errors.js';
import {allValue, agentDimensions, fleetMetricNames, fleetWindowPeriodSec, probeDimensions} from './fleet-metrics.js';

export type FleetReaderOptions = {
	service: string;
	namespace: string;
	probeIds: string[];
	intervalMs: number;
	minAgents: number;
	/** The percentile window, ms (rounded up to a period CloudWatch accepts). */
	windowMs: number;
	/** Checks count from here (the watch's start), epoch ms; at most the last 3 h (high-resolution retention). */
	watchStartMs: number;
	region?: string;
	endpoint?: string;
	env?: NodeJS.ProcessEnv;
	now: () => number;
	/** @default 5000 */
	timeoutMs?: number;
	/** Bound on pages followed per call. @default 20 */
	maxPages?: number;
};

export type FleetReader = {read(): Promise<FleetSnapshot>; close(): void};

const hourMs = 3_600_000;
const retentionMs = 3 * hourMs;
const maxQueriesPerCall = 500;

type Series = Map<number, number>;

export function createFleetReader(options: FleetReaderOptions): FleetReader {
	const env = options.env ?? process.env;
	const timeoutMs = options.timeoutMs ?? 5000;
	const maxPages = options.maxPages ?? 20;
	const region = resolveRegion(options.region, env);
	const intervalMs = options.intervalMs;
	const periodSec = fleetWindowPeriodSec(options.windowMs, intervalMs);
	const callTimes: number[] = [];
	let client: CloudWatchClient | null = null;

	const call = async <T>(run: (c: CloudWatchClient, signal: AbortSignal) => Promise<T>): Promise<T> => {
		callTimes.push(options.now());
		client ??= createCloudWatchClient({region, endpoint: options.endpoint, env, timeoutMs});
		const c = client;
		return boundedCall(timeoutMs, (signal) => run(c, signal));
	};

	const metric = (id: string, metricName: string, dimensions: Record<string, string>, stat: string, period: number): MetricDataQuery => ({
		Id: id,
		ReturnData: true,
		MetricStat: {
			Metric: {Namespace: options.namespace, MetricName: metricName, Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({Name, Value}))},
			Period: period,
			Stat: stat,
		},
	});

	/** Sends page after page (at most `maxPages`), handing each to `take`; returns the token still left, if any. */
	const eachPage = async <R extends {NextToken?: string}>(
		send: (token: string | undefined) => Promise<R>,
		take: (res: R) => void,
	): Promise<string | undefined> => {
		let token: string | undefined;
		let pages = 0;
		do {
			const res = await send(token);
			take(res);
			token = res.NextToken;
			pages++;
		} while (token && pages < maxPages);
		return token;
	};

	/** Every query's datapoints over [start, end), all pages. */
	const getSeries = async (queries: MetricDataQuery[], startMs: number, endMs: number): Promise<Map<string, Series>> => {
		const out = new Map<string, Series>();
		for (const batch of chunk(queries, maxQueriesPerCall)) {
			const left = await eachPage(
				(token) =>
					call((c, abortSignal) =>
						c.send(
							new GetMetricDataCommand({
								MetricDataQueries: batch,
								StartTime: new Date(startMs),
								EndTime: new Date(endMs),
								ScanBy: 'TimestampAscending',
								...(token ? {NextToken: token} : {}),
							}),
							{abortSignal},
						),
					),
				(res) => {
					for (const r of res.MetricDataResults ?? []) {
						if (!r.Id) continue;
						const series = out.get(r.Id) ?? new Map<number, number>();
						(r.Timestamps ?? []).forEach((t, k) => series.set(t.getTime(), r.Values?.[k] ?? Number.NaN));
						out.set(r.Id, series);
					}
				},
			);
			if (left) throw Object.assign(new Error(`GetMetricData still had pages after ${maxPages}`), {name: 'PartialData'});
		}
		return out;
	};

	const listLocations = async (): Promise<string[]> => {
		const names = new Set<string>();
		await eachPage(
			(token) =>
				call((c, abortSignal) =>
					c.send(
						new ListMetricsCommand({
							Namespace: options.namespace,
							MetricName: fleetMetricNames.agents,
							Dimensions: [{Name: 'Service', Value: options.service}, {Name: 'Location'}],
							RecentlyActive: 'PT3H',
							...(token ? {NextToken: token} : {}),
						}),
						{abortSignal},
					),
				),
			(res) => {
				for (const m of res.Metrics ?? []) {
					const location = m.Dimensions?.find((d) => d.Name === 'Location')?.Value;
					if (location !== undefined && location !== allValue) names.add(sanitize(location, 64));
				}
			},
		);
		return [...names].sort();
	};

	const snapshotOf = (at: number, fields: Partial<FleetSnapshot> & Pick<FleetSnapshot, 'state'>): FleetSnapshot => {
		while (callTimes.length > 0 && callTimes[0]! <= at - hourMs) callTimes.shift();
		return {
			at,
			windowStartMs: Number.NaN,
			windowEndMs: Number.NaN,
			intervalMs,
			agents: 0,
			minAgents: options.minAgents,
			probes: [],
			...fields,
			callsLastHour: callTimes.length,
		};
	};

	return {
		async read() {
			const at = options.now();
			if (!region)
				return snapshotOf(at, {state: {kind: 'error', code: 'no_region', message: 'No AWS region: set cloudwatch.region in the plan or AWS_REGION'}});
			// An agent publishes right after its interval ends, later on a busy host: an interval counts as complete one
			// interval (at most 5 s) after its end. A stopped agent still drops out within two intervals.
			const settled = at - Math.min(intervalMs, 5000);
			const lastEnd = Math.floor(settled / intervalMs) * intervalMs;
			const periodMs = periodSec * 1000;
			const windowEndMs = Math.floor(settled / periodMs) * periodMs;
			const windowStartMs = windowEndMs - periodMs;
			const watchStart = Math.floor(Math.max(options.watchStartMs, lastEnd - retentionMs + intervalMs) / intervalMs) * intervalMs;
			try {
				const locations = await listLocations();
				const svc = options.service;
				const windowQueries: MetricDataQuery[] = [];
				const checkQueries: MetricDataQuery[] = [metric('agents', fleetMetricNames.agents, agentDimensions(svc, allValue), 'SampleCount', intervalMs / 1000)];
				locations.forEach((l, li) =>
					checkQueries.push(metric(`agents_${li}`, fleetMetricNames.agents, agentDimensions(svc, l), 'SampleCount', intervalMs / 1000)),
				);
				options.probeIds.forEach((p, pi) => {
					const all = probeDimensions(svc, p, allValue, allValue);
					for (const stat of ['p50', 'p95', 'p99']) windowQueries.push(metric(`${stat}_${pi}`, fleetMetricNames.latency, all, stat, periodSec));
					windowQueries.push(metric(`req_${pi}`, fleetMetricNames.requests, all, 'Sum', periodSec));
					windowQueries.push(metric(`err_${pi}`, fleetMetricNames.errors, all, 'Sum', periodSec));
					windowQueries.push(metric(`tmo_${pi}`, fleetMetricNames.timeouts, all, 'Sum', periodSec));
					locations.forEach((l, li) => {
						const here = probeDimensions(svc, p, allValue, l);
						windowQueries.push(metric(`lp95_${pi}_${li}`, fleetMetricNames.latency, here, 'p95', periodSec));
						checkQueries.push(metric(`lreq_${pi}_${li}`, fleetMetricNames.requests, here, 'Sum', intervalMs / 1000));
						checkQueries.push(metric(`lerr_${pi}_${li}`, fleetMetricNames.errors, here, 'Sum', intervalMs / 1000));
					});
				});
				const windowed = await getSeries(windowQueries, windowStartMs, windowEndMs);
				const checked = watchStart < lastEnd ? await getSeries(checkQueries, watchStart, lastEnd) : new Map<string, Series>();
				const single = (id: string): number => windowed.get(id)?.get(windowStartMs) ?? Number.NaN;
				const sumOrZero = (id: string): number => windowed.get(id)?.get(windowStartMs) ?? 0;
				const agentsAt = (id: string): number => checked.get(id)?.get(lastEnd - intervalMs) ?? 0;
				const probes: FleetProbe[] = options.probeIds.map((id, pi) => ({
					id,
					p50: single(`p50_${pi}`),
					p95: single(`p95_${pi}`),
					p99: single(`p99_${pi}`),
					requests: sumOrZero(`req_${pi}`),
					errors: sumOrZero(`err_${pi}`),
					timeouts: sumOrZero(`tmo_${pi}`),
					agents: agentsAt('agents'),
					locations: locations.map((name, li): FleetLocation => {
						const requests = checked.get(`lreq_${pi}_${li}`) ?? new Map<number, number>();
						const errors = checked.get(`lerr_${pi}_${li}`) ?? new Map<number, number>();
						const checks: FleetCheck[] = [...requests].map(([startMs, n]) => ({startMs, requests: n, errors: errors.get(startMs) ?? 0}));
						return {name, agents: agentsAt(`agents_${li}`), p95: single(`lp95_${pi}_${li}`), ...summarizeChecks(checks)};
					}),
				}));
				return snapshotOf(at, {state: {kind: 'ok'}, windowStartMs, windowEndMs, agents: agentsAt('agents'), probes});
			} catch (error) {
				return snapshotOf(at, {state: classifyCloudWatchError(error, {timeoutMs}), windowStartMs, windowEndMs});
			}
		},
		close() {
			client?.destroy();
			client = null;
		},
	};
}
