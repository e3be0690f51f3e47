/**
 * A CloudWatch-compatible endpoint on loopback for the demo and the tests.
 *
 * It speaks what `@aws-sdk/client-cloudwatch` 3.x actually sends (verified by logging a
 * real request): AWS JSON 1.0 over `POST /`, `X-Amz-Target:
 * GraniteServiceVersion20100801.<Action>`, timestamps as epoch-second numbers, bodies of
 * 10 KiB and more gzip-compressed (PutMetricData's request-compression trait), errors as
 * in `cloudwatch-wire-errors.ts`. Signatures are not verified: the server only stands in
 * for CloudWatch on 127.0.0.1. The actions live in their own modules; this one is HTTP.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {gunzipSync} from 'node:zlib';
import {describeAlarms, maxAlarmPage} from './cloudwatch-alarms.js';
import type {DemoAlarm, StoredAlarm} from './cloudwatch-alarms.js';
import {getMetricData} from './cloudwatch-get-metric-data.js';
import {listMetrics, putMetricData, putMetricDataLimits} from './cloudwatch-put-metric-data.js';
import {MetricStore} from './cloudwatch-storage.js';
import type {CloudWatchFault, ErrorSpec} from './cloudwatch-wire-errors.js';
import {RequestError, faultSpecs, tooLarge} from './cloudwatch-wire-errors.js';

export type {DemoAlarmState} from './cloudwatch-alarms.js';
export {computeStat} from './cloudwatch-statistics.js';
const cloudWatchActions = ['GetMetricData', 'DescribeAlarms', 'PutMetricData', 'ListMetrics'] as const;
type CloudWatchAction = (typeof cloudWatchActions)[number];

export type CloudWatchServer = {
	url: string;
	port: number;
	close(): Promise<void>;
	/** One raw sample (high resolution); the server computes statistics per period, percentiles included. */
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
	/** Data older than this (by the server clock) are dropped. @default 3600000 */
	retentionMs?: number;
	/** Bound on stored entries (a Value, or one Values/Counts pair) per metric; the oldest are overwritten. @default 200000 */
	maxSamplesPerMetric?: number;
	/** @default Date.now */
	now?: () => number;
};

const defaultMetricPage = 100_800;
/** Bodies are read up to this (after gunzip) so an oversized PutMetricData gets its 413, not a reset. */
const maxReadBytes = 4 * putMetricDataLimits.maxBytes;

export async function startCloudWatchServer(options: CloudWatchServerOptions = {}): Promise<CloudWatchServer> {
	const now = options.now ?? Date.now;
	const metricPage = Math.max(1, options.pageSize ?? defaultMetricPage);
	const alarmPage = Math.max(1, Math.min(maxAlarmPage, options.pageSize ?? maxAlarmPage));
	const store = new MetricStore(options.maxSamplesPerMetric ?? 200_000, options.retentionMs ?? 3_600_000, now);
	const alarms = new Map<string, StoredAlarm>();
	const callCounts: Record<CloudWatchAction, number> = {GetMetricData: 0, DescribeAlarms: 0, PutMetricData: 0, ListMetrics: 0};
	const faults: CloudWatchFault[] = [];

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

	const run = (action: CloudWatchAction, body: Record<string, unknown>, bytes: number): unknown => {
		switch (action) {
			case 'GetMetricData':
				return getMetricData(store, body, metricPage);
			case 'DescribeAlarms':
				return describeAlarms(alarms, body, alarmPage);
			case 'PutMetricData':
				if (bytes > putMetricDataLimits.maxBytes) throw tooLarge(bytes, putMetricDataLimits.maxBytes);
				return putMetricData(store, body, now());
			case 'ListMetrics':
				return listMetrics(store, body, now());
			default: {
				const never: never = action;
				return never;
			}
		}
	};

	const handle = (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer | null): void => {
		const target = String(req.headers['x-amz-target'] ?? '');
		const action = target.startsWith('GraniteServiceVersion20100801.') ? target.slice('GraniteServiceVersion20100801.'.length) : '';
		const known = cloudWatchActions.find((a) => a === action);
		if (req.method !== 'POST' || !known) {
			sendError(res, {status: 400, type: 'UnknownOperationException', code: 'UnknownOperation', fault: 'Sender', message: `Unknown operation ${target}`});
			return;
		}
		callCounts[known]++;
		if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256')) {
			sendError(res, {
				status: 403,
				type: 'MissingAuthenticationTokenException',
				code: 'MissingAuthenticationToken',
				fault: 'Sender',
				message: 'Request is missing Authentication Token',
			});
			return;
		}
		const fault = faults.shift();
		if (fault) {
			sendError(res, faultSpecs[fault]);
			return;
		}
		if (raw === null) {
			sendError(res, tooLarge(maxReadBytes + 1, putMetricDataLimits.maxBytes).spec);
			return;
		}
		let body: Record<string, unknown>;
		try {
			const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw, {maxOutputLength: maxReadBytes}) : raw).toString('utf8');
			const parsed: unknown = JSON.parse(text || '{}');
			if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
			body = parsed as Record<string, unknown>;
			raw = Buffer.from(text);
		} catch (error) {
			if (error instanceof RangeError) sendError(res, tooLarge(maxReadBytes + 1, putMetricDataLimits.maxBytes).spec);
			else
				sendError(res, {
					status: 400,
					type: 'SerializationException',
					code: 'SerializationException',
					fault: 'Sender',
					message: 'Request body is not a JSON object',
				});
			return;
		}
		try {
			send(res, 200, run(known, body, raw.length));
		} catch (error) {
			if (error instanceof RequestError) sendError(res, error.spec);
			else sendError(res, {...faultSpecs.InternalFailure, message: String(error)});
		}
	};

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let overflow = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			// Past the bound the rest is drained and dropped: the client still gets its answer.
			if (size > maxReadBytes) overflow = true;
			else chunks.push(chunk);
		});
		req.on('end', () => handle(req, res, overflow ? null : Buffer.concat(chunks)));
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
			store.put({namespace, metricName, dimensions}, atMs, {count: 1, sum: value, min: value, max: value});
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
			return action ? callCounts[action] : Object.values(callCounts).reduce((a, b) => a + b, 0);
		},
	};
}
