/**
 * The agent's side of the fleet: PutMetricData with the real SDK client, data batched
 * within CloudWatch's limits (1000 data and 1 MB per call), each call retried with
 * exponential backoff and jitter when the failure is transient (throttling, 5xx, network),
 * never when it is not (bad input, credentials, access). Calls are counted per hour so the
 * cost is visible.
 */
import {PutMetricDataCommand} from '@aws-sdk/client-cloudwatch';
import type {CloudWatchClient, MetricDatum} from '@aws-sdk/client-cloudwatch';
import type {SourceState} from '../source/core/measurements.js';
import {boundedCall, createCloudWatchClient, resolveRegion} from './cloudwatch-client.js';
import {classifyCloudWatchError} from './cloudwatch-errors.js';

/** PutMetricData limits (API reference): data per call and body bytes. */
export const putLimits = {maxData: 1000, maxBytes: 1_048_576} as const;
/** Room left under 1 MB for the envelope and the estimate's slack. */
const byteBudget = Math.floor(putLimits.maxBytes * 0.9);
const hourMs = 3_600_000;

/** One datum as the agent builds it (ms timestamps; converted to the SDK's shape on send). */
export type FleetDatum = {
	metricName: string;
	dimensions: Record<string, string>;
	timestampMs: number;
	unit: 'Milliseconds' | 'Count';
	value?: number;
	values?: number[];
	counts?: number[];
};

export type PublishOutcome = {
	/** Data CloudWatch accepted (HTTP 200) in this publish. */
	accepted: number;
	/** Data that could not be published after the retries. */
	failed: number;
	calls: number;
	retries: number;
	/** `ok`, or why the last failing call failed. */
	state: SourceState;
};

export type FleetPublisherOptions = {
	namespace: string;
	region?: string;
	endpoint?: string;
	env?: NodeJS.ProcessEnv;
	now: () => number;
	/** Bound on each call. @default 5000 */
	timeoutMs?: number;
	/** Attempts per batch, the first included. @default 4 */
	maxAttempts?: number;
	/** First backoff; doubled per retry, ±50 % jitter. @default 200 */
	backoffMs?: number;
	/** @default setTimeout-based sleep */
	sleep?: (ms: number) => Promise<void>;
};

export type FleetPublisher = {
	publish(data: FleetDatum[]): Promise<PublishOutcome>;
	/** PutMetricData calls (retries included) in the last hour. */
	callsLastHour(): number;
	close(): void;
};

function toWire(d: FleetDatum): MetricDatum {
	return {
		MetricName: d.metricName,
		Dimensions: Object.entries(d.dimensions).map(([Name, Value]) => ({Name, Value})),
		Timestamp: new Date(d.timestampMs),
		Unit: d.unit,
		StorageResolution: 1,
		...(d.value !== undefined ? {Value: d.value} : {}),
		...(d.values !== undefined ? {Values: d.values, Counts: d.counts} : {}),
	};
}

/** Bytes a datum adds to the JSON body (timestamps travel as epoch seconds). */
function wireBytes(d: FleetDatum): number {
	return Buffer.byteLength(JSON.stringify({...toWire(d), Timestamp: d.timestampMs / 1000})) + 1;
}

/** Splits data into calls of at most 1000 data and the byte budget, in order. */
export function batchData(data: FleetDatum[], maxData: number = putLimits.maxData, maxBytes: number = byteBudget): FleetDatum[][] {
	const batches: FleetDatum[][] = [];
	let current: FleetDatum[] = [];
	let bytes = 0;
	for (const d of data) {
		const size = wireBytes(d);
		if (current.length > 0 && (current.length >= maxData || bytes + size > maxBytes)) {
			batches.push(current);
			current = [];
			bytes = 0;
		}
		current.push(d);
		bytes += size;
	}
	if (current.length > 0) batches.push(current);
	return batches;
}

function transient(state: SourceState): boolean {
	return state.kind === 'degraded' || (state.kind === 'error' && state.code === 'unreachable');
}

export function createFleetPublisher(options: FleetPublisherOptions): FleetPublisher {
	const env = options.env ?? process.env;
	const timeoutMs = options.timeoutMs ?? 5000;
	const maxAttempts = Math.max(1, Math.min(10, options.maxAttempts ?? 4));
	const backoffMs = options.backoffMs ?? 200;
	const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
	const region = resolveRegion(options.region, env);
	const callTimes: number[] = [];
	let client: CloudWatchClient | null = null;

	const send = async (batch: FleetDatum[]): Promise<void> => {
		callTimes.push(options.now());
		client ??= createCloudWatchClient({region, endpoint: options.endpoint, env, timeoutMs});
		const c = client;
		await boundedCall(timeoutMs, (abortSignal) =>
			c.send(new PutMetricDataCommand({Namespace: options.namespace, MetricData: batch.map(toWire)}), {abortSignal}),
		);
	};

	return {
		async publish(data) {
			const outcome: PublishOutcome = {accepted: 0, failed: 0, calls: 0, retries: 0, state: {kind: 'ok'}};
			if (!region) {
				return {
					...outcome,
					failed: data.length,
					state: {kind: 'error', code: 'no_region', message: 'No AWS region: set cloudwatch.region in the plan or AWS_REGION'},
				};
			}
			for (const batch of batchData(data)) {
				let done = false;
				for (let attempt = 1; attempt <= maxAttempts && !done; attempt++) {
					outcome.calls++;
					try {
						await send(batch);
						outcome.accepted += batch.length;
						done = true;
					} catch (error) {
						const state = classifyCloudWatchError(error, {timeoutMs});
						outcome.state = state;
						if (!transient(state) || attempt === maxAttempts) break;
						outcome.retries++;
						await sleep(backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
					}
				}
				if (!done) outcome.failed += batch.length;
			}
			if (outcome.failed === 0) outcome.state = {kind: 'ok'};
			return outcome;
		},
		callsLastHour() {
			const at = options.now();
			while (callTimes.length > 0 && callTimes[0]! <= at - hourMs) callTimes.shift();
			return callTimes.length;
		},
		close() {
			client?.destroy();
			client = null;
		},
	};
}
