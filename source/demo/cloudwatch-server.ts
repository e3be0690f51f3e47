/**
 * A CloudWatch-compatible endpoint on loopback for the demo and the tests.
 *
 * It speaks what `@aws-sdk/client-cloudwatch` 3.x actually sends (verified by
 * logging a real request): AWS JSON 1.0 over `POST /`, `X-Amz-Target:
 * GraniteServiceVersion20100801.<Action>`, timestamps as epoch-second numbers,
 * errors as `{"__type", "message"}` plus the `x-amzn-query-error: Code;Sender`
 * header the query-compatible SDK uses to name the error (`Throttling`, not
 * `ThrottlingException`). Signatures are not verified: the server only stands
 * in for CloudWatch on 127.0.0.1.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export const cloudWatchFaults = ['Throttling', 'AccessDenied', 'ExpiredToken', 'InternalFailure'] as const;
export type CloudWatchFault = (typeof cloudWatchFaults)[number];

export const cloudWatchActions = ['GetMetricData', 'DescribeAlarms'] as const;
export type CloudWatchAction = (typeof cloudWatchActions)[number];

export type DemoAlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export type DemoAlarm = {
	name: string;
	state: DemoAlarmState;
	reason: string;
	description?: string;
	namespace?: string;
	metricName?: string;
};

export type CloudWatchServer = {
	url: string;
	port: number;
	close(): Promise<void>;
	/** Raw samples; the server computes statistics per period, percentiles included. */
	putSample(namespace: string, metricName: string, dimensions: Record<string, string>, value: number, atMs: number): void;
	/** Creates or updates an alarm; its state timestamp moves only when the state changes. */
	setAlarm(alarm: DemoAlarm): void;
	/** Next `count` calls fail with this error. @default count 1 */
	injectFault(fault: CloudWatchFault, count?: number): void;
	/** Calls received (faulted ones included), for one action or all. */
	calls(action?: CloudWatchAction): number;
};

export type CloudWatchServerOptions = {
	/** @default 0 (any free port) */
	port?: number;
	/** Datapoints per GetMetricData page and alarms per DescribeAlarms page, so tests can exercise NextToken. @default 100800 / 100 */
	pageSize?: number;
	/** Samples older than this (by the server clock) are dropped. @default 3600000 */
	retentionMs?: number;
	/** Bound on raw samples kept per metric; the oldest are overwritten. @default 200000 */
	maxSamplesPerMetric?: number;
	/** @default Date.now */
	now?: () => number;
};

/** The real service limit on MetricDataQueries per GetMetricData call. */
export const maxQueriesPerCall = 500;
const defaultMetricPage = 100_800;
const maxAlarmPage = 100;

type ErrorSpec = {status: number; type: string; code: string; fault: 'Sender' | 'Receiver'; message: string};

const faultSpecs: Record<CloudWatchFault, ErrorSpec> = {
	Throttling: {status: 400, type: 'ThrottlingException', code: 'Throttling', fault: 'Sender', message: 'Rate exceeded'},
	AccessDenied: {
		status: 403,
		type: 'AccessDeniedException',
		code: 'AccessDenied',
		fault: 'Sender',
		message: 'User: arn:aws:iam::000000000000:user/demo is not authorized to perform: cloudwatch:GetMetricData',
	},
	ExpiredToken: {status: 400, type: 'ExpiredTokenException', code: 'ExpiredToken', fault: 'Sender', message: 'The security token included in the request is expired'},
	InternalFailure: {status: 500, type: 'InternalFailure', code: 'InternalFailure', fault: 'Receiver', message: 'The request processing has failed because of an unknown error'},
};

class RequestError extends Error {
	constructor(
		readonly spec: ErrorSpec,
	) {
		super(spec.message);
	}
}

function validation(message: string, code = 'ValidationError'): RequestError {
	return new RequestError({status: 400, type: code === 'ValidationError' ? 'ValidationException' : `${code}Exception`, code, fault: 'Sender', message});
}

/** Samples of one metric in a bounded ring, insertion order (which is time order in the demo). */
class SampleRing {
	private at = new Float64Array(64);
	private values = new Float64Array(64);
	private head = 0;
	size = 0;

	constructor(private readonly cap: number) {}

	push(atMs: number, value: number): void {
		if (this.size === this.at.length && this.size < this.cap) this.grow();
		const capacity = this.at.length;
		const index = (this.head + this.size) % capacity;
		this.at[index] = atMs;
		this.values[index] = value;
		if (this.size < capacity) this.size++;
		else this.head = (this.head + 1) % capacity;
	}

	dropOlderThan(cutoffMs: number): void {
		while (this.size > 0 && this.at[this.head]! < cutoffMs) {
			this.head = (this.head + 1) % this.at.length;
			this.size--;
		}
	}

	forEach(fn: (atMs: number, value: number) => void): void {
		const capacity = this.at.length;
		for (let i = 0; i < this.size; i++) {
			const index = (this.head + i) % capacity;
			fn(this.at[index]!, this.values[index]!);
		}
	}

	private grow(): void {
		const next = Math.min(this.cap, this.at.length * 2);
		const at = new Float64Array(next);
		const values = new Float64Array(next);
		let i = 0;
		this.forEach((a, v) => {
			at[i] = a;
			values[i] = v;
			i++;
		});
		this.at = at;
		this.values = values;
		this.head = 0;
	}
}

function metricKey(namespace: string, metricName: string, dimensions: Record<string, string>): string {
	const dims = Object.keys(dimensions)
		.sort()
		.map((k) => `${k}=${dimensions[k]}`)
		.join(',');
	return `${namespace}\u0000${metricName}\u0000${dims}`;
}

/** One statistic over the values of one period. Percentiles are nearest-rank. */
export function computeStat(stat: string, values: number[]): number {
	switch (stat) {
		case 'SampleCount':
			return values.length;
		case 'Sum':
			return values.reduce((a, b) => a + b, 0);
		case 'Average':
			return values.reduce((a, b) => a + b, 0) / values.length;
		case 'Minimum':
			return Math.min(...values);
		case 'Maximum':
			return Math.max(...values);
		default: {
			const p = parsePercentile(stat);
			if (p === null) throw validation(`The parameter MetricDataQueries.member.1.MetricStat.Stat must be a valid statistic: ${stat}`, 'InvalidParameterValue');
			const sorted = [...values].sort((a, b) => a - b);
			const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
			return sorted[rank - 1]!;
		}
	}
}

function parsePercentile(stat: string): number | null {
	const match = /^p(\d{1,2}(?:\.\d+)?|100)$/.exec(stat);
	if (!match) return null;
	const p = Number(match[1]);
	return p > 0 && p <= 100 ? p : null;
}

type Series = Map<number, number>;
type ExprValue = {kind: 'series'; series: Series} | {kind: 'scalar'; value: number} | {kind: 'array'; items: Series[]};

type Token = {t: 'num'; v: number} | {t: 'id'; v: string} | {t: 'op'; v: string};

function tokenize(expression: string): Token[] {
	const tokens: Token[] = [];
	const re = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/()[\],]))/y;
	let pos = 0;
	while (pos < expression.length) {
		if (/^\s*$/.test(expression.slice(pos))) break;
		re.lastIndex = pos;
		const m = re.exec(expression);
		if (!m) throw validation(`Unsupported expression near "${expression.slice(pos, pos + 10)}"`);
		if (m[1] !== undefined) tokens.push({t: 'num', v: Number(m[1])});
		else if (m[2] !== undefined) tokens.push({t: 'id', v: m[2]});
		else tokens.push({t: 'op', v: m[3]!});
		pos = re.lastIndex;
	}
	return tokens;
}

const aggregateFunctions = ['SUM', 'AVG', 'MIN', 'MAX'] as const;
type AggregateFunction = (typeof aggregateFunctions)[number];

function aggregate(fn: AggregateFunction, values: number[]): number {
	switch (fn) {
		case 'SUM':
			return values.reduce((a, b) => a + b, 0);
		case 'AVG':
			return values.reduce((a, b) => a + b, 0) / values.length;
		case 'MIN':
			return Math.min(...values);
		case 'MAX':
			return Math.max(...values);
		default: {
			const _never: never = fn;
			return _never;
		}
	}
}

/**
 * The supported subset of metric math: numbers, query ids, `+ - * /`,
 * parentheses, and SUM/AVG/MIN/MAX over `[a, b]` or `a, b` (one series → a
 * scalar, as CloudWatch does). Anything else is a ValidationError.
 */
function evaluateExpression(expression: string, lookup: (id: string) => Series): ExprValue {
	const tokens = tokenize(expression);
	let i = 0;
	const peek = (): Token | undefined => tokens[i];
	const expectOp = (v: string): void => {
		const tok = tokens[i++];
		if (tok?.t !== 'op' || tok.v !== v) throw validation(`Expression "${expression}": expected "${v}"`);
	};

	const binary = (a: ExprValue, b: ExprValue, op: string): ExprValue => {
		const apply = (x: number, y: number): number => (op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x / y);
		if (a.kind === 'array' || b.kind === 'array') throw validation(`Expression "${expression}": arithmetic on arrays is not supported`);
		if (a.kind === 'scalar' && b.kind === 'scalar') return {kind: 'scalar', value: apply(a.value, b.value)};
		const out: Series = new Map();
		if (a.kind === 'series' && b.kind === 'series') {
			for (const [ts, x] of a.series) {
				const y = b.series.get(ts);
				if (y !== undefined) out.set(ts, apply(x, y));
			}
		} else if (a.kind === 'series' && b.kind === 'scalar') {
			for (const [ts, x] of a.series) out.set(ts, apply(x, b.value));
		} else if (a.kind === 'scalar' && b.kind === 'series') {
			for (const [ts, y] of b.series) out.set(ts, apply(a.value, y));
		}
		return {kind: 'series', series: out};
	};

	const callAggregate = (fn: AggregateFunction, args: ExprValue[]): ExprValue => {
		const items: Series[] = [];
		for (const arg of args) {
			if (arg.kind === 'array') items.push(...arg.items);
			else if (arg.kind === 'series') items.push(arg.series);
			else throw validation(`Expression "${expression}": ${fn} takes time series`);
		}
		if (items.length === 1 && args.length === 1 && args[0]!.kind === 'series') {
			const values = [...items[0]!.values()];
			return {kind: 'scalar', value: values.length > 0 ? aggregate(fn, values) : Number.NaN};
		}
		const byTs = new Map<number, number[]>();
		for (const s of items) for (const [ts, v] of s) byTs.set(ts, [...(byTs.get(ts) ?? []), v]);
		const out: Series = new Map();
		for (const [ts, vs] of byTs) out.set(ts, aggregate(fn, vs));
		return {kind: 'series', series: out};
	};

	const primary = (): ExprValue => {
		const tok = tokens[i++];
		if (!tok) throw validation(`Expression "${expression}" ends too early`);
		if (tok.t === 'num') return {kind: 'scalar', value: tok.v};
		if (tok.t === 'op' && tok.v === '(') {
			const v = additive();
			expectOp(')');
			return v;
		}
		if (tok.t === 'op' && tok.v === '-') return binary({kind: 'scalar', value: 0}, primary(), '-');
		if (tok.t === 'op' && tok.v === '[') {
			const items: Series[] = [];
			for (;;) {
				const v = additive();
				if (v.kind !== 'series') throw validation(`Expression "${expression}": arrays hold time series`);
				items.push(v.series);
				const next = tokens[i++];
				if (next?.t === 'op' && next.v === ']') break;
				if (next?.t !== 'op' || next.v !== ',') throw validation(`Expression "${expression}": expected "," or "]"`);
			}
			return {kind: 'array', items};
		}
		if (tok.t === 'id') {
			const next = peek();
			if (next?.t === 'op' && next.v === '(') {
				const fn = aggregateFunctions.find((f) => f === tok.v);
				if (!fn) throw validation(`Expression "${expression}": function ${tok.v} is not supported here`);
				i++;
				const args: ExprValue[] = [additive()];
				for (;;) {
					const sep = tokens[i++];
					if (sep?.t === 'op' && sep.v === ')') break;
					if (sep?.t !== 'op' || sep.v !== ',') throw validation(`Expression "${expression}": expected "," or ")"`);
					args.push(additive());
				}
				return callAggregate(fn, args);
			}
			return {kind: 'series', series: lookup(tok.v)};
		}
		throw validation(`Expression "${expression}": unexpected "${tok.v}"`);
	};
	const multiplicative = (): ExprValue => {
		let v = primary();
		for (let tok = peek(); tok?.t === 'op' && (tok.v === '*' || tok.v === '/'); tok = peek()) {
			i++;
			v = binary(v, primary(), tok.v);
		}
		return v;
	};
	const additive = (): ExprValue => {
		let v = multiplicative();
		for (let tok = peek(); tok?.t === 'op' && (tok.v === '+' || tok.v === '-'); tok = peek()) {
			i++;
			v = binary(v, multiplicative(), tok.v);
		}
		return v;
	};

	const result = additive();
	if (i !== tokens.length) throw validation(`Expression "${expression}": unexpected trailing input`);
	return result;
}

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

/** Opaque page tokens that carry an offset; a token from another request is refused. */
function encodeToken(offset: number, fingerprint: string): string {
	return Buffer.from(JSON.stringify({o: offset, f: fingerprint})).toString('base64url');
}

function decodeToken(token: unknown, fingerprint: string): number {
	if (token === undefined || token === null) return 0;
	try {
		const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as {o?: unknown; f?: unknown};
		if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0 && parsed.f === fingerprint) return parsed.o;
	} catch {
		// Falls through to the same error as a mismatched token.
	}
	throw validation('The service cannot find the NextToken', 'InvalidNextToken');
}

function fingerprintOf(body: Record<string, unknown>): string {
	const {NextToken: _token, ...rest} = body;
	let h = 0;
	const s = JSON.stringify(rest);
	for (let k = 0; k < s.length; k++) h = (Math.imul(h, 31) + s.charCodeAt(k)) | 0;
	return h.toString(36);
}

export async function startCloudWatchServer(options: CloudWatchServerOptions = {}): Promise<CloudWatchServer> {
	const now = options.now ?? Date.now;
	const retentionMs = options.retentionMs ?? 3_600_000;
	const maxSamples = options.maxSamplesPerMetric ?? 200_000;
	const metricPage = Math.max(1, options.pageSize ?? defaultMetricPage);
	const alarmPage = Math.max(1, Math.min(maxAlarmPage, options.pageSize ?? maxAlarmPage));
	const metrics = new Map<string, SampleRing>();
	const alarms = new Map<string, DemoAlarm & {updatedAt: number}>();
	const callCounts: Record<CloudWatchAction, number> = {GetMetricData: 0, DescribeAlarms: 0};
	const faults: CloudWatchFault[] = [];

	const seriesFor = (query: WireQuery, startMs: number, endMs: number, id: string): Series => {
		const stat = query.MetricStat;
		const metric = stat?.Metric;
		if (!metric?.Namespace || !metric.MetricName || !stat?.Stat) throw validation(`Query ${id}: MetricStat needs Metric.Namespace, Metric.MetricName and Stat`);
		const periodMs = (stat.Period ?? 0) * 1000;
		if (!(periodMs >= 1000)) throw validation(`Query ${id}: Period must be at least 1 second`);
		const dims: Record<string, string> = {};
		for (const d of metric.Dimensions ?? []) if (d.Name !== undefined) dims[d.Name] = d.Value ?? '';
		const ring = metrics.get(metricKey(metric.Namespace, metric.MetricName, dims));
		const buckets = new Map<number, number[]>();
		ring?.forEach((at, value) => {
			if (at < startMs || at >= endMs) return;
			const bucket = Math.floor(at / periodMs) * periodMs;
			const list = buckets.get(bucket);
			if (list) list.push(value);
			else buckets.set(bucket, [value]);
		});
		const series: Series = new Map();
		for (const [bucket, values] of buckets) series.set(bucket, computeStat(stat.Stat, values));
		return series;
	};

	const getMetricData = (body: Record<string, unknown>): unknown => {
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
			} else series = seriesFor(query, startMs, endMs, id);
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
		const pageEnd = offset + pageSize;
		for (let k = pageEnd; k < flat.length; k++) results[flat[k]!.index]!.StatusCode = 'PartialData';
		return {
			MetricDataResults: results,
			Messages: [],
			...(more ? {NextToken: encodeToken(offset + pageSize, fingerprint)} : {}),
		};
	};

	const describeAlarms = (body: Record<string, unknown>): unknown => {
		const names = Array.isArray(body.AlarmNames) ? (body.AlarmNames as unknown[]).map(String) : undefined;
		const prefix = typeof body.AlarmNamePrefix === 'string' ? body.AlarmNamePrefix : undefined;
		if (names && prefix !== undefined) throw validation('AlarmNames and AlarmNamePrefix cannot be used together', 'InvalidParameterCombination');
		if (names && names.length > 100) throw validation('The collection AlarmNames must not have a size greater than 100.');
		const maxRecords = typeof body.MaxRecords === 'number' ? body.MaxRecords : 50;
		if (!(maxRecords >= 1 && maxRecords <= 100)) throw validation('MaxRecords must be between 1 and 100', 'InvalidParameterValue');
		const pageSize = Math.min(maxRecords, alarmPage);
		const stateValue = typeof body.StateValue === 'string' ? body.StateValue : undefined;
		const matching = [...alarms.values()]
			.filter((a) => (names ? names.includes(a.name) : true))
			.filter((a) => (prefix !== undefined ? a.name.startsWith(prefix) : true))
			.filter((a) => (stateValue ? a.state === stateValue : true))
			.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
		const fingerprint = fingerprintOf(body);
		const offset = decodeToken(body.NextToken, fingerprint);
		const page = matching.slice(offset, offset + pageSize);
		return {
			MetricAlarms: page.map((a) => ({
				AlarmName: a.name,
				AlarmArn: `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${a.name}`,
				...(a.description !== undefined ? {AlarmDescription: a.description} : {}),
				ActionsEnabled: true,
				StateValue: a.state,
				StateReason: a.reason,
				StateUpdatedTimestamp: a.updatedAt / 1000,
				StateTransitionedTimestamp: a.updatedAt / 1000,
				...(a.namespace !== undefined ? {Namespace: a.namespace} : {}),
				...(a.metricName !== undefined ? {MetricName: a.metricName} : {}),
			})),
			CompositeAlarms: [],
			...(offset + pageSize < matching.length ? {NextToken: encodeToken(offset + pageSize, fingerprint)} : {}),
		};
	};

	const send = (res: http.ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void => {
		const text = JSON.stringify(payload);
		res.writeHead(status, {
			'content-type': 'application/x-amz-json-1.0',
			'content-length': Buffer.byteLength(text),
			'x-amzn-requestid': `demo-${Math.random().toString(16).slice(2, 10)}`,
			...headers,
		});
		res.end(text);
	};
	const sendError = (res: http.ServerResponse, spec: ErrorSpec): void => {
		send(res, spec.status, {__type: spec.type, message: spec.message}, {'x-amzn-query-error': `${spec.code};${spec.fault}`});
	};

	const handle = (req: http.IncomingMessage, res: http.ServerResponse, raw: string): void => {
		const target = String(req.headers['x-amz-target'] ?? '');
		const action = target.startsWith('GraniteServiceVersion20100801.') ? target.slice('GraniteServiceVersion20100801.'.length) : '';
		if (req.method !== 'POST' || !cloudWatchActions.some((a) => a === action)) {
			sendError(res, {status: 400, type: 'UnknownOperationException', code: 'UnknownOperation', fault: 'Sender', message: `Unknown operation ${target}`});
			return;
		}
		const known = action as CloudWatchAction;
		callCounts[known]++;
		if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256')) {
			sendError(res, {status: 403, type: 'MissingAuthenticationTokenException', code: 'MissingAuthenticationToken', fault: 'Sender', message: 'Request is missing Authentication Token'});
			return;
		}
		const fault = faults.shift();
		if (fault) {
			sendError(res, faultSpecs[fault]);
			return;
		}
		let body: Record<string, unknown>;
		try {
			const parsed: unknown = JSON.parse(raw || '{}');
			if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
			body = parsed as Record<string, unknown>;
		} catch {
			sendError(res, {status: 400, type: 'SerializationException', code: 'SerializationException', fault: 'Sender', message: 'Request body is not a JSON object'});
			return;
		}
		try {
			switch (known) {
				case 'GetMetricData':
					send(res, 200, getMetricData(body));
					return;
				case 'DescribeAlarms':
					send(res, 200, describeAlarms(body));
					return;
				default: {
					const _never: never = known;
					return _never;
				}
			}
		} catch (error) {
			if (error instanceof RequestError) sendError(res, error.spec);
			else sendError(res, {...faultSpecs.InternalFailure, message: String(error)});
		}
	};

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			// A GetMetricData body with 500 queries is well under this; anything bigger is refused.
			if (size > 4_000_000) {
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
		req.on('error', () => res.destroy());
	});
	server.keepAliveTimeout = 5000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;

	return {
		url: `http://127.0.0.1:${port}`,
		port,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
		putSample(namespace, metricName, dimensions, value, atMs) {
			if (!Number.isFinite(value) || !Number.isFinite(atMs)) return;
			const key = metricKey(namespace, metricName, dimensions);
			let ring = metrics.get(key);
			if (!ring) {
				ring = new SampleRing(maxSamples);
				metrics.set(key, ring);
			}
			ring.push(atMs, value);
			ring.dropOlderThan(now() - retentionMs);
		},
		setAlarm(alarm) {
			const previous = alarms.get(alarm.name);
			const updatedAt = previous && previous.state === alarm.state ? previous.updatedAt : now();
			alarms.set(alarm.name, {...previous, ...alarm, updatedAt});
		},
		injectFault(fault, count = 1) {
			for (let k = 0; k < count; k++) faults.push(fault);
		},
		calls(action) {
			return action ? callCounts[action] : callCounts.GetMetricData + callCounts.DescribeAlarms;
		},
	};
}
