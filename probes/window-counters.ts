/**
 * The counters a window keeps beside its histogram (requests, errors, conflicts, per status and
 * per error kind, the newest sample's time): counted per sample into a slot, and added to or
 * taken from a window's sum as whole slots close and leave it.
 */
import type {ErrorKind} from '../source/core/measurements.js';
import type {Sample} from './histograms.js';

/** Counters kept beside a histogram: they rotate with it. */
export type Counters = {
	requests: number;
	errors: number;
	conflicts: number;
	statusCounts: Map<number, number>;
	errorCounts: Map<ErrorKind, number>;
	lastSampleAt: number | null;
};

export function emptyCounters(): Counters {
	return {requests: 0, errors: 0, conflicts: 0, statusCounts: new Map(), errorCounts: new Map(), lastSampleAt: null};
}

export function countInto(c: Counters, s: Sample): void {
	c.requests++;
	if (s.error) {
		c.errors++;
		c.errorCounts.set(s.error, (c.errorCounts.get(s.error) ?? 0) + 1);
	}
	if (s.conflict) c.conflicts++;
	if (s.status > 0) c.statusCounts.set(s.status, (c.statusCounts.get(s.status) ?? 0) + 1);
	c.lastSampleAt = c.lastSampleAt === null || s.at > c.lastSampleAt ? s.at : c.lastSampleAt;
}

export function subtractCounters(from: Counters, c: Counters): void {
	from.requests -= c.requests;
	from.errors -= c.errors;
	from.conflicts -= c.conflicts;
	for (const [k, v] of c.statusCounts) {
		const left = (from.statusCounts.get(k) ?? 0) - v;
		if (left > 0) from.statusCounts.set(k, left);
		else from.statusCounts.delete(k);
	}
	for (const [k, v] of c.errorCounts) {
		const left = (from.errorCounts.get(k) ?? 0) - v;
		if (left > 0) from.errorCounts.set(k, left);
		else from.errorCounts.delete(k);
	}
}

export function addCounters(into: Counters, c: Counters): void {
	into.requests += c.requests;
	into.errors += c.errors;
	into.conflicts += c.conflicts;
	for (const [k, v] of c.statusCounts) into.statusCounts.set(k, (into.statusCounts.get(k) ?? 0) + v);
	for (const [k, v] of c.errorCounts) into.errorCounts.set(k, (into.errorCounts.get(k) ?? 0) + v);
}
