/**
 * The fleet reading as JSON, one shape for `golive fleet --json` and the `--json` stream's
 * snapshots: numbers CloudWatch did not give are null (JSON has no NaN), never 0.
 */
import type {MonitorAlert} from './fleet-checks.js';
import type {FleetSnapshot} from './fleet-types.js';
import type {StreamEventOf} from './stream-event-types.js';

/** The stream schema's `fleet` on a snapshot. */
type FleetReadingJson = NonNullable<StreamEventOf<'snapshot'>['fleet']>;

function orNull(n: number): number | null {
	return Number.isFinite(n) ? n : null;
}

/** `alerts`: the locations failing the plan's `triggers.syntheticFailures.consecutive` checks in a row. */
export function fleetReadingJson(s: FleetSnapshot, alerts: MonitorAlert[]): FleetReadingJson {
	return {
		state: s.state,
		agents: s.agents,
		minAgents: s.minAgents,
		window: Number.isFinite(s.windowStartMs) ? {start: new Date(s.windowStartMs).toISOString(), end: new Date(s.windowEndMs).toISOString()} : null,
		intervalMs: s.intervalMs,
		callsLastHour: s.callsLastHour,
		probes: s.probes.map((p) => ({
			id: p.id,
			p50: orNull(p.p50),
			p95: orNull(p.p95),
			p99: orNull(p.p99),
			requests: p.requests,
			errors: p.errors,
			timeouts: p.timeouts,
			agents: p.agents,
			locations: p.locations.map((l) => ({
				name: l.name,
				p95: orNull(l.p95),
				uptime: orNull(l.uptime),
				agents: l.agents,
				checks: l.checks,
				failedChecks: l.failedChecks,
				consecutiveFailures: l.consecutiveFailures,
			})),
		})),
		alerts,
	};
}
