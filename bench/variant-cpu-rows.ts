/**
 * The probe's CPU per request with and without per-variant windows, side by side (issue 16: the
 * V2-vs-V1 judge must not grow it by more than 10 %). One server answers `X-Served-By: v1`, every
 * 10th request `v2`; the same open-model rate runs once without `variantHeader` (the header is
 * ignored) and once with it (every sample also goes into its variant's windows), in alternating
 * order each round so drift in the machine's load falls on both. CPU is the runner process's
 * user + system time (process.cpuUsage), which a loaded machine does not inflate the way it does
 * wall time. Growth is per round (with / without − 1), then median (min–max).
 */
import type {SummaryRow} from './bench-stats.js';
import {NotMeasured, fmt, load1, loadRange, median, spread} from './bench-stats.js';
import {golive, startServer} from './bench-tools.js';
import type {RunnerResult} from './golive-runner.js';
import type {BenchSettings} from './throughput-rows.js';

const ratePerSec = 1000;
const canaryEvery = 10;
const variantHeader = 'x-served-by';
/** The bound: CPU per request with variants at most this much above without. */
const maxGrowthPct = 10;

export async function variantCpuRows(s: BenchSettings): Promise<SummaryRow[]> {
	s.log(`\n== probe CPU per request with and without variants (V2 every ${canaryEvery}th response), ${ratePerSec} req/s, interleaved ==`);
	const server = await startServer('variants', String(canaryEvery));
	const without: number[] = [];
	const withVariants: number[] = [];
	const growth: number[] = [];
	const loads: number[] = [];
	const run = (header: string | undefined): Promise<RunnerResult> =>
		golive({url: server.url, rate: ratePerSec, durationMs: Math.round(4000 * s.scale), warmupMs: 1000, ...(header ? {variantHeader: header} : {})});
	try {
		for (let round = 0; round < s.rounds; round++) {
			const order = round % 2 === 0 ? [undefined, variantHeader] : [variantHeader, undefined];
			const results = new Map<string | undefined, RunnerResult>();
			for (const header of order) results.set(header, await run(header));
			const plain = results.get(undefined)!;
			const judged = results.get(variantHeader)!;
			if (plain.requests === 0 || judged.requests === 0) throw new NotMeasured(`no request completed at ${ratePerSec} req/s`);
			// The row is about variant windows: a run that saw no V2 would measure nothing.
			if (!(judged.variantsSeen['v2']! > 0)) throw new NotMeasured(`the probe saw no v2 response (variants seen: ${JSON.stringify(judged.variantsSeen)})`);
			without.push(plain.cpuUsPerRequest);
			withVariants.push(judged.cpuUsPerRequest);
			growth.push((judged.cpuUsPerRequest / plain.cpuUsPerRequest - 1) * 100);
			loads.push(load1());
			s.log(
				`round ${round + 1}: without ${fmt(plain.cpuUsPerRequest)} µs (${plain.requests} req), with ${fmt(judged.cpuUsPerRequest)} µs (${judged.requests} req, v1 ${judged.variantsSeen['v1'] ?? 0} / v2 ${judged.variantsSeen['v2'] ?? 0}), growth ${fmt(growth.at(-1)!)} %  load ${fmt(loads.at(-1)!, 2)}`,
			);
		}
	} finally {
		await server.stop();
	}
	const load = loadRange(loads);
	return [
		{measure: `probe CPU µs/request at ${ratePerSec} req/s, without variantHeader`, value: spread(without), target: 'report', verdict: 'report', load},
		{measure: `probe CPU µs/request at ${ratePerSec} req/s, with V1+V2 windows`, value: spread(withVariants), target: 'report', verdict: 'report', load},
		{
			measure: 'probe CPU per request growth with variants (paired rounds)',
			value: spread(growth, 1, ' %'),
			target: `≤ ${maxGrowthPct} %`,
			verdict: median(growth) <= maxGrowthPct ? 'PASS' : 'MISS',
			load,
		},
	];
}
