/**
 * The console's rows of `npm run bench` (issue 7's targets, tightened in issue 18): CPU and
 * board p99 of the real CLI in tmux over the same CLI with `--json` at 500 req/s, and the
 * first frame over an Ink hello-world (and over the same hello-world bundled like golive), each
 * as median (min–max) of interleaved rounds.
 */
import type {SummaryRow} from './bench-stats.js';
import {NotMeasured, fmt, loadRange, median, spread} from './bench-stats.js';
import type {BenchSettings} from './throughput-rows.js';
import {runTuiBench, tuiTargets} from './tui-bench.js';

export async function consoleRows(s: BenchSettings): Promise<SummaryRow[]> {
	s.log('\n== console cost: the CLI in tmux vs --json at 500 req/s; first frame vs an Ink hello-world ==');
	const r = await runTuiBench({rounds: s.rounds, ...(s.scale < 1 ? {windowMs: 6000, warmupMs: 1500} : {})});
	const o = r.overhead;
	const load = loadRange([...o.headless, ...o.tui].map((x) => x.load));
	// Within-round differences: the two sides of a round saw the same machine.
	const cpuDelta = o.tui.map((t, i) => t.cpuPoints - o.headless[i]!.cpuPoints);
	const p99Delta = o.tui.map((t, i) => (t.boardP99Ms ?? Number.NaN) - (o.headless[i]!.boardP99Ms ?? Number.NaN));
	if (!p99Delta.some(Number.isFinite)) throw new NotMeasured('console Δ board p99: no round has a board p99 on both sides');
	const sign = (n: number) => (n > 0 ? '+' : '');
	return [
		{
			measure: 'console CPU over headless at 500 req/s',
			value: `${sign(median(cpuDelta))}${spread(cpuDelta, 1, ' points')} (${fmt(o.medianHeadlessCpuPoints)} → ${fmt(o.medianTuiCpuPoints)})`,
			target: `≤ ${tuiTargets.cpuPoints} points`,
			verdict: median(cpuDelta) <= tuiTargets.cpuPoints ? 'PASS' : 'MISS',
			load,
		},
		{
			measure: 'console Δ board p99',
			value: `${sign(median(p99Delta))}${spread(p99Delta, 2, ' ms')} (${fmt(o.medianHeadlessP99Ms ?? Number.NaN, 2)} → ${fmt(o.medianTuiP99Ms ?? Number.NaN, 2)} ms)`,
			target: `|Δ| ≤ ${tuiTargets.deltaP99Ms} ms`,
			verdict: Math.abs(median(p99Delta)) <= tuiTargets.deltaP99Ms ? 'PASS' : 'MISS',
			load,
		},
		{
			measure: 'first frame golive / bare Ink',
			value: `${spread(r.firstFrame.ratios, 2)}× (${fmt(r.firstFrame.medianGoliveMs, 0)} vs ${fmt(r.firstFrame.medianInkMs, 0)} ms)`,
			target: `≤ ${tuiTargets.firstFrameRatio}×`,
			verdict: median(r.firstFrame.ratios) <= tuiTargets.firstFrameRatio ? 'PASS' : 'MISS',
			load: loadRange(r.firstFrame.loads),
		},
		{
			// golive ships bundled and the hello-world above is not: this row shows what golive itself adds.
			measure: 'first frame golive / Ink hello-world bundled alike',
			value: `${spread(r.firstFrame.ownRatios, 2)}× (${fmt(r.firstFrame.medianGoliveMs, 0)} vs ${fmt(r.firstFrame.medianInkBundledMs, 0)} ms)`,
			target: 'report',
			verdict: 'report',
			load: loadRange(r.firstFrame.loads),
		},
	];
}
