/**
 * `golive fleet --plan FILE [--json]`: one reading of the fleet — what every agent
 * published, merged by CloudWatch (percentiles over all agents' distributions), the agents
 * seen, and each location's p95 and synthetic-monitor uptime.
 */
import {createFleetReader} from '../../probes/fleet-reader.js';
import {fleetUnusable, monitorAlerts, syntheticFailuresSetting} from '../core/fleet-checks.js';
import {fleetReadingJson} from '../core/fleet-json.js';
import type {FleetSnapshot} from '../core/fleet-types.js';
import {sourceNotOkWhy} from '../core/measurements.js';
import {parseCommandArgs, parsePositiveNumber, UsageError, withUsageErrors, type CommandIo} from '../cli-args.js';
import {loadFleetSetup} from './fleet-plan.js';
import {formatRuleValue, formatUptime, formatWallClock} from '../core/format.js';

const usage = `Usage: golive fleet --plan FILE [--json] [--window S]

Reads what the plan's probe agents (golive agent) published to CloudWatch: per probe the
fleet's p50/p95/p99 (computed by CloudWatch over every agent's distribution), requests,
errors, the agents that completed the last interval, and per location the p95 and the
synthetic-monitor uptime (one check = one location's publish interval).
  --plan FILE   launch plan with a "fleet" section (default golive.json)
  --window S    percentile window in seconds (default: the plan's 1m window)
  --json        one JSON object
Exit codes: 0 a usable reading, 2 usage or plan error, 3 no usable reading (CloudWatch down, fewer agents than fleet.minAgents).
`;

/** The reading as `--json` prints it. */
export function fleetJson(s: FleetSnapshot, alertAfter: number): {type: 'fleet'; ts: string} & ReturnType<typeof fleetReadingJson> {
	return {type: 'fleet', ts: new Date(s.at).toISOString(), ...fleetReadingJson(s, monitorAlerts(s, alertAfter))};
}

function ms(n: number): string {
	return formatRuleValue(n, 'ms');
}

function table(s: FleetSnapshot): string {
	const lines = [
		`fleet: ${s.agents} agent${s.agents === 1 ? '' : 's'} (min ${s.minAgents}) · window ${formatWallClock(s.windowStartMs)}–${formatWallClock(s.windowEndMs)} · ${s.callsLastHour} CloudWatch calls in the last hour`,
	];
	for (const p of s.probes) {
		lines.push(`  ${p.id}: p50 ${ms(p.p50)}  p95 ${ms(p.p95)}  p99 ${ms(p.p99)}  ${p.requests} req  ${p.errors} err`);
		for (const l of p.locations) {
			const uptime = formatUptime(l.uptime);
			lines.push(
				`    ${l.name.padEnd(16)} p95 ${ms(l.p95).padStart(10)}  uptime ${uptime} (${l.checks} checks, ${l.consecutiveFailures} failing in a row)  ${l.agents} agent${l.agents === 1 ? '' : 's'}`,
			);
		}
	}
	return `${lines.join('\n')}\n`;
}

export const runFleetCommand = withUsageErrors('fleet', async (args: string[], io: CommandIo): Promise<number> => {
	const {values} = parseCommandArgs('fleet', args, {
		plan: {type: 'string'},
		window: {type: 'string'},
		json: {type: 'boolean'},
		help: {type: 'boolean', short: 'h'},
	});
	if (values.help) {
		io.stdout.write(usage);
		return 0;
	}
	const windowS = parsePositiveNumber(values.window, '--window', 'fleet');
	if (windowS !== undefined && windowS > 3 * 3600)
		throw new UsageError('--window must be at most 10800 seconds (CloudWatch keeps 1-second data 3 hours)', 'fleet');
	const setup = loadFleetSetup(values.plan, io, 'fleet');
	if (!setup) return 2;
	const {plan, fleet} = setup;
	const now = Date.now;
	const reader = createFleetReader({
		service: plan.service,
		namespace: fleet.namespace,
		probeIds: plan.probes.map((p) => p.id),
		intervalMs: fleet.publishIntervalMs,
		minAgents: fleet.minAgents,
		windowMs: windowS !== undefined ? windowS * 1000 : (plan.windowsMs?.['1m'] ?? 60_000),
		watchStartMs: now() - 3_600_000,
		region: setup.region,
		endpoint: setup.endpoint,
		env: io.env,
		now,
	});
	const reading = await reader.read();
	reader.close();
	if (values.json) io.stdout.write(`${JSON.stringify(fleetJson(reading, syntheticFailuresSetting(plan).consecutive))}\n`);
	else io.stdout.write(table(reading));
	const why = fleetUnusable(reading);
	if (why !== undefined) io.stderr.write(`golive fleet: no usable reading: ${reading.state.kind === 'ok' ? why : sourceNotOkWhy(reading.state)}\n`);
	return why === undefined ? 0 : 3;
});
