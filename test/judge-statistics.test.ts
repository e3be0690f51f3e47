/**
 * The judge's statistics against independent values: published worked examples
 * (R's and scipy's documented outputs) and brute-force enumerations computed
 * here, sample by sample, with none of the judge's formulas.
 */
import {describe, expect, it} from 'vitest';
import {bucketsOf} from '../source/core/judge/buckets.js';
import {hodgesLehmann} from '../source/core/judge/hodges-lehmann.js';
import {mannWhitney} from '../source/core/judge/mann-whitney.js';
import {normalQuantile, normalUpperTail} from '../source/core/judge/normal.js';
import {compareProportions, fisherExact} from '../source/core/judge/proportions.js';

/** Deterministic pseudo-random integers (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d_2b_79_f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/** Mid-ranks of the pooled sample, computed by sorting (no tie-group arithmetic). */
function midRanks(pooled: number[]): number[] {
	const order = pooled.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
	const ranks = new Array<number>(pooled.length);
	for (let i = 0; i < order.length;) {
		let j = i;
		while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
		for (let k = i; k <= j; k++) ranks[order[k]![1]] = (i + j + 2) / 2;
		i = j + 1;
	}
	return ranks;
}

/** U of y against x by counting pairs directly. */
function pairCountU(x: number[], y: number[]): number {
	let u = 0;
	for (const a of x) for (const b of y) u += b > a ? 1 : b === a ? 0.5 : 0;
	return u;
}

/** Every way to pick which of the pooled samples are "y": the exact two-sided p (2 × smaller tail). */
function bruteForceExactP(x: number[], y: number[]): number {
	const pooled = [...x, ...y];
	const ranks = midRanks(pooled);
	const n = pooled.length;
	const observed = y.reduce((s, _, i) => s + ranks[x.length + i]!, 0);
	let total = 0;
	let below = 0;
	let above = 0;
	const eps = 1e-9;
	const walk = (start: number, left: number, sum: number): void => {
		if (left === 0) {
			total++;
			if (sum <= observed + eps) below++;
			if (sum >= observed - eps) above++;
			return;
		}
		for (let i = start; i <= n - left; i++) walk(i + 1, left - 1, sum + ranks[i]!);
	};
	walk(0, y.length, 0);
	return Math.min(1, (2 * Math.min(below, above)) / total);
}

/** All pairwise differences y − x, sorted. */
function sortedDifferences(x: number[], y: number[], f: (v: number) => number = (v) => v): number[] {
	const d: number[] = [];
	for (const a of x) for (const b of y) d.push(f(b) - f(a));
	return d.sort((p, q) => p - q);
}

describe('Mann-Whitney U: published worked examples', () => {
	it("R's wilcox.test help (Hollander & Wolfe): W = 35, one-sided p = 0.1272, exact", () => {
		const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46].map((v) => v * 100);
		const y = [1.15, 0.88, 0.9, 0.74, 1.21].map((v) => v * 100);
		// wilcox.test(x, y, alternative = "greater"): W is U of x over y, so x plays V2 here.
		const r = mannWhitney(bucketsOf(y), bucketsOf(x));
		expect(r.u).toBe(35);
		expect(r.method).toBe('exact');
		// Two-sided = 2 × the one-sided 0.1272 (the upper tail is the smaller one).
		expect(r.pValue / 2).toBeCloseTo(0.1272, 4);
	});

	it('Lodestar/scipy asymptotic example with a tie: p = 0.006392 with continuity correction', () => {
		const control = [7, 3, 6, 2, 8, 5];
		const treated = [9, 12, 8, 11, 15, 10];
		const r = mannWhitney(bucketsOf(control), bucketsOf(treated), {exactMaxN: 0});
		expect(r.method).toBe('normal');
		expect(r.pValue).toBeCloseTo(0.006392, 6);
	});

	it("R's wilcox.test with ties (endmemo example): W = 51.5, p = 0.5966; and W = 0, p = 0.001364", () => {
		const x = [1, 5, 9, 24, 56, 21, 3, 7, 21, 4];
		const y = [12, 15, 5, 9, 9, 14, 56, 22, 3, 7, 32, 5];
		const r = mannWhitney(bucketsOf(y), bucketsOf(x), {exactMaxN: 0});
		expect(r.u).toBe(51.5);
		expect(r.pValue).toBeCloseTo(0.5966, 4);
		const y2 = [1233, 4356, 987, 39_999, 1111, 200_000];
		const r2 = mannWhitney(bucketsOf(y2), bucketsOf(x), {exactMaxN: 0});
		expect(r2.u).toBe(0);
		expect(r2.pValue).toBeCloseTo(0.001364, 5);
	});
});

describe('Mann-Whitney U: exact distribution against brute-force enumeration', () => {
	const random = rng(16);
	const cases: Array<[number, number, number]> = [
		[3, 4, 1000],
		[5, 5, 1000],
		[6, 8, 1000],
		[4, 9, 6],
		[7, 7, 5],
		[8, 6, 3],
		[2, 12, 4],
	];
	for (const [n1, n2, spread] of cases) {
		it(`n1 = ${n1}, n2 = ${n2}, values 0…${spread - 1} (${spread < 10 ? 'many ties' : 'few ties'})`, () => {
			for (let trial = 0; trial < 8; trial++) {
				const shift = Math.floor(random() * 3);
				const x = Array.from({length: n1}, () => Math.floor(random() * spread));
				const y = Array.from({length: n2}, () => Math.floor(random() * spread) + shift);
				const r = mannWhitney(bucketsOf(x), bucketsOf(y));
				expect(r.method).toBe('exact');
				expect(r.u).toBe(pairCountU(x, y));
				expect(r.pValue).toBeCloseTo(bruteForceExactP(x, y), 10);
			}
		});
	}
});

describe('Mann-Whitney U: normal approximation against the permutation variance of the ranks', () => {
	it('tie-corrected variance and z equal the ones computed from the actual mid-ranks', () => {
		const random = rng(7);
		for (let trial = 0; trial < 20; trial++) {
			const x = Array.from({length: 40 + trial}, () => Math.floor(random() * 30));
			const y = Array.from({length: 30 + 2 * trial}, () => Math.floor(random() * 30) + (trial % 3));
			const r = mannWhitney(bucketsOf(x), bucketsOf(y), {exactMaxN: 0});
			const ranks = midRanks([...x, ...y]);
			const n = ranks.length;
			const meanRank = (n + 1) / 2;
			const s2 = ranks.reduce((s, v) => s + (v - meanRank) ** 2, 0) / (n - 1);
			// Var(U) = Var(rank sum of y) = n1·n2·s²/n for sampling without replacement.
			const variance = (x.length * y.length * s2) / n;
			expect(r.varianceU).toBeCloseTo(variance, 8);
			const u = pairCountU(x, y);
			const offset = u - (x.length * y.length) / 2;
			const z = Math.abs(offset) > 0.5 ? (offset - Math.sign(offset) * 0.5) / Math.sqrt(variance) : 0;
			expect(r.z).toBeCloseTo(z, 10);
			expect(r.pValue).toBeCloseTo(2 * normalUpperTail(Math.abs(z)), 10);
		}
	});

	it('normal tail and quantile agree with tabled values', () => {
		expect(normalUpperTail(1.959_963_985)).toBeCloseTo(0.025, 8);
		expect(normalUpperTail(3.090_232_306)).toBeCloseTo(0.001, 9);
		expect(normalQuantile(0.975)).toBeCloseTo(1.959_963_985, 7);
		expect(normalQuantile(0.0005)).toBeCloseTo(-3.290_526_731, 6);
	});
});

describe('Hodges-Lehmann shift and interval from bucket counts', () => {
	it('equals the median and order statistics of the explicitly listed pairwise differences', () => {
		const random = rng(99);
		for (let trial = 0; trial < 15; trial++) {
			const x = Array.from({length: 20 + trial * 3}, () => 1000 + Math.floor(random() * 400) * 10);
			const y = Array.from({length: 15 + trial * 2}, () => 1300 + Math.floor(random() * 400) * 10);
			const r = mannWhitney(bucketsOf(x), bucketsOf(y), {exactMaxN: 0});
			for (const scale of ['linear', 'log'] as const) {
				const f = scale === 'log' ? Math.log : (v: number) => v;
				const d = sortedDifferences(x, y, f);
				const m = d.length;
				const median = m % 2 === 1 ? d[(m - 1) / 2]! : (d[m / 2 - 1]! + d[m / 2]!) / 2;
				const k = Math.max(1, Math.floor(m / 2 - 1.959_963_985 * Math.sqrt(r.varianceU)));
				const hl = hodgesLehmann(bucketsOf(x), bucketsOf(y), {confidence: 0.95, varianceU: r.varianceU, scale});
				// The log scale is bisected to 1e-5 (a 0.001 % ratio); the linear one is exact on whole µs.
				const tol = scale === 'log' ? 2e-5 : 1e-6;
				expect(Math.abs(hl.estimate - median)).toBeLessThan(tol);
				expect(Math.abs(hl.lower - d[k - 1]!)).toBeLessThan(tol);
				expect(Math.abs(hl.upper - d[m - k]!)).toBeLessThan(tol);
			}
		}
	});

	it('a fixed 10 ms shift reads as 10 ms with an interval around it', () => {
		const x = Array.from({length: 200}, (_, i) => 50_000 + (i % 37) * 97);
		const y = x.map((v) => v + 10_000);
		const r = mannWhitney(bucketsOf(x), bucketsOf(y));
		const hl = hodgesLehmann(bucketsOf(x), bucketsOf(y), {confidence: 0.95, varianceU: r.varianceU, scale: 'linear'});
		expect(hl.estimate).toBeCloseTo(10_000, 3);
		expect(hl.lower).toBeLessThanOrEqual(10_000);
		expect(hl.upper).toBeGreaterThanOrEqual(10_000);
	});
});

/** Fisher's two-sided p by enumerating every way to place the events among the units. */
function bruteForceFisher(x1: number, n1: number, x2: number, n2: number): number {
	const n = n1 + n2;
	const events = x1 + x2;
	const tally = new Map<number, number>();
	let total = 0;
	const walk = (start: number, left: number, inFirst: number): void => {
		if (left === 0) {
			tally.set(inFirst, (tally.get(inFirst) ?? 0) + 1);
			total++;
			return;
		}
		for (let i = start; i <= n - left; i++) walk(i + 1, left - 1, inFirst + (i < n1 ? 1 : 0));
	};
	walk(0, events, 0);
	const observed = tally.get(x1)! / total;
	let p = 0;
	for (const count of tally.values()) if (count / total <= observed * (1 + 1e-7)) p += count / total;
	return p;
}

describe("Fisher's exact test", () => {
	it("R's fisher.test TeaTasting: p = 0.4857", () => {
		expect(fisherExact(3, 4, 1, 4)).toBeCloseTo(0.4857, 4);
	});

	it("R's fisher.test Convictions, one-sided 'less' p = 0.0004652: the hypergeometric lower tail", () => {
		// Dizygotic 2 of 17 convicted, monozygotic 10 of 13: P(a ≤ 2) with the margins fixed, in exact integers.
		const choose = (n: number, k: number): bigint => {
			let r = 1n;
			for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
			return r;
		};
		let ways = 0n;
		for (let a = 0; a <= 2; a++) ways += choose(17, a) * choose(13, 12 - a);
		expect(Number(ways) / Number(choose(30, 12))).toBeCloseTo(0.000_465_2, 7);
		expect(fisherExact(2, 17, 10, 13)).toBeLessThan(0.001);
	});

	it('equals brute-force enumeration of every table with the same margins', () => {
		const random = rng(5);
		for (let trial = 0; trial < 25; trial++) {
			const n1 = 2 + Math.floor(random() * 8);
			const n2 = 2 + Math.floor(random() * 8);
			const x1 = Math.floor(random() * (n1 + 1));
			const x2 = Math.floor(random() * (n2 + 1));
			expect(fisherExact(x1, n1, x2, n2)).toBeCloseTo(bruteForceFisher(x1, n1, x2, n2), 9);
		}
	});

	it('small counts go to Fisher, large ones to the pooled z-test', () => {
		expect(compareProportions(0, 400, 4, 60).method).toBe('fisher');
		const z = compareProportions(40, 1000, 80, 1000);
		expect(z.method).toBe('z');
		// Pooled p = 0.06, se = sqrt(0.06·0.94·0.002) = 0.010621; z = 0.04 / se = 3.766.
		expect(z.pValue).toBeCloseTo(2 * normalUpperTail(0.04 / Math.sqrt(0.06 * 0.94 * 0.002)), 12);
	});
});
