/**
 * Confirming a rollback by the probes: after the flag write, `evidence`
 * responses in a row must come back, none from the canary variant. Requests
 * sent before the write may still be answered by the canary; each one seen
 * restarts the count, so a slow canary cannot be mistaken for a clean one.
 */
import type {ProbeSnapshot} from '../core/measurements.js';

/** @default 20 */
export const defaultMitigationEvidence = 20;

export type MitigationTracker = {
	/** Call when the rollback write has been read back. */
	armed(probes: ProbeSnapshot[]): void;
	/** Responses in a row without the canary since the last canary response, or null when not yet enough. */
	confirm(probes: ProbeSnapshot[]): number | null;
};

export function totalRequests(probes: ProbeSnapshot[]): number {
	return probes.reduce((sum, p) => sum + p.totalRequests, 0);
}

function variantCount(probes: ProbeSnapshot[], variant: string): number {
	return probes.reduce((sum, p) => sum + (p.variants[variant]?.count ?? 0), 0);
}

export function createMitigationTracker(variant: string, evidence: number = defaultMitigationEvidence): MitigationTracker {
	let canarySeen = 0;
	let requestsAtLastCanary = 0;
	return {
		armed(probes) {
			canarySeen = variantCount(probes, variant);
			requestsAtLastCanary = totalRequests(probes);
		},
		confirm(probes) {
			const seen = variantCount(probes, variant);
			const total = totalRequests(probes);
			if (seen !== canarySeen) {
				canarySeen = seen;
				requestsAtLastCanary = total;
				return null;
			}
			const clean = total - requestsAtLastCanary;
			return clean >= evidence ? clean : null;
		},
	};
}
