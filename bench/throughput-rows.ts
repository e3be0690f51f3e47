/**
 * The bench's throughput rows: closed loop against autocannon, wrk and a bare undici
 * `dispatch` loop (the ceiling golive's own code sits on), the open model's highest held
 * rate, and the worker-thread mode beside autocannon's `--workers`. Every round runs each
 * tool once, in a rotated order, and ratios are taken within a round (same machine state),
 * then the median and spread of those ratios are reported.
 */
import type {SummaryRow} from './bench-stats.js';
import {NotMeasured, fmt, load1, loadRange, median, spread} from './bench-stats.js';
import {autocannon, golive, startServer, undiciCeiling, wrk} from './bench-tools.js';

export type BenchSettings = {rounds: number; scale: number; log(line: string): void};

/** Calls `run` once per round with the tools in a rotated order, so no tool always goes first. */
async function rotated(round: number, steps: Array<() => Promise<void>>): Promise<void> {
	for (let i = 0; i < steps.length; i++) await steps[(i + round) % steps.length]!();
}

const ratios = (a: number[], b: number[]): number[] => a.map((v, i) => v / b[i]!);

export async function closedLoopRows(s: BenchSettings): Promise<SummaryRow[]> {
	s.log('\n== closed loop, 10 connections, fast raw-net server: golive, bare undici dispatch, autocannon, wrk ==');
	const server = await startServer('fast');
	const seconds = Math.max(2, Math.round(4 * s.scale));
	const durationMs = seconds * 1000;
	const g: number[] = [];
	const gCpu: number[] = [];
	const u: number[] = [];
	const uCpu: number[] = [];
	const a: number[] = [];
	const w: number[] = [];
	const loads: number[] = [];
	try {
		for (let round = 0; round < s.rounds; round++) {
			// No warm-up for any tool: autocannon's --warmup changes what its -j JSON reports, so all count from their start.
			await rotated(round, [
				async () => {
					const r = await golive({url: server.url, connections: 10, durationMs});
					g.push(r.rps);
					gCpu.push(r.cpuUsPerRequest);
				},
				async () => {
					const r = await undiciCeiling({url: server.url, connections: 10, durationMs});
					u.push(r.rps);
					uCpu.push(r.cpuUsPerRequest);
				},
				async () => void a.push((await autocannon(server.url, 10, seconds)).rps),
				async () => void w.push((await wrk(server.url, 10, seconds)).rps),
			]);
			loads.push(load1());
			s.log(
				`round ${round + 1}: golive ${fmt(g[round]!, 0)} req/s (${fmt(gCpu[round]!)} µs CPU/req)  bare undici ${fmt(u[round]!, 0)} (${fmt(uCpu[round]!)} µs)  autocannon ${fmt(a[round]!, 0)}  wrk ${fmt(w[round]!, 0)}  load ${fmt(loads[round]!, 2)}`,
			);
		}
	} finally {
		await server.stop();
	}
	const load = loadRange(loads);
	const ga = ratios(g, a);
	const gu = ratios(g, u);
	const ua = ratios(u, a);
	return [
		{
			measure: 'closed loop golive / autocannon',
			value: `${spread(ga, 2, '×')} (${fmt(median(g), 0)} vs ${fmt(median(a), 0)} req/s)`,
			target: '≥ 1.0×',
			verdict: median(ga) >= 1 ? 'PASS' : 'MISS',
			load,
			ceiling: `golive sends through undici, and bare undici itself reaches ${fmt(median(ua), 2)}× of autocannon (${fmt(median(u), 0)} vs ${fmt(median(a), 0)} req/s); golive is ${fmt(median(gu), 2)}× of bare undici`,
		},
		{
			measure: 'closed loop golive / bare undici dispatch',
			value: `${spread(gu, 2, '×')} (${fmt(median(g), 0)} vs ${fmt(median(u), 0)} req/s)`,
			target: '≥ 0.95×',
			verdict: median(gu) >= 0.95 ? 'PASS' : 'MISS',
			load,
			ceiling: `CPU per request golive ${fmt(median(gCpu))} µs vs bare undici ${fmt(median(uCpu))} µs: golive's own ${fmt(median(gCpu) - median(uCpu), 2)} µs; 0.95× allows ${fmt(median(uCpu) / 0.95 - median(uCpu), 2)} µs`,
		},
		{measure: 'ceiling: bare undici / autocannon', value: `${spread(ua, 2, '×')}`, target: 'report', verdict: 'report', load},
		{measure: 'closed loop golive / wrk', value: `${spread(ratios(g, w), 2, '×')} (wrk ${fmt(median(w), 0)} req/s)`, target: 'report', verdict: 'report', load},
		{measure: 'CPU µs/request, closed loop: golive | undici', value: `${spread(gCpu)} | ${spread(uCpu)}`, target: 'report', verdict: 'report', load},
	];
}

const ladder = [500, 1000, 2000, 3000, 5000, 7500, 10_000, 15_000, 20_000, 25_000, 30_000, 40_000];

type Rung = {rate: number; held: boolean; lagP99Ms: number; rps: number; cpuUsPerRequest: number};

export async function openModelRows(s: BenchSettings): Promise<SummaryRow[]> {
	s.log('\n== open model: highest rate held with scheduler lag p99 ≤ 2 ms, per round ==');
	const server = await startServer('fast');
	const best: number[] = [];
	const bestLag: number[] = [];
	const bestCpu: number[] = [];
	const stoppedBy: string[] = [];
	const failedCpu: number[] = [];
	const failedRate: number[] = [];
	const loads: number[] = [];
	const measure = async (round: number, index: number): Promise<Rung> => {
		const rate = ladder[index]!;
		const r = await golive({url: server.url, rate, durationMs: Math.round(2500 * s.scale) + 500, warmupMs: 500}, false, true);
		const held = r.scheduler.lagP99Ms <= 2 && r.rps >= rate * 0.95 && r.scheduler.dropped === 0;
		s.log(
			`round ${round + 1} rate ${rate}: ${fmt(r.rps, 0)} req/s, lag p99 ${fmt(r.scheduler.lagP99Ms, 2)} ms, dropped ${r.scheduler.dropped}, ${fmt(r.cpuUsPerRequest)} µs CPU/req → ${held ? 'held' : 'not held'}`,
		);
		return {rate, held, lagP99Ms: r.scheduler.lagP99Ms, rps: r.rps, cpuUsPerRequest: r.cpuUsPerRequest};
	};
	// Each round finds the rung where holding stops: the first round climbs from the bottom; later rounds start one
	// rung below the last round's answer and climb, or step down while it is not held. The answer is the same as a
	// climb from the bottom (a rate held implies every lower rate is held), without re-running the low rungs.
	let start = 0;
	try {
		for (let round = 0; round < s.rounds; round++) {
			let heldRung: Rung | undefined;
			let failed: Rung | undefined;
			let i = start;
			let first = await measure(round, i);
			if (first.held) {
				heldRung = first;
				for (i = i + 1; i < ladder.length; i++) {
					const r = await measure(round, i);
					if (!r.held) {
						failed = r;
						break;
					}
					heldRung = r;
				}
			} else {
				failed = first;
				for (i = i - 1; i >= 0; i--) {
					first = await measure(round, i);
					if (first.held) {
						heldRung = first;
						break;
					}
					failed = first;
				}
			}
			start = Math.max(0, ladder.indexOf(heldRung?.rate ?? ladder[0]!) - 1);
			best.push(heldRung?.rate ?? 0);
			bestLag.push(heldRung?.lagP99Ms ?? Number.NaN);
			bestCpu.push(heldRung?.cpuUsPerRequest ?? Number.NaN);
			if (failed) {
				stoppedBy.push(`${failed.rate}: lag p99 ${fmt(failed.lagP99Ms, 1)} ms, ${fmt(failed.rps, 0)} req/s`);
				failedCpu.push(failed.cpuUsPerRequest);
				failedRate.push(failed.rate);
			}
			loads.push(load1());
		}
	} finally {
		await server.stop();
	}
	const load = loadRange(loads);
	// What a 30,000 req/s open model costs the client's one core, from the CPU per request at the highest rate measured
	// (the first rung not held): at low rates the loop's fixed cost is spread over few requests and overstates it.
	const cpuPerRequest = failedCpu.length > 0 ? median(failedCpu) : median(bestCpu);
	const coreShare = (30_000 * cpuPerRequest) / 10_000;
	const measuredAt = failedRate.length > 0 ? ` at ${fmt(median(failedRate), 0)} req/s` : '';
	return [
		{
			measure: 'open model, highest rate held (lag p99 ≤ 2 ms)',
			value: best.some((b) => b > 0) ? `${spread(best, 0, ' req/s')}; lag p99 there ${spread(bestLag, 2, ' ms')}` : `no rung held, not even ${ladder[0]} req/s`,
			target: '≥ 30000 req/s',
			verdict: median(best) >= 30_000 ? 'PASS' : 'MISS',
			load,
			ceiling: `${fmt(cpuPerRequest)} µs of CPU per request${measuredAt} (undici's included) puts 30,000 req/s at ${fmt(coreShare, 0)} % of the client's one core${coreShare >= 100 ? ': more than the core it runs on' : "; the scheduler's lag p99 passes 2 ms before the core is full"}`,
		},
		{
			measure: 'open model: first rate not held',
			value: stoppedBy.length > 0 ? stoppedBy.join('; ') : 'every rung held',
			target: 'report',
			verdict: 'report',
			load,
		},
		{
			measure: 'open model: CPU µs/request at the held rate',
			value: bestCpu.some(Number.isFinite) ? spread(bestCpu) : `no rung held; ${spread(failedCpu)} at the first rung not held`,
			target: 'report',
			verdict: 'report',
			load,
		},
	];
}

/** `golive --threads 2` beside `autocannon --workers 2`, 10 connections split over the threads. */
export async function threadRows(s: BenchSettings, threads = 2): Promise<SummaryRow[]> {
	s.log(`\n== closed loop over ${threads} worker threads: golive --threads ${threads} vs autocannon --workers ${threads} ==`);
	const server = await startServer('fast');
	const seconds = Math.max(2, Math.round(4 * s.scale));
	const g: number[] = [];
	const a: number[] = [];
	const loads: number[] = [];
	try {
		for (let round = 0; round < s.rounds; round++) {
			await rotated(round, [
				async () => {
					const r = await golive({url: server.url, connections: 10, threads, durationMs: seconds * 1000});
					if (r.errors > 0 || r.requests === 0) throw new NotMeasured(`golive --threads ${threads}: ${r.requests} requests, ${r.errors} errors`);
					g.push(r.rps);
				},
				async () => void a.push((await autocannon(server.url, 10, seconds, threads)).rps),
			]);
			loads.push(load1());
			s.log(
				`round ${round + 1}: golive --threads ${threads} ${fmt(g[round]!, 0)} req/s  autocannon --workers ${threads} ${fmt(a[round]!, 0)}  load ${fmt(loads[round]!, 2)}`,
			);
		}
	} finally {
		await server.stop();
	}
	const ga = ratios(g, a);
	return [
		{
			measure: `closed loop, ${threads} threads: golive / autocannon`,
			value: `${spread(ga, 2, '×')} (${fmt(median(g), 0)} vs ${fmt(median(a), 0)} req/s)`,
			target: 'report',
			verdict: 'report',
			load: loadRange(loads),
		},
	];
}
