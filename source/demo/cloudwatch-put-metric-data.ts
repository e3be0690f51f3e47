/**
 * PutMetricData and ListMetrics for the CloudWatch-compatible endpoint, with CloudWatch's
 * documented limits and error codes (API reference, PutMetricData):
 * at most 1000 data per call and 1 MB per body (413 RequestEntityTooLarge), at most 150
 * `Values` per datum, `Counts` as long as `Values`, no NaN/±Infinity and |v| ≤ 2^360
 * (InvalidParameterValue), one of Value/Values/StatisticValues (InvalidParameterCombination),
 * at most 30 dimensions, `StorageResolution` 1 or 60, no `AWS/` namespace, timestamps from
 * two weeks ago to two hours ahead. A call is all or nothing: every datum is checked first.
 * Standard-resolution data (60) is stored at its minute, as CloudWatch aggregates it.
 */
import {pageOf} from './cloudwatch-paging.js';
import type {StatEntry} from './cloudwatch-statistics.js';
import type {MetricIdentity, MetricStore} from './cloudwatch-storage.js';
import {validation} from './cloudwatch-wire-errors.js';

export const putMetricDataLimits = {maxData: 1000, maxValues: 150, maxBytes: 1_048_576, maxDimensions: 30} as const;
const maxMagnitude = 2 ** 360;
const twoWeeksMs = 14 * 86_400_000;
const twoHoursMs = 2 * 3_600_000;

type WireDatum = {
	MetricName?: unknown;
	Dimensions?: unknown;
	Timestamp?: unknown;
	Value?: unknown;
	Values?: unknown;
	Counts?: unknown;
	StatisticValues?: {SampleCount?: unknown; Sum?: unknown; Minimum?: unknown; Maximum?: unknown};
	StorageResolution?: unknown;
	Unit?: unknown;
};

/** The AWS JSON protocol sends NaN and the infinities as strings. */
function wireNumber(raw: unknown): number {
	if (typeof raw === 'number') return raw;
	if (raw === 'NaN') return Number.NaN;
	if (raw === 'Infinity') return Number.POSITIVE_INFINITY;
	if (raw === '-Infinity') return Number.NEGATIVE_INFINITY;
	return Number.NaN;
}

function checked(raw: unknown, parameter: string): number {
	const v = wireNumber(raw);
	if (!Number.isFinite(v) || Math.abs(v) > maxMagnitude)
		throw validation(`The value ${String(raw)} for parameter ${parameter} is invalid.`, 'InvalidParameterValue');
	return v;
}

type Parsed = {identity: MetricIdentity; atMs: number; entries: StatEntry[]};

function parseDatum(namespace: string, d: WireDatum, n: number, nowMs: number): Parsed {
	const at = `MetricData.member.${n}`;
	if (typeof d.MetricName !== 'string' || d.MetricName === '') throw validation(`The parameter ${at}.MetricName is required.`, 'MissingParameter');
	const dims = Array.isArray(d.Dimensions) ? (d.Dimensions as Array<{Name?: unknown; Value?: unknown}>) : [];
	if (dims.length > putMetricDataLimits.maxDimensions)
		throw validation(`The collection ${at}.Dimensions must not have a size greater than ${putMetricDataLimits.maxDimensions}.`, 'InvalidParameterValue');
	const dimensions: Record<string, string> = {};
	for (const [k, dim] of dims.entries()) {
		if (typeof dim.Name !== 'string' || typeof dim.Value !== 'string' || dim.Name === '' || dim.Value === '') {
			throw validation(`The parameter ${at}.Dimensions.member.${k + 1} needs a Name and a Value.`, 'InvalidParameterValue');
		}
		dimensions[dim.Name] = dim.Value;
	}
	const resolution = d.StorageResolution === undefined ? 60 : d.StorageResolution;
	if (resolution !== 1 && resolution !== 60)
		throw validation(`The value ${String(resolution)} for parameter ${at}.StorageResolution is invalid.`, 'InvalidParameterValue');
	let atMs = d.Timestamp === undefined ? nowMs : checked(d.Timestamp, `${at}.Timestamp`) * 1000;
	if (atMs < nowMs - twoWeeksMs || atMs > nowMs + twoHoursMs)
		throw validation(
			`The parameter ${at}.Timestamp must specify a time no more than two weeks in the past and no more than two hours in the future.`,
			'InvalidParameterValue',
		);
	if (resolution === 60) atMs = Math.floor(atMs / 60_000) * 60_000;

	const given = [d.Value !== undefined, d.Values !== undefined, d.StatisticValues !== undefined].filter(Boolean).length;
	if (given === 0)
		throw validation(`At least one of the parameters ${at}.Value, ${at}.Values and ${at}.StatisticValues must be specified.`, 'InvalidParameterCombination');
	if (given > 1)
		throw validation(
			`The parameters ${at}.Value, ${at}.Values and ${at}.StatisticValues are mutually exclusive and you have specified more than one.`,
			'InvalidParameterCombination',
		);
	const entries: StatEntry[] = [];
	if (d.Value !== undefined) {
		const v = checked(d.Value, `${at}.Value`);
		entries.push({count: 1, sum: v, min: v, max: v});
	} else if (d.Values !== undefined) {
		if (!Array.isArray(d.Values)) throw validation(`The parameter ${at}.Values must be a list.`, 'InvalidParameterValue');
		if (d.Values.length > putMetricDataLimits.maxValues)
			throw validation(`The collection ${at}.Values must not have a size greater than ${putMetricDataLimits.maxValues}.`, 'InvalidParameterValue');
		const counts = d.Counts === undefined ? undefined : Array.isArray(d.Counts) ? d.Counts : null;
		if (counts === null || (counts !== undefined && counts.length !== d.Values.length))
			throw validation(`The parameters ${at}.Values and ${at}.Counts must be lists of the same size.`, 'InvalidParameterValue');
		for (const [k, raw] of d.Values.entries()) {
			const v = checked(raw, `${at}.Values.member.${k + 1}`);
			const c = counts === undefined ? 1 : checked(counts[k], `${at}.Counts.member.${k + 1}`);
			if (c < 0) throw validation(`The value ${c} for parameter ${at}.Counts.member.${k + 1} is invalid.`, 'InvalidParameterValue');
			if (c > 0) entries.push({count: c, sum: v * c, min: v, max: v});
		}
	} else {
		const s = d.StatisticValues!;
		const count = checked(s.SampleCount, `${at}.StatisticValues.SampleCount`);
		const sum = checked(s.Sum, `${at}.StatisticValues.Sum`);
		const min = checked(s.Minimum, `${at}.StatisticValues.Minimum`);
		const max = checked(s.Maximum, `${at}.StatisticValues.Maximum`);
		if (!(count > 0) || min > max)
			throw validation(`The parameter ${at}.StatisticValues is invalid: SampleCount must be positive and Minimum ≤ Maximum.`, 'InvalidParameterValue');
		entries.push({count, sum, min, max});
	}
	return {identity: {namespace, metricName: d.MetricName, dimensions}, atMs, entries};
}

/** Stores a PutMetricData body, or throws CloudWatch's error without storing anything. */
export function putMetricData(store: MetricStore, body: Record<string, unknown>, nowMs: number): unknown {
	const namespace = body.Namespace;
	if (typeof namespace !== 'string' || namespace === '') throw validation('The parameter Namespace is required.', 'MissingParameter');
	if (namespace.startsWith('AWS/')) throw validation(`The value ${namespace} for parameter Namespace is invalid.`, 'InvalidParameterValue');
	const data = body.MetricData;
	if (!Array.isArray(data) || data.length === 0) throw validation('The parameter MetricData is required.', 'MissingParameter');
	if (data.length > putMetricDataLimits.maxData)
		throw validation(`The collection MetricData must not have a size greater than ${putMetricDataLimits.maxData}.`, 'InvalidParameterValue');
	const parsed = (data as WireDatum[]).map((d, k) => parseDatum(namespace, d, k + 1, nowMs));
	for (const p of parsed) for (const e of p.entries) store.put(p.identity, p.atMs, e);
	return {};
}

/** ListMetrics: Namespace, MetricName, Dimensions (a Name alone matches any value), RecentlyActive PT3H. */
export function listMetrics(store: MetricStore, body: Record<string, unknown>, nowMs: number): unknown {
	const dims = Array.isArray(body.Dimensions) ? (body.Dimensions as Array<{Name?: unknown; Value?: unknown}>) : [];
	if (dims.length > 10) throw validation('The collection Dimensions must not have a size greater than 10.', 'InvalidParameterValue');
	if (body.RecentlyActive !== undefined && body.RecentlyActive !== 'PT3H')
		throw validation(`The value ${String(body.RecentlyActive)} for parameter RecentlyActive is invalid.`, 'InvalidParameterValue');
	const found = store.list({
		...(typeof body.Namespace === 'string' ? {namespace: body.Namespace} : {}),
		...(typeof body.MetricName === 'string' ? {metricName: body.MetricName} : {}),
		dimensions: dims.map((d) => ({name: String(d.Name), ...(typeof d.Value === 'string' ? {value: d.Value} : {})})),
		...(body.RecentlyActive === 'PT3H' ? {activeSinceMs: nowMs - 3 * 3_600_000} : {}),
	});
	const {page, nextToken} = pageOf(found, body, 500);
	return {
		Metrics: page.map((m) => ({
			Namespace: m.namespace,
			MetricName: m.metricName,
			Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({Name, Value})),
		})),
		...(nextToken ? {NextToken: nextToken} : {}),
	};
}
