/**
 * Two proportions (V1's and V2's error rates, or OCC conflicts per move): the
 * pooled two-proportion z-test, or Fisher's exact test when any expected cell
 * count is below 5 (Cochran's rule; errors are rare, so small counts are the
 * usual case for a young canary).
 */
import {logChoose, twoSidedP} from './normal.js';

export type ProportionTestResult = {
	/** Events and trials, V1 then V2. */
	x1: number;
	n1: number;
	x2: number;
	n2: number;
	/** x2/n2 − x1/n1. */
	difference: number;
	/** Two-sided. */
	pValue: number;
	method: 'fisher' | 'z';
};

/** Below this expected count in any cell of the 2×2 table, the z-test is not trusted. */
const minExpectedCount = 5;

/**
 * Fisher's exact test, two-sided: the sum of the hypergeometric probabilities of
 * every table with the same margins that is no more likely than the observed one
 * (with R's relative tolerance 1e-7 so equal probabilities compare equal).
 */
export function fisherExact(x1: number, n1: number, x2: number, n2: number): number {
	const events = x1 + x2;
	const total = n1 + n2;
	const lo = Math.max(0, events - n2);
	const hi = Math.min(events, n1);
	const logDenominator = logChoose(total, events);
	const logP = (a: number): number => logChoose(n1, a) + logChoose(n2, events - a) - logDenominator;
	const observed = logP(x1);
	let p = 0;
	for (let a = lo; a <= hi; a++) {
		const lp = logP(a);
		if (lp <= observed + Math.log1p(1e-7)) p += Math.exp(lp);
	}
	return Math.min(1, p);
}

/** The pooled two-proportion z statistic of V2 against V1 (positive when V2's rate is higher). */
function twoProportionZ(x1: number, n1: number, x2: number, n2: number): number {
	const pooled = (x1 + x2) / (n1 + n2);
	const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
	return se > 0 ? (x2 / n2 - x1 / n1) / se : 0;
}

/** Compares V2's rate (`x2` of `n2`) with V1's (`x1` of `n1`). NaN p-value when either has no trials. */
export function compareProportions(x1: number, n1: number, x2: number, n2: number): ProportionTestResult {
	const base = {x1, n1, x2, n2, difference: n1 > 0 && n2 > 0 ? x2 / n2 - x1 / n1 : Number.NaN};
	if (!(n1 > 0 && n2 > 0)) return {...base, pValue: Number.NaN, method: 'z'};
	const events = x1 + x2;
	const total = n1 + n2;
	const expected = [n1 * events, n2 * events, n1 * (total - events), n2 * (total - events)].map((v) => v / total);
	if (expected.some((e) => e < minExpectedCount)) return {...base, pValue: fisherExact(x1, n1, x2, n2), method: 'fisher'};
	return {...base, pValue: twoSidedP(twoProportionZ(x1, n1, x2, n2)), method: 'z'};
}
