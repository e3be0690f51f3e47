/**
 * What kind of number a probe statistic is: a latency (read from the window's
 * latency summary) or one of the window's own counters. The rules read a stat's
 * value and the judge picks what to compare from this one split.
 */
import type {LatencySummary} from './measurements.js';
import type {ProbeStat} from './plan-types.js';

type LatencyStat = keyof LatencySummary;

const latencyStats: Record<LatencyStat, true> = {p50: true, p90: true, p95: true, p99: true, p999: true, max: true, mean: true};

/** `p95`, `mean`, … are latencies; `errorRate`, `conflicts` and `requests` are not. */
export function isLatencyStat(stat: ProbeStat): stat is LatencyStat {
	return Object.hasOwn(latencyStats, stat);
}
