/**
 * Per-variant rolling windows for a probe with a `variantHeader`: V1, V2 and
 * unknown each keep their own 1 m / 5 m windows beside the aggregate, so the
 * judge can compare V2 with V1 from the same probes at the same moments.
 *
 * A variant's windows are created when it first answers (a launch that never
 * sees an unknown value never pays for one). Samples from the first
 * `warmupMs` after the probe starts are left out of every variant: they are V1's
 * cold start (new connections, cold caches), and counting them would make the
 * baseline look slower than it is and hide a slower V2.
 */
import type {VariantId, VariantWindow} from '../source/core/measurements.js';
import type {WindowName} from '../source/core/plan-types.js';
import {windowNames} from '../source/core/plan-types.js';
import type {Sample} from './histograms.js';
import {RollingWindow, variantSlots} from './histograms.js';

export type VariantWindowsOptions = {
	windowsMs: Record<WindowName, number>;
	/** Epoch ms when the probe starts (ring origin). */
	origin: number;
	/** Samples completing before `origin + warmupMs` are not recorded per variant. */
	warmupMs: number;
};

export class VariantWindows {
	private readonly byVariant = new Map<VariantId, Record<WindowName, RollingWindow>>();

	constructor(private readonly options: VariantWindowsOptions) {}

	record(variant: VariantId, sample: Sample, now: number): void {
		if (now < this.options.origin + this.options.warmupMs) return;
		let windows = this.byVariant.get(variant);
		if (!windows) {
			const {windowsMs, origin} = this.options;
			windows = {'1m': new RollingWindow(windowsMs['1m'], variantSlots, origin), '5m': new RollingWindow(windowsMs['5m'], variantSlots, origin)};
			this.byVariant.set(variant, windows);
		}
		for (const name of windowNames) windows[name].record(sample, now);
	}

	/** Each seen variant's share of `window`; V1 and V2 carry their latency buckets for the judge. */
	view(window: WindowName, now: number): Partial<Record<VariantId, VariantWindow>> | undefined {
		if (this.byVariant.size === 0) return undefined;
		const out: Partial<Record<VariantId, VariantWindow>> = {};
		for (const [variant, windows] of this.byVariant) out[variant] = windows[window].variantView(now, variant !== 'unknown');
		return out;
	}

	get memoryBytes(): number {
		let bytes = 0;
		for (const windows of this.byVariant.values()) for (const name of windowNames) bytes += windows[name].memoryBytes;
		return bytes;
	}

	destroy(): void {
		for (const windows of this.byVariant.values()) for (const name of windowNames) windows[name].destroy();
		this.byVariant.clear();
	}
}
