/**
 * How a comparison reads: one compact line for a tile, one sentence for the
 * Why ("V2 board p95 512 ms vs V1 371 ms, +38 % [CI +29…+47 %], p < 0.001, 4 checks").
 */
import {formatRuleValue} from '../format.js';
import type {Comparison, Interval} from './comparison.js';

/** `p < 0.001` below a thousandth, else `p = 0.034`; `p unknown` for NaN. */
function formatP(p: number): string {
	if (!Number.isFinite(p)) return 'p unknown';
	return p < 0.001 ? 'p < 0.001' : `p = ${p < 0.01 ? p.toFixed(4) : p.toFixed(3)}`;
}

function signed(value: number, digits = 0): string {
	if (!Number.isFinite(value)) return value > 0 ? '+∞' : value < 0 ? '−∞' : '?';
	const v = value.toFixed(digits);
	return value > 0 ? `+${v}` : value < 0 ? `−${v.slice(1)}` : v;
}

/** A statistic of the comparison in its unit: ms for latency, % for rates. */
function formatCompared(c: Comparison, value: number): string {
	return formatRuleValue(value, c.metric === 'latency' ? 'ms' : 'ratio');
}

function intervalPct(i: Interval): string {
	return Number.isFinite(i.lower) && Number.isFinite(i.upper) ? ` [CI ${signed(i.lower)}…${signed(i.upper)} %]` : '';
}

function intervalPoints(i: Interval): string {
	return Number.isFinite(i.lower) && Number.isFinite(i.upper) ? ` [CI ${signed(i.lower * 100, 2)}…${signed(i.upper * 100, 2)} points]` : '';
}

/** The effect with its interval: `+38 % [CI +29…+47 %]` for latency, `+0.52 points [CI …]` for rates. */
function formatEffect(c: Comparison): string {
	if (c.metric === 'latency') return `${signed(c.effectPct.estimate)} %${intervalPct(c.effectPct)}`;
	return `${signed(c.effectAbs.estimate * 100, 2)} points${intervalPoints(c.effectAbs)}`;
}

/** `p95`, `error rate`, `conflicts per request`: what the comparison is about, for a sentence. */
function comparedName(c: Comparison, stat: string): string {
	switch (c.metric) {
		case 'latency':
			return stat === 'mean' ? 'mean' : stat;
		case 'errorRate':
			return 'error rate';
		case 'conflicts':
			return 'conflicts per request';
		default: {
			const _never: never = c.metric;
			return _never;
		}
	}
}

/**
 * The Why of a verdict: "V2 board p95 512 ms vs V1 371 ms, +38 % [CI +29…+47 %], p < 0.001, 4 checks".
 * `checks` is how many consecutive checks said HIGH (omitted when not given).
 */
export function formatComparisonWhy(
	subject: string,
	stat: string,
	c: Comparison,
	checks?: number,
	names: {v1: string; v2: string} = {v1: 'V1', v2: 'V2'},
): string {
	const head = `${names.v2} ${subject} ${comparedName(c, stat)} ${formatCompared(c, c.v2)} vs ${names.v1} ${formatCompared(c, c.v1)}`;
	if (c.verdict === 'NO_DATA') return `${head}: no verdict (${c.note})`;
	const tail = c.tail?.high && c.metric === 'latency' ? `, tail p99 ${formatCompared(c, c.tail.v2P99Ms)} vs ${formatCompared(c, c.tail.v1P99Ms)}` : '';
	const looks = checks === undefined ? '' : `, ${checks} check${checks === 1 ? '' : 's'}`;
	return `${head}, ${formatEffect(c)}${tail}, ${formatP(c.pValue)}${looks}`;
}

/** One compact tile line: `V1 371 ms · V2 512 ms +38 % HIGH`. */
export function formatComparisonLine(c: Comparison, shownVerdict: string = c.verdict): string {
	const delta = Number.isFinite(c.deltaPct) ? ` ${signed(c.deltaPct)} %` : '';
	return `V1 ${formatCompared(c, c.v1)} · V2 ${formatCompared(c, c.v2)}${delta} ${shownVerdict}`;
}
