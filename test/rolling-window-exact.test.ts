/**
 * A rolling window records each sample once, into its current slot, and merges slots into the
 * window only when a slot closes or a reader asks. These tests hold that lazy merge to a
 * reference: one histogram fed every sample still inside the window, compared bucket for
 * bucket (same HDR configuration, so equal, not near), with counters and the exact max.
 */
import {describe, expect, it} from 'vitest';
import {RollingWindow, createHistogram, destroyHistogram, histogramBuckets, recordMicros, summarize, type Sample} from '../probes/histograms.js';
import {createRandom} from '../source/demo/seeded-random.js';

type Recorded = {micros: number; at: number; status: number};

/** What the window must hold at `now`: the samples whose slot is one of the last `slots` slots. */
function reference(recorded: readonly Recorded[], now: number, origin: number, slotMs: number, slots: number): Recorded[] {
	const current = Math.floor((now - origin) / slotMs);
	return recorded.filter((r) => Math.floor((r.at - origin) / slotMs) > current - slots);
}

function sample(r: Recorded): Sample {
	const error = r.status >= 500 ? 'http_5xx' : null;
	return {latencyMicros: r.micros, status: r.status, error, conflict: false, at: r.at};
}

describe('rolling window: one record per sample, merged lazily, exact', () => {
	it('equals a reference histogram of the in-window samples at every read, over gaps and wraps', () => {
		const rng = createRandom(18);
		const random = (): number => rng.next();
		const origin = 1_000_000;
		const slots = 10;
		const slotMs = 100;
		const w = new RollingWindow(slots * slotMs, slots, origin);
		const recorded: Recorded[] = [];
		let now = origin;
		try {
			for (let step = 0; step < 4000; step++) {
				// Mostly small steps, now and then a gap of several slots or longer than the window.
				const r = random();
				now += r < 0.01 ? 1500 : r < 0.05 ? 350 : Math.floor(random() * 7);
				const rec: Recorded = {micros: 1 + Math.floor(random() ** 3 * 5_000_000), at: now, status: random() < 0.05 ? 503 : 200};
				recorded.push(rec);
				w.record(sample(rec), now);
				if (step % 37 !== 0) continue;
				const inWindow = reference(recorded, now, origin, slotMs, slots);
				const view = w.view('p', '1m', now);
				expect(view.requests).toBe(inWindow.length);
				expect(view.errors).toBe(inWindow.filter((x) => x.status >= 500).length);
				const h = createHistogram();
				try {
					for (const x of inWindow) recordMicros(h, x.micros);
					expect(view.latencyMs).toEqual(summarize(h));
					// The max is the window's own, not one from a slot that has left it.
					expect(view.latencyMs.max).toBe(Math.max(...inWindow.map((x) => x.micros)) / 1000 || Number.NaN);
					expect(w.variantView(now, true).buckets).toEqual(histogramBuckets(h));
				} finally {
					destroyHistogram(h);
				}
				expect(view.lastSampleAt).toBe(inWindow.at(-1)?.at ?? null);
			}
		} finally {
			w.destroy();
		}
	});

	it('reading does not change what the window holds (the open slot is added and taken away again)', () => {
		const w = new RollingWindow(1000, 10, 0);
		try {
			w.record(sample({micros: 9000, at: 5, status: 200}), 5);
			w.record(sample({micros: 100, at: 150, status: 200}), 150);
			const first = w.view('p', '1m', 160);
			expect(w.view('p', '1m', 160)).toEqual(first);
			expect(first.requests).toBe(2);
			expect(first.latencyMs.max).toBe(9);
			// The 9 ms sample's slot leaves at 1000: the max is the remaining sample's.
			const later = w.view('p', '1m', 1050);
			expect(later.requests).toBe(1);
			expect(later.latencyMs.max).toBe(0.1);
		} finally {
			w.destroy();
		}
	});
});
