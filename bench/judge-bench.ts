/**
 * The judge's cost and the memory of per-variant windows, as bench rows:
 * - judge µs per rule per check over two 1-minute windows (V1 and V2 histograms as the
 *   probes hand them over), latency and rate rules, at realistic and at high rates;
 * - the probe side: extracting one window's buckets from its HDR histogram;
 * - recording cost per sample with and without a `variantHeader`;
 * - histogram memory per probe with and without variants.
 * Standalone: `node dist/bench/judge-bench.js` (a few seconds).
 */
import {performance} from 'node:perf_hooks';
import {pathToFileURL} from 'node:url';
import {compareLatency} from '../source/core/judge/compare-latency.js';
import {compareRates} from '../source/core/judge/compare-rates.js';
import {createHistogram, destroyHistogram, histogramBuckets, recordMicros} from '../probes/histograms.js';
import {ProbeState} from '../probes/probe-state.js';
import type {RequestOutcome} from '../probes/http-client.js';
import type {ProbeSpec} from '../source/core/plan-types.js';

/** `target`/`ok` only where the issue sets one (the judge: ≤ 1 ms per rule per check). */
export type JudgeBenchRow = {name: string; value: number; unit: string; target?: string; ok?: boolean};

function lognormalMicros(n: number, medianMs: number, sigma: number, seed: number): number[] {
	let a = seed;
	const random = (): number => {
		a = (a * 1_103_515_245 + 12_345) % 2_147_483_648;
		return (a + 0.5) / 2_147_483_648;
	};
	return Array.from({length: n}, () => medianMs * 1000 * Math.exp(sigma * Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random())));
}

/**
 * CPU µs per call (this process's user + system time): on a shared, loaded machine the
 * wall time also counts the time other processes hold the cores.
 */
function timeUs(f: () => unknown, minMs = 300): number {
	for (let i = 0; i < 20; i++) f();
	let n = 0;
	const cpu = process.cpuUsage();
	const start = performance.now();
	while (performance.now() - start < minMs) {
		f();
		n++;
	}
	const used = process.cpuUsage(cpu);
	return (used.user + used.system) / n;
}

function judgeRows(ratePerSec: number, canaryPercent: number): JudgeBenchRow[] {
	const total = ratePerSec * 60;
	const h1 = createHistogram();
	const h2 = createHistogram();
	for (const v of lognormalMicros(Math.round(total * (1 - canaryPercent / 100)), 150, 0.5, 7)) recordMicros(h1, v);
	for (const v of lognormalMicros(Math.round((total * canaryPercent) / 100), 200, 0.5, 11)) recordMicros(h2, v);
	const b1 = histogramBuckets(h1);
	const b2 = histogramBuckets(h2);
	const settings = {minEffectPct: 10, minEffectAbs: 20, minSamples: 50, alpha: 0.001};
	const where = `${ratePerSec} req/s, ${canaryPercent} % V2, 1 m windows (${b1.counts.length}+${b2.counts.length} buckets)`;
	const latencyUs = timeUs(() => compareLatency({buckets: b1, valueMs: 0}, {buckets: b2, valueMs: 0}, settings));
	const rows: JudgeBenchRow[] = [
		{name: `judge latency rule per check, ${where}`, value: latencyUs, unit: 'µs CPU', target: '≤ 1000 µs', ok: latencyUs <= 1000},
		{
			name: `judge error-rate rule per check, ${where}`,
			value: timeUs(() =>
				compareRates('errorRate', {events: 3, requests: total * 0.9}, {events: 4, requests: total * 0.1}, {...settings, minEffectAbs: 0.005}),
			),
			unit: 'µs CPU',
		},
		{name: `probe: buckets of one variant window, ${where}`, value: timeUs(() => histogramBuckets(h1)), unit: 'µs CPU'},
	];
	destroyHistogram(h1);
	destroyHistogram(h2);
	return rows;
}

function recordRows(): JudgeBenchRow[] {
	const spec: ProbeSpec = {id: 'board', label: 'Board', method: 'GET', path: '/', ratePerSec: 100, timeoutMs: 5000, maxResponseBytes: 1_048_576, kind: 'read'};
	const options = {windowsMs: {'1m': 60_000, '5m': 300_000}, slots: 60, origin: 0, keepTotals: false, maxLagMs: 10, variantWarmupMs: 0};
	const rows: JudgeBenchRow[] = [];
	for (const variantHeader of [undefined, 'x-served-by']) {
		const state = new ProbeState({...spec, ...(variantHeader ? {variantHeader} : {})}, options);
		const latencies = lognormalMicros(100_000, 150, 0.5, 3);
		let i = 0;
		const outcome = (k: number): RequestOutcome => ({status: 200, variant: k % 10 === 0 ? 'v2' : 'v1'}) as RequestOutcome;
		const us = timeUs(() => {
			const k = i++;
			state.record(outcome(k), latencies[k % latencies.length]!, 1000 + k * 10);
		});
		rows.push({name: `probe: record one sample ${variantHeader ? 'with' : 'without'} variantHeader`, value: us, unit: 'µs CPU'});
		rows.push({
			name: `probe: histogram memory per probe ${variantHeader ? 'with V1+V2 windows' : 'without variants'}`,
			value: state.memoryBytes / 1024,
			unit: 'KiB',
		});
		state.destroy();
	}
	return rows;
}

export function runJudgeBench(): JudgeBenchRow[] {
	return [...judgeRows(20, 10), ...judgeRows(100, 10), ...judgeRows(100, 50), ...recordRows()];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	for (const row of runJudgeBench()) process.stdout.write(`${row.name.padEnd(100)} ${row.value.toFixed(1).padStart(9)} ${row.unit}\n`);
}
