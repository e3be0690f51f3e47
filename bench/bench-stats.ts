/**
 * How the bench summarises repeated measurements: the median, the spread (min–max) beside
 * it, and the machine's load average while they were taken, so a reader can tell a slow
 * machine from a slow program. A row that could not measure carries the reason instead of
 * a value, and makes the bench exit non-zero.
 */
import {loadavg} from 'node:os';

export function median(values: readonly number[]): number {
	const v = values.filter(Number.isFinite).sort((a, b) => a - b);
	if (v.length === 0) return Number.NaN;
	const mid = Math.floor(v.length / 2);
	return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

export const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');

/** `median (min–max)` of the finite values. */
export function spread(values: readonly number[], digits = 1, unit = ''): string {
	const v = values.filter(Number.isFinite);
	if (v.length === 0) return '–';
	const m = `${fmt(median(v), digits)}${unit}`;
	return v.length === 1 ? m : `${m} (${fmt(Math.min(...v), digits)}–${fmt(Math.max(...v), digits)})`;
}

/** The 1-minute load average now. */
export const load1 = (): number => loadavg()[0] ?? Number.NaN;

/** Load averages seen over a row's rounds, as `min–max`. */
export function loadRange(loads: readonly number[]): string {
	const v = loads.filter(Number.isFinite);
	if (v.length === 0) return '–';
	const lo = Math.min(...v);
	const hi = Math.max(...v);
	return lo === hi ? fmt(lo, 2) : `${fmt(lo, 2)}–${fmt(hi, 2)}`;
}

export type Verdict = 'PASS' | 'MISS' | 'report' | 'NOT MEASURED';

export type SummaryRow = {
	measure: string;
	/** The median (min–max) over the rounds, or why nothing was measured. */
	value: string;
	/** The target; '' or 'report' for a row that only reports (printed as such). */
	target: string;
	verdict: Verdict;
	/** 1-minute load averages seen while the row was measured. */
	load: string;
	/** For a row whose target is out of reach here: what stops it, with numbers (printed under the table). */
	ceiling?: string;
};

/** Thrown by a phase that cannot measure a row: the row says why, and the bench exits non-zero. */
export class NotMeasured extends Error {}

/** A report row has no target of its own: it says so instead of leaving the columns blank. */
const targetText = (r: SummaryRow): string => (r.target === '' || r.target === 'report' ? (r.verdict === 'NOT MEASURED' ? '–' : 'none (reported)') : r.target);
const verdictText = (r: SummaryRow): string => (r.verdict === 'report' ? 'INFO' : r.verdict);

export function formatSummary(rows: readonly SummaryRow[]): string {
	const head = {measure: 'measure', value: 'median (min–max) over the rounds', target: 'target', verdict: 'verdict', load: 'load avg'};
	const all = [head, ...rows.map((r) => ({...r, target: targetText(r), verdict: verdictText(r)}))];
	const w = (k: 'measure' | 'target' | 'load') => Math.max(...all.map((r) => r[k].length));
	const [mw, tw, lw] = [w('measure'), w('target'), w('load')];
	// The value goes last and unpadded: a reason why a row did not measure can be long.
	const table = all.map((r) => `${r.measure.padEnd(mw)}  ${r.verdict.padEnd(12)}  ${r.target.padEnd(tw)}  ${r.load.padEnd(lw)}  ${r.value}`);
	const ceilings = rows.filter((r) => r.verdict === 'MISS' && r.ceiling).map((r) => `- ${r.measure}: ${r.ceiling}`);
	return [...table, ...(ceilings.length > 0 ? ['', 'Targets out of reach on this machine, and what stops them:', ...ceilings] : [])].join('\n');
}

/** Whether the bench must exit non-zero: a row that did not measure. A MISS is a finding, not a failure to measure. */
export const anyUnmeasured = (rows: readonly SummaryRow[]): boolean => rows.some((r) => r.verdict === 'NOT MEASURED');
