/**
 * Synthetic monitors over the fleet (the TEEI run-of-show: checks from five locations,
 * alert on two consecutive failures, ≥ 90 % uptime), and when a fleet reading may be used.
 * Pure: the reader supplies the counts, these decide.
 */
import type {FleetCheck, FleetLocation, FleetSnapshot} from './fleet-types.js';
import {formatUptime} from './format.js';
import type {Plan, SyntheticFailuresTrigger} from './plan-types.js';

/** A check fails when at least half its requests failed (a one-request monitor: when it failed). */
const failedCheckErrorRate = 0.5;
/** The TEEI run-of-show's alert: this many failed checks in a row, an alert (`triggers.syntheticFailures` when the plan has none). */
const runOfShowSyntheticFailures: SyntheticFailuresTrigger = {consecutive: 2, action: 'alert'};

/** What failing synthetic monitors do under this plan. */
export function syntheticFailuresSetting(plan: Plan): SyntheticFailuresTrigger {
	return plan.triggers.syntheticFailures ?? runOfShowSyntheticFailures;
}
/** The TEEI run-of-show's success criterion: synthetic monitor uptime at least this. */
export const minUptime = 0.9;

function checkFailed(check: FleetCheck): boolean {
	return check.requests > 0 && check.errors / check.requests >= failedCheckErrorRate;
}

/** Uptime and failure streak over a location's checks (intervals without requests are not checks). */
export function summarizeChecks(checks: FleetCheck[]): Pick<FleetLocation, 'uptime' | 'checks' | 'failedChecks' | 'consecutiveFailures'> {
	const real = checks.filter((c) => c.requests > 0).sort((a, b) => a.startMs - b.startMs);
	const failed = real.filter(checkFailed).length;
	let streak = 0;
	for (let k = real.length - 1; k >= 0 && checkFailed(real[k]!); k--) streak++;
	return {
		uptime: real.length === 0 ? Number.NaN : (real.length - failed) / real.length,
		checks: real.length,
		failedChecks: failed,
		consecutiveFailures: streak,
	};
}

/** Why the fleet reading cannot be used, or undefined when it can. */
export function fleetUnusable(fleet: FleetSnapshot | null): string | undefined {
	if (!fleet) return 'no fleet reading yet';
	if (fleet.state.kind !== 'ok') return `fleet source ${fleet.state.kind}`;
	if (!(fleet.agents >= fleet.minAgents)) return `${fleet.agents} agent${fleet.agents === 1 ? '' : 's'} reporting, fewer than minAgents ${fleet.minAgents}`;
	return undefined;
}

export type MonitorAlert = {location: string; probe: string; consecutiveFailures: number};

/**
 * Locations whose newest checks failed `consecutive` times or more in a row. A reading that is
 * not `ok` names none: an unknown streak is neither an alert nor a rollback (the rules and the
 * fleet source's state show the outage).
 */
export function monitorAlerts(fleet: FleetSnapshot | null | undefined, consecutive: number): MonitorAlert[] {
	if (!fleet || fleet.state.kind !== 'ok') return [];
	return fleet.probes.flatMap((p) =>
		p.locations.filter((l) => l.consecutiveFailures >= consecutive).map((l) => ({location: l.name, probe: p.id, consecutiveFailures: l.consecutiveFailures})),
	);
}

/** The gate item "synthetic monitor uptime ≥ 90 % at every location": PASS, FAIL or NO_DATA with why. */
export function uptimeVerdict(fleet: FleetSnapshot | null): {status: 'PASS' | 'FAIL' | 'NO_DATA'; detail: string} {
	const why = fleetUnusable(fleet);
	if (why !== undefined || !fleet) return {status: 'NO_DATA', detail: why ?? 'no fleet reading'};
	const locations = fleet.probes.flatMap((p) => p.locations.map((l) => ({probe: p.id, ...l})));
	if (locations.length === 0 || locations.some((l) => !Number.isFinite(l.uptime))) return {status: 'NO_DATA', detail: 'a location has no check yet'};
	const low = locations.filter((l) => !(l.uptime >= minUptime));
	if (low.length > 0) return {status: 'FAIL', detail: low.map((l) => `${l.name}/${l.probe} ${formatUptime(l.uptime)}`).join(', ')};
	return {status: 'PASS', detail: `${locations.length} location×probe ≥ ${minUptime * 100} %`};
}

/** Publish intervals golive accepts: whole seconds dividing a minute, so CloudWatch periods line up. */
export function isValidPublishInterval(ms: number): boolean {
	return Number.isInteger(ms) && ms >= 1000 && ms <= 60_000 && ms % 1000 === 0 && 60_000 % ms === 0;
}
