/**
 * Latency distributions of the simulated StatusBoardV2 service. Log-normal
 * because real service latency is right-skewed: most requests near the median,
 * a long tail that percentiles (not means) are there to catch.
 */
import type {Random} from './seeded-random.js';

export type LatencyDistribution = {
	/** Median in ms. */
	medianMs: number;
	/** Shape: sd of the underlying normal. p95 = median × e^(1.645 σ). */
	sigma: number;
	/** Clamp so one freak draw cannot stall a short test or trip a 2 s abort by itself. */
	minMs: number;
	maxMs: number;
};

/** Routes whose behaviour the scenarios shape. */
export const servedRoutes = ['health', 'board', 'drawer', 'stats', 'move', 'flags'] as const;
export type ServedRoute = (typeof servedRoutes)[number];

/**
 * Healthy numbers from the StatusBoardV2 run sheet's SLOs: board p95 < 800 ms
 * (here median ~150, p95 ~350), drawer avg < 200 ms (here mean ~70).
 */
export const healthyLatency = {
	health: {medianMs: 2, sigma: 0.3, minMs: 0.5, maxMs: 20},
	board: {medianMs: 150, sigma: 0.515, minMs: 30, maxMs: 1200},
	drawer: {medianMs: 65, sigma: 0.4, minMs: 10, maxMs: 600},
	stats: {medianMs: 38, sigma: 0.35, minMs: 5, maxMs: 400},
	move: {medianMs: 80, sigma: 0.4, minMs: 10, maxMs: 800},
	flags: {medianMs: 4, sigma: 0.3, minMs: 1, maxMs: 40},
} as const satisfies Record<ServedRoute, LatencyDistribution>;

/** V2's board past its capacity cliff: ~1.2–3 s. */
export const overloadedBoardLatency: LatencyDistribution = {medianMs: 1900, sigma: 0.28, minMs: 1000, maxMs: 3200};

/** One latency draw in ms, already multiplied by `scale`. Always two RNG draws. */
export function drawLatencyMs(distribution: LatencyDistribution, random: Random, scale: number): number {
	const raw = random.logNormal(distribution.medianMs, distribution.sigma);
	const clamped = Math.min(distribution.maxMs, Math.max(distribution.minMs, raw));
	return clamped * scale;
}
