/**
 * The bench's accuracy and cost rows: p50 against wrk at a fixed server delay, one server
 * stall against its analytic percentiles (with closed-loop tools beside it, which miss it),
 * CPU per request at a fixed rate, and RSS over a soak with the rings wrapping.
 */
import type {SummaryRow} from './bench-stats.js';
import {NotMeasured, fmt, load1, loadRange, median, spread} from './bench-stats.js';
import {autocannon, golive, startServer, wrk} from './bench-tools.js';
import {hotPathCosts} from './hot-path-costs.js';
import type {BenchSettings} from './throughput-rows.js';

export async function fixedDelayRows(s: BenchSettings): Promise<SummaryRow[]> {
	s.log('\n== accuracy: fixed 50 ms server delay, p50 golive vs wrk ==');
	const server = await startServer('delay', '50');
	const seconds = Math.max(2, Math.round(3 * s.scale));
	const delta: number[] = [];
	const lag: number[] = [];
	const loads: number[] = [];
	try {
		for (let round = 0; round < s.rounds; round++) {
			const gr = await golive({url: server.url, rate: 200, durationMs: seconds * 1000, warmupMs: 500});
			const wr = await wrk(server.url, 10, seconds);
			delta.push(Math.abs(gr.latencyMs.p50 - wr.p50));
			lag.push(gr.scheduler.lagP99Ms);
			loads.push(load1());
			s.log(`round ${round + 1}: golive p50 ${fmt(gr.latencyMs.p50, 3)} ms   wrk p50 ${fmt(wr.p50, 3)} ms  load ${fmt(loads[round]!, 2)}`);
		}
	} finally {
		await server.stop();
	}
	// Latency is timed from the intended send: a client that cannot send on time (lag) adds its lag, as it should.
	return [
		{
			measure: '50 ms delay: |Δp50| golive vs wrk',
			value: `${spread(delta, 3, ' ms')}; golive's scheduler lag p99 ${spread(lag, 2, ' ms')}`,
			target: '≤ 1 ms',
			verdict: median(delta) <= 1 ? 'PASS' : 'MISS',
			load: loadRange(loads),
		},
	];
}

/** Runs `run` against a fresh stalling server (the stall happens once per server). */
async function onStallServer<T>(afterMs: number, stallMs: number, run: (url: string) => Promise<T>): Promise<T> {
	const server = await startServer('stall', String(afterMs), String(stallMs));
	try {
		return await run(server.url);
	} finally {
		await server.stop();
	}
}

export async function stallRows(s: BenchSettings): Promise<SummaryRow[]> {
	s.log('\n== accuracy: one 1 s stall at 1000 req/s (open model) vs a closed-loop tool ==');
	const rate = 1000;
	const durationMs = Math.round(8000 * s.scale);
	const stallMs = 1000;
	const afterMs = Math.round(durationMs * 0.3);
	// Requests intended during the stall wait S…0: of R·D samples, the top 1 % are the R·D/100 longest stalled ones.
	const analyticP99 = stallMs - (0.01 * durationMs * rate) / rate;
	const analyticP999 = stallMs - (0.001 * durationMs * rate) / rate;
	const e99: number[] = [];
	const e999: number[] = [];
	const lag: number[] = [];
	const loads: number[] = [];
	for (let round = 0; round < s.rounds; round++) {
		// Enough connections that every stalled request is on the wire: the pool queue's drain after the stall is client time, not the server's.
		const g = await onStallServer(afterMs, stallMs, (url) => golive({url, rate, durationMs, poolConnections: 1500}));
		e99.push((100 * (g.latencyMs.p99 - analyticP99)) / analyticP99);
		e999.push((100 * (g.latencyMs.p999 - analyticP999)) / analyticP999);
		lag.push(g.scheduler.lagP99Ms);
		loads.push(load1());
		s.log(
			`round ${round + 1}: p99 ${fmt(g.latencyMs.p99, 1)} ms (analytic ${analyticP99}), p99.9 ${fmt(g.latencyMs.p999, 1)} ms (analytic ${analyticP999})  load ${fmt(loads[round]!, 2)}`,
		);
	}
	// The closed-loop tools once each, beside it: they are here to show what they miss, not to be measured closely.
	const seconds = Math.round(durationMs / 1000);
	const ac = await onStallServer(afterMs, stallMs, (url) => autocannon(url, 10, seconds));
	const wr = await onStallServer(afterMs, stallMs, (url) => wrk(url, 10, seconds));
	const load = loadRange(loads);
	return [
		{
			measure: 'stall: p99 vs analytic, error',
			value: `${spread(e99, 1, ' %')} (analytic ${analyticP99} ms; scheduler lag p99 ${spread(lag, 1, ' ms')})`,
			target: '±10 %',
			verdict: Math.abs(median(e99)) <= 10 ? 'PASS' : 'MISS',
			load,
		},
		{
			measure: 'stall: p99.9 vs analytic, error',
			value: `${spread(e999, 1, ' %')} (analytic ${analyticP999} ms)`,
			target: '±10 %',
			verdict: Math.abs(median(e999)) <= 10 ? 'PASS' : 'MISS',
			load,
		},
		{
			measure: 'stall: closed loop p99, 1 run each',
			value: `autocannon -c10 ${fmt(ac.p99, 1)} ms (whole ms, no CO correction); wrk -c10 ${fmt(wr.p99, 1)} ms (back-fills from its mean rate)`,
			target: 'report',
			verdict: 'report',
			load: loadRange([load1()]),
		},
	];
}

export async function cpuRows(s: BenchSettings): Promise<SummaryRow[]> {
	s.log('\n== CPU per request, headless, 1000 req/s ==');
	const server = await startServer('fast');
	const cpu: number[] = [];
	const user: number[] = [];
	const loads: number[] = [];
	try {
		for (let round = 0; round < s.rounds; round++) {
			const r = await golive({url: server.url, rate: 1000, durationMs: Math.round(4000 * s.scale), warmupMs: 1000});
			if (r.requests === 0) throw new NotMeasured('no request completed at 1000 req/s');
			cpu.push(r.cpuUsPerRequest);
			user.push(r.cpuUserUsPerRequest);
			loads.push(load1());
			s.log(
				`round ${round + 1}: ${r.requests} requests, ${fmt(r.cpuUsPerRequest)} µs CPU/request (user ${fmt(r.cpuUserUsPerRequest)}), lag p99 ${fmt(r.scheduler.lagP99Ms, 2)} ms  load ${fmt(loads[round]!, 2)}`,
			);
		}
	} finally {
		await server.stop();
	}
	return [
		{
			measure: 'CPU µs/request at 1000 req/s (user+sys | user)',
			value: `${spread(cpu)} | ${spread(user)}`,
			target: 'report',
			verdict: 'report',
			load: loadRange(loads),
		},
	];
}

export async function soakRows(s: BenchSettings): Promise<SummaryRow[]> {
	s.log('\n== RSS over a soak with the ring wrapping (windows 2 s / 6 s, 60 slots, 2000 req/s), one run ==');
	const server = await startServer('fast');
	const durationMs = Math.round(40_000 * s.scale);
	const firstWrap = 7000;
	try {
		const l0 = load1();
		const r = await golive(
			{url: server.url, rate: 2000, durationMs, windowsMs: {'1m': 2000, '5m': 6000}, slots: 60, rssAtMs: [firstWrap, durationMs - 500]},
			true,
		);
		const first = r.rss[0]?.bytes ?? Number.NaN;
		const last = r.rss.at(-1)?.bytes ?? Number.NaN;
		if (!Number.isFinite(first) || !Number.isFinite(last) || r.rss.length < 2) throw new NotMeasured(`RSS was sampled ${r.rss.length} time(s), 2 needed`);
		const load = loadRange([l0, load1()]);
		s.log(`RSS after first wrap ${fmt(first / 1048576)} MiB, at end ${fmt(last / 1048576)} MiB, histograms ${fmt(r.memoryBytes / 1024, 0)} KiB/probe`);
		return [
			{
				measure: `soak RSS end / first wrap (${durationMs / 1000} s)`,
				value: `${fmt(last / first, 3)}× (${fmt(first / 1048576)} → ${fmt(last / 1048576)} MiB; held ${fmt(r.rps, 0)} of 2000 req/s, lag p99 ${fmt(r.scheduler.lagP99Ms, 1)} ms)`,
				target: '≤ 1.02×',
				verdict: last / first <= 1.02 ? 'PASS' : 'MISS',
				load,
			},
			{measure: 'histogram memory per probe', value: `${fmt(r.memoryBytes / 1024, 0)} KiB`, target: 'report', verdict: 'report', load},
		];
	} finally {
		await server.stop();
	}
}

/** golive's own per-request pieces in CPU ns (no network): what is golive's to lower, beside the whole request's CPU. */
export async function hotPathRows(s: BenchSettings): Promise<SummaryRow[]> {
	s.log('\n== golive hot path, piece by piece, CPU ns per call (no network) ==');
	const l0 = load1();
	const costs = hotPathCosts(s.rounds);
	const load = loadRange([l0, load1()]);
	for (const c of costs) s.log(`${c.piece}: ${spread(c.nsPerOp, 0, ' ns')}`);
	return costs.map((c) => ({measure: `hot path: ${c.piece}`, value: spread(c.nsPerOp, 0, ' ns'), target: 'report', verdict: 'report' as const, load}));
}
