/**
 * `golive compare BASELINE.json CANARY.json [--json]`: the V2-vs-V1 judge over two
 * saved `golive probe --json` results, for a before/after comparison of two
 * deploys. One look, so no repeated-looks count: the verdict is the check's.
 * Exit 0 PASS or LOW, 1 HIGH (the canary is worse), 2 usage or unreadable file,
 * 3 NO_DATA (too few samples).
 */
import {readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {parseCommandArgs, UsageError, withUsageErrors, type CommandIo} from '../cli-args.js';
import {bucketPercentile} from '../core/judge/buckets.js';
import {compareLatency} from '../core/judge/compare-latency.js';
import {compareRates} from '../core/judge/compare-rates.js';
import {defaultCompare} from '../core/judge/compare-settings.js';
import type {Comparison, CompareSettings} from '../core/judge/comparison.js';
import {comparisonJson} from '../core/judge/comparison-json.js';
import {formatComparisonWhy} from '../core/judge/format-comparison.js';
import {sanitize} from '../core/sanitize.js';
import {decodeHistogram, histogramBuckets} from '../../probes/histograms.js';

const usage = `Usage: golive compare BASELINE.json CANARY.json [options]

Judges CANARY against BASELINE from two saved 'golive probe --json' results: a
Mann-Whitney test on the latency histograms with the Hodges-Lehmann shift and its
95 % interval, a tail test (share above the pooled p99), and the error rates as two
proportions (Fisher's exact test for small counts).

Options:
  --alpha P            significance level (default ${defaultCompare.alpha})
  --min-effect-pct N   smallest relative effect that counts, % (default ${defaultCompare.minEffectPct})
  --min-effect-ms N    smallest latency shift that counts, ms (default ${defaultCompare.minEffectMs})
  --min-samples N      fewest requests per side (default ${defaultCompare.minSamples})
  --json               print one JSON object
  -h, --help           show this help

--json prints {"baseline", "canary", "latency", "errorRate", "exitCode"}; in "latency" and
"errorRate", v1 is the baseline and v2 the canary (shiftMs, shiftPct and their 95 % intervals,
pValue, method, verdict PASS | HIGH | LOW | NO_DATA).

Exit codes: 0 PASS or LOW, 1 HIGH (canary worse), 2 usage or unreadable file, 3 NO_DATA.
`;

/** A saved result larger than this is not a probe result. */
const maxFileBytes = 16 * 1024 * 1024;

type SavedProbe = {file: string; requests: number; errors: number; histogram: string; url: string | null};

async function readSaved(file: string, cwd: string): Promise<SavedProbe> {
	const shown = sanitize(file, 200);
	const full = path.resolve(cwd, file);
	let text: string;
	try {
		const info = await stat(full);
		if (info.size > maxFileBytes) throw new UsageError(`${shown}: ${info.size} bytes is not a probe result (limit ${maxFileBytes})`, 'compare');
		text = await readFile(full, 'utf8');
	} catch (error) {
		if (error instanceof UsageError) throw error;
		throw new UsageError(`${shown}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'compare');
	}
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		throw new UsageError(`${shown}: not JSON (save it with 'golive probe URL --json > ${shown}')`, 'compare');
	}
	const o = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
	const count = (field: string): number => {
		const v = o[field];
		if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
			throw new UsageError(`${shown}: /${field}: expected a count (a 'golive probe --json' result)`, 'compare');
		return v;
	};
	const requests = count('requests');
	const errors = count('errors');
	if (typeof o.histogram !== 'string' || o.histogram.length === 0)
		throw new UsageError(`${shown}: /histogram: missing (re-run 'golive probe --json': results before this field cannot be compared)`, 'compare');
	if (errors > requests) throw new UsageError(`${shown}: /errors: more errors (${errors}) than requests (${requests})`, 'compare');
	return {file: shown, requests, errors, histogram: o.histogram, url: typeof o.url === 'string' ? sanitize(o.url, 200) : null};
}

function bucketsOf(saved: SavedProbe) {
	try {
		return histogramBuckets(decodeHistogram(saved.histogram));
	} catch {
		throw new UsageError(`${saved.file}: /histogram: not an HdrHistogram compressed base64 encoding`, 'compare');
	}
}

function settingsFrom(values: Record<string, string | boolean | undefined>): {latency: CompareSettings; rates: CompareSettings} {
	const number = (flag: string, fallback: number, check: (n: number) => boolean, what: string): number => {
		const raw = values[flag];
		if (raw === undefined) return fallback;
		const n = Number(raw);
		if (typeof raw !== 'string' || raw.trim() === '' || !check(n)) throw new UsageError(`--${flag} must be ${what}, got ${JSON.stringify(raw)}`, 'compare');
		return n;
	};
	const alpha = number('alpha', defaultCompare.alpha, (n) => n > 0 && n <= 0.1, 'a probability in (0, 0.1]');
	const minEffectPct = number('min-effect-pct', defaultCompare.minEffectPct, (n) => n >= 0 && n <= 1000, 'between 0 and 1000');
	const minEffectMs = number('min-effect-ms', defaultCompare.minEffectMs, (n) => n >= 0 && n <= 600_000, 'between 0 and 600000');
	const minSamples = number('min-samples', defaultCompare.minSamples, (n) => Number.isInteger(n) && n >= 5 && n <= 1_000_000, 'an integer from 5 to 1000000');
	return {
		latency: {alpha, minEffectPct, minEffectAbs: minEffectMs, minSamples},
		rates: {alpha, minEffectPct, minEffectAbs: defaultCompare.minEffectRate, minSamples},
	};
}

/** HIGH anywhere → 1; otherwise NO_DATA anywhere → 3; else 0. */
function exitCodeOf(results: Comparison[]): number {
	if (results.some((c) => c.verdict === 'HIGH')) return 1;
	if (results.some((c) => c.verdict === 'NO_DATA')) return 3;
	return 0;
}

export const runCompareCommand = withUsageErrors('compare', async (args: string[], io: CommandIo): Promise<number> => {
	const {values, positionals} = parseCommandArgs(
		'compare',
		args,
		{
			alpha: {type: 'string'},
			'min-effect-pct': {type: 'string'},
			'min-effect-ms': {type: 'string'},
			'min-samples': {type: 'string'},
			json: {type: 'boolean', default: false},
			help: {type: 'boolean', short: 'h', default: false},
		},
		true,
	);
	if (values.help) {
		io.stdout.write(usage);
		return 0;
	}
	if (positionals.length !== 2) throw new UsageError(`two files expected (BASELINE.json CANARY.json), got ${positionals.length}`, 'compare');
	const settings = settingsFrom(values);
	const cwd = io.cwd ?? process.cwd();
	const baseline = await readSaved(positionals[0]!, cwd);
	const canary = await readSaved(positionals[1]!, cwd);
	const b1 = bucketsOf(baseline);
	const b2 = bucketsOf(canary);
	const p95 = (b: typeof b1): number => bucketPercentile(b, 95) / 1000;
	const latency = compareLatency({buckets: b1, valueMs: p95(b1)}, {buckets: b2, valueMs: p95(b2)}, settings.latency);
	const errorRate = compareRates(
		'errorRate',
		{events: baseline.errors, requests: baseline.requests},
		{events: canary.errors, requests: canary.requests},
		settings.rates,
	);
	const exitCode = exitCodeOf([latency, errorRate]);
	if (values.json) {
		const side = (s: SavedProbe) => ({file: s.file, url: s.url, requests: s.requests, errors: s.errors});
		io.stdout.write(
			`${JSON.stringify({baseline: side(baseline), canary: side(canary), latency: comparisonJson(latency), errorRate: comparisonJson(errorRate), exitCode})}\n`,
		);
	} else {
		const names = {v1: 'baseline', v2: 'canary'};
		io.stdout.write(`latency     ${latency.verdict.padEnd(8)} ${formatComparisonWhy('', 'p95', latency, undefined, names).replace('  ', ' ')}\n`);
		io.stdout.write(`error rate  ${errorRate.verdict.padEnd(8)} ${formatComparisonWhy('', 'errorRate', errorRate, undefined, names).replace('  ', ' ')}\n`);
	}
	return exitCode;
});
