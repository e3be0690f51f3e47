/**
 * Scripted measurements for engine tests: probe snapshots as the probe engine
 * would post them, with the numbers a test chooses.
 */
import type {LatencySummary, ProbeSnapshot, ProbeWindow} from '../../source/core/measurements.js';

export type ProbeNumbers = {
	requests: number;
	p95: number;
	mean: number;
	errors?: number;
	conflicts?: number;
	/** Cumulative canary-variant responses and when the last one was seen. */
	v2?: {count: number; lastSeenAt: number};
	totalRequests?: number;
	/** Cumulative 2xx/3xx responses. @default totalRequests − errors */
	totalSuccesses?: number;
};

function latency(p95: number, mean: number): LatencySummary {
	return {p50: mean, p90: p95 * 0.9, p95, p99: p95 * 1.2, p999: p95 * 1.5, max: p95 * 2, mean};
}

function window(probeId: string, name: '1m' | '5m', n: ProbeNumbers, at: number): ProbeWindow {
	const errors = n.errors ?? 0;
	const empty = n.requests === 0;
	return {
		probeId,
		window: name,
		requests: n.requests,
		errors,
		conflicts: n.conflicts ?? 0,
		errorRate: empty ? Number.NaN : errors / n.requests,
		latencyMs: empty ? latency(Number.NaN, Number.NaN) : latency(n.p95, n.mean),
		statusCounts: {'200': n.requests - errors},
		errorCounts: errors > 0 ? {http_5xx: errors} : {},
		lastSampleAt: empty ? null : at,
	};
}

export function probeSnapshot(probeId: string, n: ProbeNumbers, at: number): ProbeSnapshot {
	return {
		probeId,
		at,
		windows: {'1m': window(probeId, '1m', n, at), '5m': window(probeId, '5m', n, at)},
		scheduler: {lagP99Ms: 0.5, queueDepth: 0, dropped: 0, valid: true},
		totalRequests: n.totalRequests ?? n.requests,
		totalSuccesses: n.totalSuccesses ?? (n.totalRequests ?? n.requests) - (n.errors ?? 0),
		variants: n.v2 ? {v2: n.v2, v1: {count: n.requests, lastSeenAt: at}} : {v1: {count: n.requests, lastSeenAt: at}},
		memoryBytes: 1024,
		lastError: null,
	};
}

/** The demo plan's five probes, healthy unless overridden. */
export function demoProbes(at: number, overrides: Partial<Record<string, Partial<ProbeNumbers>>> = {}): ProbeSnapshot[] {
	const base: Record<string, ProbeNumbers> = {
		board: {requests: 200, p95: 350, mean: 150},
		drawer: {requests: 200, p95: 120, mean: 70},
		stats: {requests: 50, p95: 60, mean: 40},
		move: {requests: 100, p95: 90, mean: 50, conflicts: 0},
		health: {requests: 20, p95: 5, mean: 2},
	};
	return Object.entries(base).map(([id, numbers]) => probeSnapshot(id, {...numbers, ...overrides[id]}, at));
}
