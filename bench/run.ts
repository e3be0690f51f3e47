/**
 * `npm run bench`: golive's probe engine against autocannon (npm), wrk (Debian) and a bare
 * undici dispatch loop on a fast local server, each in its own process, server and clients
 * pinned to separate cores where `taskset` allows; then the console's cost (tui-bench).
 * Every row is BENCH_ROUNDS interleaved rounds (default 5) printed as median (min–max) with
 * the load average seen while it ran. A row that cannot measure names why and the bench
 * exits 1; a MISS is a finding and exits 0.
 *
 * Environment: BENCH_ROUNDS (default 5, at least 1), BENCH_QUICK=1 (shorter phases, for a smoke
 * run), BENCH_ONLY=name,… (run only these phases: closed, open, threads, delay, stall, cpu, hotpath, soak, console, fleet, judge, variants).
 */
import {availableParallelism} from 'node:os';
import type {SummaryRow} from './bench-stats.js';
import {NotMeasured, anyUnmeasured, fmt, formatSummary, load1, loadRange} from './bench-stats.js';
import {hasAutocannon, hasWrk, pinning} from './bench-tools.js';
import {consoleRows} from './console-rows.js';
import {runFleetBench} from './fleet-bench.js';
import {runJudgeBench} from './judge-bench.js';
import {cpuRows, fixedDelayRows, hotPathRows, soakRows, stallRows} from './accuracy-rows.js';
import type {BenchSettings} from './throughput-rows.js';
import {closedLoopRows, openModelRows, threadRows} from './throughput-rows.js';
import {variantCpuRows} from './variant-cpu-rows.js';

const quick = process.env['BENCH_QUICK'] === '1';
const settings: BenchSettings = {
	rounds: Math.max(1, Math.floor(Number(process.env['BENCH_ROUNDS'] ?? 5)) || 5),
	scale: quick ? 0.4 : 1,
	log: (line) => void process.stderr.write(`${line}\n`),
};

/** The fleet's rows (issue 17), one run: fleet p95 vs the exact p95 of all agents' samples, agent CPU per request. */
async function fleetRows(): Promise<SummaryRow[]> {
	const rows = await runFleetBench();
	const load = loadRange([load1()]);
	return rows.map((r) => ({measure: r.measure, value: r.value, target: r.target, verdict: r.ok === null ? 'report' : r.ok ? 'PASS' : 'MISS', load}));
}

/** The judge's rows (issue 16): CPU per rule per check over 1 m windows, bucket extraction, per-variant memory. */
async function judgeRows(): Promise<SummaryRow[]> {
	const load = loadRange([load1()]);
	return runJudgeBench().map((r) => ({
		measure: r.name,
		value: `${fmt(r.value, 1)} ${r.unit}`,
		target: r.target ?? '',
		verdict: r.ok === undefined ? 'report' : r.ok ? 'PASS' : 'MISS',
		load,
	}));
}

/** The targets of each phase's rows, for the one row that says why a phase could not measure. */
const phaseTargets: Record<string, string> = {
	closed: '≥ 1.0× autocannon; ≥ 0.95× bare undici',
	open: '≥ 30000 req/s at lag p99 ≤ 2 ms',
	delay: '≤ 1 ms',
	stall: '±10 %',
	soak: '≤ 1.02×',
	console: '≤ 5 points; |Δ p99| ≤ 1 ms; first frame ≤ 1.1×',
	fleet: '|e| ≤ 2 %',
	judge: '≤ 1000 µs',
	variants: '≤ 10 % growth',
};

const phases: Record<string, (s: BenchSettings) => Promise<SummaryRow[]>> = {
	closed: closedLoopRows,
	open: openModelRows,
	threads: threadRows,
	delay: fixedDelayRows,
	stall: stallRows,
	cpu: cpuRows,
	hotpath: hotPathRows,
	soak: soakRows,
	console: consoleRows,
	fleet: fleetRows,
	judge: judgeRows,
	variants: variantCpuRows,
};

async function main(): Promise<number> {
	const started = performance.now();
	const only = process.env['BENCH_ONLY']?.split(',').map((p) => p.trim());
	const unknown = only?.filter((p) => !(p in phases)) ?? [];
	if (unknown.length > 0) {
		process.stderr.write(`BENCH_ONLY: unknown phase(s) ${unknown.join(', ')} (phases: ${Object.keys(phases).join(', ')})\n`);
		return 2;
	}
	const loadStart = load1();
	settings.log(
		`golive bench: node ${process.version}, ${availableParallelism()} cores, ${settings.rounds} round(s)${quick ? ', quick' : ''}; ${pinning}; autocannon ${hasAutocannon ? 'found' : 'absent'}; wrk ${hasWrk ? 'found' : 'absent'}`,
	);
	const rows: SummaryRow[] = [];
	// How long each phase took: the full bench is run several times, so its time is a cost worth seeing.
	const phaseSeconds: string[] = [];
	for (const [name, phase] of Object.entries(phases)) {
		if (only && !only.includes(name)) continue;
		const phaseStarted = performance.now();
		try {
			rows.push(...(await phase(settings)));
		} catch (error) {
			const why = error instanceof Error ? error.message : String(error);
			rows.push({
				measure: `${name} rows`,
				value: `${error instanceof NotMeasured ? '' : 'failed: '}${why}`,
				target: phaseTargets[name] ?? '',
				verdict: 'NOT MEASURED',
				load: loadRange([load1()]),
			});
		}
		const seconds = (performance.now() - phaseStarted) / 1000;
		phaseSeconds.push(`${name} ${fmt(seconds, 0)} s`);
		settings.log(`(${name}: ${fmt(seconds, 0)} s)`);
	}
	// Other processes on the machine skew every number: say how busy it was, per row and overall.
	process.stdout.write(
		`\nSummary (${fmt((performance.now() - started) / 1000, 0)} s, ${settings.rounds} rounds; 1-min load average ${fmt(loadStart, 2)} at start, ${fmt(load1(), 2)} at end; ${pinning})\n\n`,
	);
	process.stdout.write(`${formatSummary(rows)}\n`);
	process.stdout.write(`\nTime per phase: ${phaseSeconds.join(', ')}; total ${fmt((performance.now() - started) / 1000, 0)} s.\n`);
	if (anyUnmeasured(rows)) {
		process.stdout.write('\nSome rows did not measure (see why above): exit 1.\n');
		return 1;
	}
	return 0;
}

process.exitCode = await main();
