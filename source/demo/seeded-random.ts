/**
 * A small seedable PRNG for the simulated service. `Math.random` cannot be
 * seeded, and tests need the same traffic mix and latency draws on every run.
 */

export type Random = {
	/** Uniform in [0, 1). */
	next(): number;
	/** Integer in [min, max], both inclusive. */
	int(min: number, max: number): number;
	pick<T>(items: readonly T[]): T;
	/** Standard normal (mean 0, sd 1). */
	normal(): number;
	/** Log-normal with the given median and shape `sigma` (sd of the underlying normal). */
	logNormal(median: number, sigma: number): number;
	chance(probability: number): boolean;
};

/** splitmix32: spreads nearby seeds (1, 2, 3 …) into unrelated states. */
function mixSeed(seed: number): number {
	let z = (seed + 0x9e3779b9) | 0;
	z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
	z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
	return (z ^ (z >>> 16)) >>> 0;
}

/**
 * mulberry32: 32-bit state, good enough statistically for traffic simulation
 * and fast. Each purpose (variant choice, latency, faults, data) gets its own
 * stream via `stream` so that drawing one more latency does not shift which
 * requests go to V2.
 */
export function createRandom(seed: number, stream = 0): Random {
	let state = mixSeed(mixSeed(Math.trunc(seed)) ^ Math.imul(stream + 1, 0x27d4eb2f));
	const next = (): number => {
		state = (state + 0x6d2b79f5) | 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
	// Box–Muller without caching the second value: exactly two draws per call keeps streams aligned.
	const normal = (): number => {
		const u1 = 1 - next();
		const u2 = next();
		return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
	};
	return {
		next,
		int: (min, max) => min + Math.floor(next() * (max - min + 1)),
		pick<T>(items: readonly T[]): T {
			if (items.length === 0) throw new Error('pick from an empty list');
			return items[Math.floor(next() * items.length)] as T;
		},
		normal,
		logNormal: (median, sigma) => median * Math.exp(sigma * normal()),
		chance: (probability) => next() < probability,
	};
}
