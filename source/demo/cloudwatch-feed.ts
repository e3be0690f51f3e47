/**
 * Feeds the simulated service's traffic into the CloudWatch-compatible
 * endpoint the way API Gateway would (namespace `AWS/ApiGateway`), and keeps
 * three alarms up to date, so the demo console reads CloudWatch exactly as it
 * would in production.
 */
import type {CloudWatchServer, DemoAlarmState} from './cloudwatch-server.js';

/** The part of `source/demo/service.ts` the feed uses. */
export type FeedableService = {
	onRequest(listener: (r: {at: number; route: string; method: string; status: number; latencyMs: number; variant: string}) => void): () => void;
	flag(): {name: string; rolloutPercent: number};
	scenario: string;
};

export type FeedTarget = Pick<CloudWatchServer, 'putSample' | 'setAlarm'>;

export const demoAlarmNames = {
	errorRate: 'statusboard-api-5xx-rate',
	latency: 'statusboard-api-latency-p95',
	dynamoThrottles: 'statusboard-v2-dynamodb-throttles',
} as const;

export type DemoMetricsOptions = {
	/** API Gateway `ApiName` dimension. @default 'statusboard' */
	apiName?: string;
	/** How often alarms are evaluated. @default 1000 */
	alarmIntervalMs?: number;
	/** Window the 5xx and latency alarms look at. @default 10000 */
	windowMs?: number;
	/** 5xx share above which the 5xx alarm fires. @default 0.05 */
	errorRateThreshold?: number;
	/** 5xx responses the window must hold before the 5xx alarm fires, so one stray 500 in thin demo traffic is not an outage. @default 3 */
	minErrorsForAlarm?: number;
	/** p95 latency (ms) above which the latency alarm fires. @default 2000 */
	latencyThresholdMs?: number;
	/** Rollout percent from which the `alarm` scenario's DynamoDB alarm fires. @default 30 */
	dynamoAlarmFromPercent?: number;
	/** Bound on requests held for alarm evaluation. @default 50000 */
	maxWindowRequests?: number;
	/** @default Date.now */
	now?: () => number;
	/** Repeats `tick` every `everyMs`; returns a cancel function. @default an unref'd setInterval */
	setRepeating?: (tick: () => void, everyMs: number) => () => void;
};

function defaultRepeating(tick: () => void, everyMs: number): () => void {
	const timer = setInterval(tick, everyMs);
	// The demo's lifetime belongs to the console, not to this timer.
	timer.unref();
	return () => clearInterval(timer);
}

type Seen = {at: number; status: number; latencyMs: number};

/** Nearest-rank p95, the same statistic the endpoint serves for `p95`. */
function p95(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)] ?? Number.NaN;
}

function fmt(value: number): string {
	return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Starts feeding; returns `disconnect`, which stops the feed and its timer. */
export function connectDemoMetrics(service: FeedableService, cw: FeedTarget, options: DemoMetricsOptions = {}): () => void {
	const now = options.now ?? Date.now;
	const apiName = options.apiName ?? 'statusboard';
	const windowMs = options.windowMs ?? 10_000;
	const errorThreshold = options.errorRateThreshold ?? 0.05;
	const minErrors = options.minErrorsForAlarm ?? 3;
	const latencyThreshold = options.latencyThresholdMs ?? 2000;
	const dynamoFrom = options.dynamoAlarmFromPercent ?? 30;
	const maxWindow = options.maxWindowRequests ?? 50_000;
	const dims = {ApiName: apiName};
	const windowLabel = `${fmt(windowMs / 1000)} s`;
	let recent: Seen[] = [];
	let start = 0;
	const states = new Map<string, DemoAlarmState>();

	const set = (name: string, state: DemoAlarmState, reason: string, description: string): void => {
		// Only transitions are written, so StateUpdatedTimestamp says when the state changed.
		if (states.get(name) === state) return;
		states.set(name, state);
		cw.setAlarm({name, state, reason, description});
	};

	const evaluate = (): void => {
		const at = now();
		while (start < recent.length && recent[start]!.at < at - windowMs) start++;
		if (start > 1024 && start > recent.length / 2) {
			recent = recent.slice(start);
			start = 0;
		}
		const window = recent.slice(start);

		const errorDescription = `5XX share of ${apiName} API requests over ${windowLabel} above ${fmt(errorThreshold * 100)} %`;
		const latencyDescription = `p95 latency of ${apiName} API requests over ${windowLabel} above ${fmt(latencyThreshold)} ms`;
		if (window.length === 0) {
			set(demoAlarmNames.errorRate, 'INSUFFICIENT_DATA', `Insufficient Data: no ${apiName} requests in the last ${windowLabel}`, errorDescription);
			set(demoAlarmNames.latency, 'INSUFFICIENT_DATA', `Insufficient Data: no ${apiName} requests in the last ${windowLabel}`, latencyDescription);
		} else {
			const errors = window.filter((r) => r.status >= 500 && r.status <= 599).length;
			const share = errors / window.length;
			const shareText = `${fmt(share * 100)} % (${errors} of ${window.length})`;
			const breached = share > errorThreshold && errors >= minErrors;
			set(
				demoAlarmNames.errorRate,
				breached ? 'ALARM' : 'OK',
				breached
					? `Threshold Crossed: 5XX share ${shareText} > ${fmt(errorThreshold * 100)} % over the last ${windowLabel}`
					: `Threshold Crossed: 5XX share ${shareText} not above ${fmt(errorThreshold * 100)} % (or under ${minErrors} errors) over the last ${windowLabel}`,
				errorDescription,
			);
			const latency = p95(window.map((r) => r.latencyMs));
			set(
				demoAlarmNames.latency,
				latency > latencyThreshold ? 'ALARM' : 'OK',
				`Threshold Crossed: p95 latency ${fmt(latency)} ms ${latency > latencyThreshold ? '>' : '<='} ${fmt(latencyThreshold)} ms over the last ${windowLabel}`,
				latencyDescription,
			);
		}

		const percent = service.flag().rolloutPercent;
		const throttling = service.scenario === 'alarm' && percent >= dynamoFrom;
		set(
			demoAlarmNames.dynamoThrottles,
			throttling ? 'ALARM' : 'OK',
			throttling
				? `Threshold Crossed: DynamoDB table statusboard-v2-appointments ThrottledRequests 48 > 0 (V2 at ${fmt(percent)} % rollout exceeds provisioned write capacity)`
				: 'Threshold Crossed: DynamoDB table statusboard-v2-appointments ThrottledRequests 0 <= 0',
			'V2 DynamoDB table statusboard-v2-appointments is throttling reads or writes',
		);
	};

	const unsubscribe = service.onRequest((r) => {
		const is5xx = r.status >= 500 && r.status <= 599;
		const is4xx = r.status >= 400 && r.status <= 499;
		cw.putSample('AWS/ApiGateway', 'Count', dims, 1, r.at);
		cw.putSample('AWS/ApiGateway', 'Latency', dims, r.latencyMs, r.at);
		cw.putSample('AWS/ApiGateway', '5XXError', dims, is5xx ? 1 : 0, r.at);
		cw.putSample('AWS/ApiGateway', '4XXError', dims, is4xx ? 1 : 0, r.at);
		recent.push({at: r.at, status: r.status, latencyMs: r.latencyMs});
		if (recent.length - start > maxWindow) start = recent.length - maxWindow;
	});

	evaluate();
	const cancel = (options.setRepeating ?? defaultRepeating)(evaluate, options.alarmIntervalMs ?? 1000);
	return () => {
		cancel();
		unsubscribe();
	};
}
