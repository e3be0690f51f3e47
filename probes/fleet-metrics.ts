/**
 * The fleet's CloudWatch vocabulary, shared by the agent (writes) and the reader (reads).
 *
 * Per probe × variant × location an agent publishes, every interval, stamped with the
 * interval's start (intervals are aligned to the clock, so CloudWatch's periods line up):
 * `Latency` (Values/Counts, ms), `Requests`, `Errors`, `Timeouts` (Count). CloudWatch
 * merges percentiles only within one metric (one dimension set), so each datum also goes
 * to the rollups `Location=all` (the whole fleet) and `Variant=all` (every variant).
 * `Agents` (value 1, dimensions Service and Location) is the heartbeat: its SampleCount
 * over one interval is the number of agents that completed that interval.
 */

export const fleetMetricNames = {latency: 'Latency', requests: 'Requests', errors: 'Errors', timeouts: 'Timeouts', agents: 'Agents'} as const;
/** The rollup value of the Location and Variant dimensions. */
export const allValue = 'all';

export function probeDimensions(service: string, probe: string, variant: string, location: string): Record<string, string> {
	return {Service: service, Probe: probe, Variant: variant, Location: location};
}

export function agentDimensions(service: string, location: string): Record<string, string> {
	return {Service: service, Location: location};
}

/** Periods CloudWatch accepts for high-resolution data: 1, 5, 10, 30 s or a multiple of 60 s. */
function validPeriodAtLeast(seconds: number, multipleOf: number): number {
	for (const p of [1, 5, 10, 30]) if (p >= seconds && p % multipleOf === 0) return p;
	let p = 60 * Math.max(1, Math.ceil(seconds / 60));
	while (p % multipleOf !== 0) p += 60;
	return p;
}

/** The percentile window's period, s: at least `windowMs` and whole publish intervals. */
export function fleetWindowPeriodSec(windowMs: number, intervalMs: number): number {
	return validPeriodAtLeast(Math.max(1, Math.ceil(windowMs / 1000)), Math.max(1, Math.round(intervalMs / 1000)));
}

/** A location name as a dimension value: 1–64 printable characters, not the rollup value. */
export function locationProblem(name: string): string | undefined {
	if (name === allValue) return `"${allValue}" is reserved for the fleet-wide rollup`;
	if (!/^[A-Za-z0-9][A-Za-z0-9 _.:/-]{0,63}$/.test(name)) return 'must be 1–64 letters, digits, space or _ . : / - (starting with a letter or digit)';
	return undefined;
}
