/**
 * What the fleet reader hands the deciding side: the fleet's percentiles as CloudWatch
 * computed them over every agent's published distribution, the agents seen, and each
 * location's p95 and synthetic-monitor checks (the TEEI run-of-show's monitors: one check
 * is one location's publish interval). Plain data; NaN (never 0) when missing.
 */
import type {SourceState} from './measurements.js';

/** One location's view of one probe. */
export type FleetLocation = {
	name: string;
	/** Agents that completed the last interval at this location. */
	agents: number;
	/** p95 over the fleet window at this location, ms (NaN when none). */
	p95: number;
	/** Passed checks / checks over the watch, 0…1 (NaN when no check yet). */
	uptime: number;
	checks: number;
	failedChecks: number;
	/** Failed checks in a row up to the newest one. */
	consecutiveFailures: number;
};

export type FleetProbe = {
	id: string;
	p50: number;
	p95: number;
	p99: number;
	requests: number;
	errors: number;
	timeouts: number;
	/** Agents that completed the last interval (all locations). */
	agents: number;
	locations: FleetLocation[];
};

export type FleetSnapshot = {
	/** When the reading was taken, epoch ms. */
	at: number;
	state: SourceState;
	/** The percentile window CloudWatch computed over: [start, end), epoch ms. */
	windowStartMs: number;
	windowEndMs: number;
	intervalMs: number;
	/** Agents that completed the last complete interval. */
	agents: number;
	minAgents: number;
	probes: FleetProbe[];
	/** CloudWatch calls this reader made in the last hour (cost is visible). */
	callsLastHour: number;
};

/** One check: a location's interval, with its request and error counts. */
export type FleetCheck = {startMs: number; requests: number; errors: number};
