/**
 * What the judge says about V2 against V1 for one rule at one check. Plain
 * data: it rides on the rule's result into the snapshot, the stream and the report.
 */

/**
 * - `PASS`: no difference the plan cares about (not significant, or smaller than the minimum effect);
 * - `HIGH`: V2 worse (slower, more errors or conflicts), significant and at least the minimum effect;
 * - `LOW`: V2 better by the same standard (never a reason to stop);
 * - `NO_DATA`: too few samples on either side, or no variant data at all.
 */
export type Verdict = 'PASS' | 'HIGH' | 'LOW' | 'NO_DATA';

export type ComparedMetric = 'latency' | 'errorRate' | 'conflicts';

/** An estimate with its confidence interval; NaN when unknown. */
export type Interval = {estimate: number; lower: number; upper: number};

export type Comparison = {
	metric: ComparedMetric;
	/** This check's verdict alone; repeated looks (N consecutive HIGH) are counted by the canary reducer. */
	verdict: Verdict;
	/** The rule's statistic for each variant (ms, or a rate 0–1), NaN when unknown. */
	v1: number;
	v2: number;
	v1Samples: number;
	v2Samples: number;
	/** (v2 − v1) / v1 of the rule's statistic, %; NaN when v1 is 0 or unknown. */
	deltaPct: number;
	/** Two-sided p of the test that decided (the smaller of location and tail for latency); NaN when not run. */
	pValue: number;
	/** `mann-whitney-exact` | `mann-whitney-normal` (latency), `fisher` | `z` (rates); null when not run. */
	method: 'mann-whitney-exact' | 'mann-whitney-normal' | 'fisher' | 'z' | null;
	/** Relative effect with its 95 % interval, %: the Hodges-Lehmann ratio of V2 to V1 for latency, the relative rate change for rates. */
	effectPct: Interval;
	/** Absolute effect with its 95 % interval: the Hodges-Lehmann shift in ms for latency, the rate difference for rates. */
	effectAbs: Interval;
	/** Latency only: p99 of each variant (ms) and the test on the share of samples above the pooled p99. */
	tail?: {v1P99Ms: number; v2P99Ms: number; ratio: number; pValue: number; high: boolean};
	/** Why NO_DATA, or which finding decided. */
	note: string;
};

/** The judge's settings for one rule (plan `compare`), defaults filled. */
export type CompareSettings = {
	/** Smallest relative effect that can be HIGH or LOW, %. */
	minEffectPct: number;
	/** Smallest absolute effect: ms for latency, a rate difference (0.005 = 0.5 points) for rates. */
	minEffectAbs: number;
	/** Fewer samples than this on either variant is NO_DATA. */
	minSamples: number;
	/** Significance level of one check. */
	alpha: number;
};

/** Confidence of the shown intervals. */
export const intervalConfidence = 0.95;

export function noComparison(metric: ComparedMetric, note: string, partial: Partial<Comparison> = {}): Comparison {
	const unknown: Interval = {estimate: Number.NaN, lower: Number.NaN, upper: Number.NaN};
	return {
		metric,
		verdict: 'NO_DATA',
		v1: Number.NaN,
		v2: Number.NaN,
		v1Samples: 0,
		v2Samples: 0,
		deltaPct: Number.NaN,
		pValue: Number.NaN,
		method: null,
		effectPct: unknown,
		effectAbs: unknown,
		note,
		...partial,
	};
}

/** (b − a) / a in %, NaN when a is not a positive finite number. */
export function relativePct(a: number, b: number): number {
	return Number.isFinite(a) && Number.isFinite(b) && a > 0 ? ((b - a) / a) * 100 : Number.NaN;
}

/** HIGH, LOW or PASS from a p-value and an effect that must clear both minimums (NaN never clears). */
export function verdictOf(pValue: number, relative: number, absolute: number, settings: CompareSettings): Exclude<Verdict, 'NO_DATA'> {
	if (!(pValue < settings.alpha)) return 'PASS';
	if (relative >= settings.minEffectPct && absolute >= settings.minEffectAbs && absolute > 0) return 'HIGH';
	if (relative <= -settings.minEffectPct && absolute <= -settings.minEffectAbs && absolute < 0) return 'LOW';
	return 'PASS';
}
