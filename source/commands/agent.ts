/**
 * `golive agent --plan FILE --location NAME [--json]`: the plan's probes, headless, from
 * this host, published to CloudWatch every `fleet.publishIntervalMs` so one console can
 * merge the fleet's percentiles. It never touches the feature flag.
 */
import {allValue, fleetMetricNames, locationProblem} from '../../probes/fleet-metrics.js';
import type {AgentPublication} from '../../probes/fleet-agent.js';
import {createFleetAgent} from '../../probes/fleet-agent.js';
import {createFleetPublisher, putLimits} from '../../probes/fleet-publisher.js';
import {sanitize} from '../core/sanitize.js';
import {parseCommandArgs, parsePositiveNumber, UsageError, withUsageErrors, type CommandIo} from '../cli-args.js';
import {loadFleetSetup} from './fleet-plan.js';
import {formatRuleValue, formatWallClock} from '../core/format.js';

export type AgentIo = CommandIo & {
	/** Stops the agent like SIGINT (tests). */
	signal?: AbortSignal;
};

const usage = `Usage: golive agent --plan FILE --location NAME [--json] [--duration S]

Runs the plan's probes from this host and publishes, every fleet.publishIntervalMs, each
probe's latency distribution (at most 150 value/count pairs) and its request, error and
timeout counts to CloudWatch (namespace fleet.namespace, dimensions Service, Probe, Variant,
Location, 1-second resolution). It never reads or writes the feature flag.
  --plan FILE       launch plan with a "fleet" section (default golive.json)
  --location NAME   where this agent runs, e.g. eu-west-1 or office-berlin
  --duration S      stop after S seconds (default: until Ctrl-C / SIGTERM)
  --json            one JSON object per line: what was published, interval by interval
Exit codes: 0 stopped, 2 usage or plan error, 3 the last publish failed (CloudWatch unreachable, credentials…).
`;

function humanLine(p: AgentPublication): string {
	const time = formatWallClock(p.intervalEndMs);
	const cells = p.cells
		.filter((c) => c.variant === allValue)
		.map(
			(c) =>
				`${c.probe} ${c.requests} req ${c.errors} err${c.p95Ms === null ? '' : ` p95 ${formatRuleValue(c.p95Ms, 'ms')}`}${c.foldErrorPct === null ? '' : ` (fold ≤ ${c.foldErrorPct.toFixed(1)} %)`}`,
		)
		.join(' · ');
	const o = p.outcome;
	const state =
		o.state.kind === 'ok'
			? 'published'
			: `NOT published (${o.state.kind === 'error' ? `${o.state.code}: ${o.state.message}` : o.state.kind === 'degraded' ? o.state.why : o.state.kind})`;
	return `${time} ${state}: ${o.accepted}/${p.data} data in ${o.calls} call${o.calls === 1 ? '' : 's'}${o.retries > 0 ? ` (${o.retries} retries)` : ''} · ${cells} · ${p.callsLastHour} calls in the last hour\n`;
}

export const runAgentCommand = withUsageErrors('agent', async (args: string[], io: AgentIo): Promise<number> => {
	const {values} = parseCommandArgs('agent', args, {
		plan: {type: 'string'},
		location: {type: 'string'},
		duration: {type: 'string'},
		json: {type: 'boolean'},
		help: {type: 'boolean', short: 'h'},
	});
	if (values.help) {
		io.stdout.write(usage);
		return 0;
	}
	if (values.location === undefined) throw new UsageError('--location NAME is required (where this agent runs)', 'agent');
	const problem = locationProblem(values.location);
	if (problem) throw new UsageError(`--location ${problem}, got ${JSON.stringify(sanitize(values.location, 80))}`, 'agent');
	const durationS = parsePositiveNumber(values.duration, '--duration', 'agent');
	if (durationS !== undefined && durationS > 86_400) throw new UsageError('--duration must be at most 86400 seconds', 'agent');
	const setup = loadFleetSetup(values.plan, io, 'agent');
	if (!setup) return 2;
	const {plan, fleet} = setup;
	const json = values.json ?? false;
	const emit = (record: Record<string, unknown>): void => {
		io.stdout.write(`${JSON.stringify({...record, ts: new Date().toISOString()})}\n`);
	};

	const publisher = createFleetPublisher({namespace: fleet.namespace, region: setup.region, endpoint: setup.endpoint, env: io.env, now: Date.now});
	// Per interval: 4 metrics × (probe × 'all' variant) × {location, all} + 2 heartbeats; variants add more.
	const dataPerInterval = plan.probes.length * 4 * 2 + 2;
	const callsPerHour = Math.ceil(dataPerInterval / putLimits.maxData) * (3_600_000 / fleet.publishIntervalMs);
	let last: AgentPublication | undefined;
	let published = 0;
	const agent = createFleetAgent({
		service: plan.service,
		location: values.location,
		baseUrl: setup.baseUrl,
		probes: plan.probes,
		intervalMs: fleet.publishIntervalMs,
		publisher,
		env: io.env,
		onPublication: (p) => {
			last = p;
			if (p.outcome.state.kind === 'ok') published++;
			if (json) emit({type: 'published', ...p});
			else io.stdout.write(humanLine(p));
		},
	});
	const start = {
		location: values.location,
		namespace: fleet.namespace,
		intervalMs: fleet.publishIntervalMs,
		probes: plan.probes.map((p) => p.id),
		metrics: Object.values(fleetMetricNames),
		dataPerInterval,
		expectedCallsPerHour: callsPerHour,
	};
	if (json) emit({type: 'agent-start', ...start});
	else
		io.stderr.write(
			`golive agent: ${plan.probes.length} probes from ${values.location} → ${fleet.namespace} every ${fleet.publishIntervalMs / 1000} s (${dataPerInterval} data, ≈ ${callsPerHour} PutMetricData calls/hour); Ctrl-C stops\n`,
		);

	let wake: () => void = () => undefined;
	const stop = (): void => wake();
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	try {
		await new Promise<void>((resolve) => {
			wake = resolve;
			io.signal?.addEventListener('abort', stop, {once: true});
			if (durationS !== undefined) setTimeout(stop, durationS * 1000).unref();
			agent.start();
		});
	} finally {
		process.off('SIGINT', stop);
		process.off('SIGTERM', stop);
	}
	await agent.stop();
	publisher.close();
	const ok = last === undefined || last.outcome.state.kind === 'ok';
	if (json) emit({type: 'agent-stop', published, lastOk: ok, callsLastHour: publisher.callsLastHour()});
	return ok ? 0 : 3;
});
