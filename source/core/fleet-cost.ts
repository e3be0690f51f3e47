/**
 * The fleet's CloudWatch bill on paper (README "Scale on paper"), from the same shapes the
 * agent publishes and the reader asks for. Prices: CloudWatch list prices (us-east-1) —
 * custom metrics $0.30 per metric-month for the first 10,000 and $0.10 for the next 240,000
 * (prorated by the hour, 730 hours a month); PutMetricData and ListMetrics $0.01 per 1,000
 * requests; GetMetricData $0.01 per 1,000 metrics requested.
 */

const cloudWatchPrices = {
	metricMonthFirst10k: 0.3,
	metricMonthNext240k: 0.1,
	perThousandRequests: 0.01,
	perThousandMetricsRequested: 0.01,
	hoursPerMonth: 730,
} as const;

export type FleetShape = {
	agents: number;
	/** Distinct locations (agents in one location share its metrics). */
	locations: number;
	probes: number;
	/** Variants a probe reports (`x-served-by`), 0 without a variant header. */
	variants: number;
	publishIntervalMs: number;
	/** How often the console reads the fleet. */
	readIntervalMs: number;
	/** Length of the watch the uptime checks cover. */
	watchMs: number;
};

export type FleetCost = {
	dataPerAgentInterval: number;
	putCallsPerAgentInterval: number;
	putCallsPerHour: number;
	customMetrics: number;
	metricsRequestedPerRead: number;
	getCallsPerRead: number;
	datapointsPerRead: number;
	costPerHour: {put: number; metrics: number; get: number; total: number};
};

export function fleetCost(s: FleetShape): FleetCost {
	const variantValues = s.variants > 0 ? s.variants + 1 : 1;
	// 4 metrics × probe × variant value × {own location, all}, plus the heartbeat twice.
	const dataPerAgentInterval = 4 * s.probes * variantValues * 2 + 2;
	const putCallsPerAgentInterval = Math.ceil(dataPerAgentInterval / 1000);
	const putCallsPerHour = s.agents * putCallsPerAgentInterval * (3_600_000 / s.publishIntervalMs);
	const customMetrics = (4 * s.probes * variantValues + 1) * (s.locations + 1);
	const metricMonths =
		Math.min(customMetrics, 10_000) * cloudWatchPrices.metricMonthFirst10k + Math.max(0, customMetrics - 10_000) * cloudWatchPrices.metricMonthNext240k;
	// Window: p50/p95/p99 + 3 sums per probe, a p95 per probe and location. Checks: heartbeats, and requests + errors per probe and location.
	const windowQueries = s.probes * (6 + s.locations);
	const checkQueries = 1 + s.locations + 2 * s.probes * s.locations;
	const metricsRequestedPerRead = windowQueries + checkQueries;
	const reads = 3_600_000 / s.readIntervalMs;
	const put = (putCallsPerHour / 1000) * cloudWatchPrices.perThousandRequests;
	const metrics = metricMonths / cloudWatchPrices.hoursPerMonth;
	// ListMetrics once per read is a request too.
	const get = ((metricsRequestedPerRead * reads) / 1000) * cloudWatchPrices.perThousandMetricsRequested + (reads / 1000) * cloudWatchPrices.perThousandRequests;
	return {
		dataPerAgentInterval,
		putCallsPerAgentInterval,
		putCallsPerHour,
		customMetrics,
		metricsRequestedPerRead,
		getCallsPerRead: Math.ceil(windowQueries / 500) + Math.ceil(checkQueries / 500),
		datapointsPerRead: windowQueries + checkQueries * Math.ceil(s.watchMs / s.publishIntervalMs),
		costPerHour: {put, metrics, get, total: put + metrics + get},
	};
}
