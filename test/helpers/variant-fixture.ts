/** Probe snapshots with V1/V2 windows built from generated samples, for judge tests without a network. */
import {bucketsOf} from '../../source/core/judge/buckets.js';
import type {ProbeSnapshot, VariantWindow} from '../../source/core/measurements.js';
import {probeSnapshot} from './plan-fixture.js';

/** Deterministic uniform [0, 1) (mulberry32). */
export function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d_2b_79_f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/** Log-normal latencies in µs, rounded to 2 significant digits the way the probes' HDR histograms bucket them. */
export function latencySamples(random: () => number, n: number, medianMs: number, sigma: number): number[] {
	const out: number[] = [];
	for (let i = 0; i < n; i++) {
		const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
		const micros = medianMs * 1000 * Math.exp(sigma * z);
		const step = 2 ** Math.max(0, Math.floor(Math.log2(micros)) - 7);
		out.push(Math.round(micros / step) * step);
	}
	return out;
}

export function variantWindow(samplesMicros: number[], errors: number, at: number): VariantWindow {
	const b = bucketsOf(samplesMicros);
	const sorted = [...samplesMicros].sort((x, y) => x - y);
	const pct = (p: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]! / 1000);
	const requests = samplesMicros.length;
	return {
		requests,
		errors,
		conflicts: 0,
		errorRate: requests > 0 ? errors / requests : Number.NaN,
		latencyMs: {
			p50: pct(50),
			p90: pct(90),
			p95: pct(95),
			p99: pct(99),
			p999: pct(99.9),
			max: pct(100),
			mean: sorted.reduce((s, v) => s + v, 0) / Math.max(1, requests) / 1000,
		},
		lastSampleAt: requests > 0 ? at - 200 : null,
		buckets: b,
	};
}

/** A board snapshot whose windows (both 1m and 5m) carry the given V1 and V2 windows; the aggregate is healthy. */
export function boardWithVariants(at: number, v1: VariantWindow, v2: VariantWindow): ProbeSnapshot {
	const s = probeSnapshot('board', at, {requests: v1.requests + v2.requests, errors: v1.errors + v2.errors});
	s.windows['1m'] = {...s.windows['1m'], variants: {v1, v2}};
	s.windows['5m'] = {...s.windows['5m'], variants: {v1, v2}};
	return s;
}
