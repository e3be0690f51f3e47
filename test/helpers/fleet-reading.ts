/**
 * A fleet reading for tests of the synthetic-monitor trigger: one probe (`board`), one agent per
 * location, each location with the given number of failed checks in a row (uptime 80 % when it
 * has failures, 100 % when not).
 */
import type {FleetLocation, FleetSnapshot} from '../../source/core/fleet-types.js';

export function fleetReading(at: number, failures: Record<string, number>, state: FleetSnapshot['state'] = {kind: 'ok'}): FleetSnapshot {
	const locations = Object.entries(failures).map(([name, consecutiveFailures]): FleetLocation => ({
		name,
		agents: 1,
		p95: 120,
		uptime: consecutiveFailures > 0 ? 0.8 : 1,
		checks: 10,
		failedChecks: consecutiveFailures,
		consecutiveFailures,
	}));
	const agents = locations.length;
	return {
		at,
		state,
		windowStartMs: at - 61_000,
		windowEndMs: at - 1000,
		intervalMs: 1000,
		agents,
		minAgents: 1,
		probes: [{id: 'board', p50: 100, p95: 300, p99: 500, requests: 900, errors: 9, timeouts: 0, agents, locations}],
		callsLastHour: 10,
	};
}
