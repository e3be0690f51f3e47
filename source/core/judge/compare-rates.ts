/**
 * The rate judge: V2's error rate (or OCC conflicts per request) against V1's,
 * as two proportions (Fisher's exact test for small counts, else the pooled
 * z-test). The absolute effect is the rate difference; the relative one is that
 * difference over V1's rate (V1 at 0 % makes any V2 error an infinite relative
 * change, so only the absolute minimum can hold it back).
 */
import type {Comparison, CompareSettings} from './comparison.js';
import {intervalConfidence, noComparison, relativePct, verdictOf} from './comparison.js';
import {normalQuantile} from './normal.js';
import {compareProportions} from './proportions.js';

export type RateSide = {events: number; requests: number};

export function compareRates(metric: 'errorRate' | 'conflicts', v1: RateSide, v2: RateSide, settings: CompareSettings): Comparison {
	const r1 = v1.requests > 0 ? v1.events / v1.requests : Number.NaN;
	const r2 = v2.requests > 0 ? v2.events / v2.requests : Number.NaN;
	const shown = {v1: r1, v2: r2, v1Samples: v1.requests, v2Samples: v2.requests, deltaPct: relativePct(r1, r2)};
	if (!(v1.requests >= settings.minSamples && v2.requests >= settings.minSamples)) {
		return noComparison(metric, `too few samples (V1 ${v1.requests}, V2 ${v2.requests}; ${settings.minSamples} each needed)`, shown);
	}

	const test = compareProportions(v1.events, v1.requests, v2.events, v2.requests);
	// Wald interval of the difference: shown for scale, the verdict comes from the test.
	const half = normalQuantile(1 - (1 - intervalConfidence) / 2) * Math.sqrt((r1 * (1 - r1)) / v1.requests + (r2 * (1 - r2)) / v2.requests);
	const effectAbs = {estimate: test.difference, lower: test.difference - half, upper: test.difference + half};
	const relative = r1 > 0 ? relativePct(r1, r2) : test.difference > 0 ? Number.POSITIVE_INFINITY : test.difference < 0 ? Number.NEGATIVE_INFINITY : 0;
	const effectPct = {estimate: relative, lower: r1 > 0 ? (effectAbs.lower / r1) * 100 : Number.NaN, upper: r1 > 0 ? (effectAbs.upper / r1) * 100 : Number.NaN};
	const verdict = verdictOf(test.pValue, relative, test.difference, settings);
	const what = metric === 'errorRate' ? 'errors' : 'conflicts';
	const note =
		verdict === 'HIGH'
			? `V2 has more ${what}`
			: verdict === 'LOW'
				? `V2 has fewer ${what}`
				: test.pValue < settings.alpha
					? 'difference below the minimum effect'
					: 'no significant difference';
	return {...shown, metric, verdict, pValue: test.pValue, method: test.method, effectPct, effectAbs, note};
}
