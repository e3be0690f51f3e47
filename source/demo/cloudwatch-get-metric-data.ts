/**
 * GetMetricData for the CloudWatch-compatible endpoint: MetricStat queries computed from
 * the store, metric-math expressions over them, datapoints paged through one flat list in
 * scan order (a query cut by the page edge is PartialData until its last page).
 */
import type {Series} from './cloudwatch-metric-math.js';
import {evaluateExpression} from './cloudwatch-metric-math.js';
import {encodeToken, decodeToken, fingerprintOf} from './cloudwatch-paging.js';
import {isKnownStat, statisticOf} from './cloudwatch-statistics.js';
import type {MetricStore} from './cloudwatch-storage.js';
import {validation} from './cloudwatch-wire-errors.js';

/** The real service limit on MetricDataQueries per GetMetricData call. */
const maxQueriesPerCall = 500;

type WireDimension = {Name?: string; Value?: string};
type WireQuery = {
	Id?: string;
	Label?: string;
	ReturnData?: boolean;
	Expression?: string;
	Period?: number;
	MetricStat?: {Metric?: {Namespace?: string; MetricName?: string; Dimensions?: WireDimension[]}; Period?: number; Stat?: string};
};
type WireResult = {Id: string; Label: string; Timestamps: number[]; Values: number[]; StatusCode: string; Messages: unknown[]};

function seriesFor(store: MetricStore, query: WireQuery, startMs: number, endMs: number, id: string): Series {
	const stat = query.MetricStat;
	const metric = stat?.Metric;
	if (!metric?.Namespace || !metric.MetricName || !stat?.Stat) throw validation(`Query ${id}: MetricStat needs Metric.Namespace, Metric.MetricName and Stat`);
	if (!isKnownStat(stat.Stat))
		throw validation(`The parameter MetricDataQueries.member.1.MetricStat.Stat must be a valid statistic: ${stat.Stat}`, 'InvalidParameterValue');
	const periodMs = (stat.Period ?? 0) * 1000;
	if (!(periodMs >= 1000)) throw validation(`Query ${id}: Period must be at least 1 second`);
	const dimensions: Record<string, string> = {};
	for (const d of metric.Dimensions ?? []) if (d.Name !== undefined) dimensions[d.Name] = d.Value ?? '';
	const series: Series = new Map();
	for (const [bucket, entries] of store.buckets({namespace: metric.Namespace, metricName: metric.MetricName, dimensions}, startMs, endMs, periodMs)) {
		series.set(bucket, statisticOf(stat.Stat, entries));
	}
	return series;
}

export function getMetricData(store: MetricStore, body: Record<string, unknown>, metricPage: number): unknown {
	const queries = body.MetricDataQueries;
	if (!Array.isArray(queries) || queries.length === 0) throw validation('MetricDataQueries is required');
	if (queries.length > maxQueriesPerCall) throw validation(`The collection MetricDataQueries must not have a size greater than ${maxQueriesPerCall}.`);
	if (typeof body.StartTime !== 'number' || typeof body.EndTime !== 'number') throw validation('StartTime and EndTime are required');
	const startMs = body.StartTime * 1000;
	const endMs = body.EndTime * 1000;
	if (!(startMs < endMs)) throw validation('The parameter StartTime must be less than the parameter EndTime.');
	const ascending = body.ScanBy === 'TimestampAscending';
	const maxDatapoints = typeof body.MaxDatapoints === 'number' && body.MaxDatapoints > 0 ? body.MaxDatapoints : Number.POSITIVE_INFINITY;
	const pageSize = Math.min(metricPage, maxDatapoints);

	const byId = new Map<string, WireQuery>();
	for (const raw of queries as WireQuery[]) {
		const id = raw.Id;
		if (typeof id !== 'string' || !/^[a-z][a-zA-Z0-9_]*$/.test(id)) throw validation(`Invalid query Id: ${String(id)}`);
		if (byId.has(id)) throw validation(`The value ${id} for field Id must be unique`);
		if ((raw.Expression === undefined) === (raw.MetricStat === undefined)) throw validation(`Query ${id}: exactly one of Expression and MetricStat`);
		byId.set(id, raw);
	}
	const cache = new Map<string, Series>();
	const resolving = new Set<string>();
	const resolve = (id: string): Series => {
		const cached = cache.get(id);
		if (cached) return cached;
		const query = byId.get(id);
		if (!query) throw validation(`Expression references unknown query Id ${id}`);
		if (resolving.has(id)) throw validation(`Circular expression at ${id}`);
		resolving.add(id);
		let series: Series;
		if (query.Expression !== undefined) {
			const value = evaluateExpression(query.Expression, resolve);
			if (value.kind === 'series') series = value.series;
			else if (value.kind === 'scalar') {
				// A scalar shows as one point at the newest period of the window.
				const periodMs = (query.Period ?? 60) * 1000;
				series = Number.isFinite(value.value) ? new Map([[Math.floor((endMs - 1) / periodMs) * periodMs, value.value]]) : new Map();
			} else throw validation(`Query ${id}: an expression must return one time series`);
		} else series = seriesFor(store, query, startMs, endMs, id);
		resolving.delete(id);
		cache.set(id, series);
		return series;
	};

	// Every returned datapoint, query by query, in scan order: pages cut through this list.
	const flat: {index: number; ts: number; value: number}[] = [];
	const results: WireResult[] = [];
	for (const query of byId.values()) {
		const id = query.Id!;
		const series = resolve(id);
		if (query.ReturnData === false) continue;
		const index = results.length;
		results.push({Id: id, Label: query.Label ?? query.MetricStat?.Metric?.MetricName ?? id, Timestamps: [], Values: [], StatusCode: 'Complete', Messages: []});
		const points = [...series].filter(([, v]) => Number.isFinite(v)).sort((a, b) => (ascending ? a[0] - b[0] : b[0] - a[0]));
		for (const [ts, value] of points) flat.push({index, ts, value});
	}

	const fingerprint = fingerprintOf(body);
	const offset = decodeToken(body.NextToken, fingerprint);
	const page = flat.slice(offset, offset + pageSize);
	const more = offset + pageSize < flat.length;
	for (const point of page) {
		const result = results[point.index]!;
		result.Timestamps.push(point.ts / 1000);
		result.Values.push(point.value);
	}
	// Every query is listed on every page; one with datapoints still to come is PartialData.
	for (let k = offset + pageSize; k < flat.length; k++) results[flat[k]!.index]!.StatusCode = 'PartialData';
	return {
		MetricDataResults: results,
		Messages: [],
		...(more ? {NextToken: encodeToken(offset + pageSize, fingerprint)} : {}),
	};
}
