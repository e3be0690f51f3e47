/**
 * `golive demo`: the embedded simulated StatusBoardV2 service and a
 * CloudWatch-compatible endpoint on loopback, and the console pointed at them
 * with a time-compressed plan. Nothing to configure, no AWS account.
 */
import {mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {parseCommandArgs, UsageError, withUsageErrors, type CommandIo} from '../cli-args.js';
import {startDemoBackend} from '../demo/backend.js';
import {fleetScenarioDescription, startFleetDemo, withFleet} from '../demo/fleet-demo.js';
import {demoScenarios, isDemoScenario, scenarioDescriptions} from '../demo/scenarios.js';
import {demoSignOffs} from '../plan/demo-sign-offs.js';

const usage = `Usage: golive demo [--scenario ${demoScenarios.join('|')}|fleet] [--json] [--manual] [--events FILE]
       golive demo --serve [--scenario S] [--plan-out FILE]

Starts a simulated StatusBoardV2 service and a CloudWatch-compatible endpoint on
127.0.0.1, then runs the launch console against them with stages of 9 s and a 12 s Gate G.

Scenarios:
${demoScenarios.map((s) => `  ${s.padEnd(11)} ${scenarioDescriptions[s]}`).join('\n')}
  ${'fleet'.padEnd(11)} ${fleetScenarioDescription}

Options:
  --scenario S   which service behaviour to simulate (default: healthy)
  --json         NDJSON events on stdout instead of the screen (also when stdout is not a terminal)
  --manual       do not auto-advance: promote with 'p' (the screen) — triggers still roll back
  --journal-dir  where the journal and report go (default: a new temporary directory)
  --serve        only the simulated service and the CloudWatch-compatible endpoint, no console:
                 prints {"serviceUrl","cloudwatchUrl","planFile"} as one JSON line once both
                 listen, then serves until SIGINT/SIGTERM. planFile is the demo plan against
                 them (sign Gate A's UAT item with --sign-off; no AWS credentials needed)
  --plan-out F   with --serve: write the plan to F (default: a new temporary directory,
                 with the journals beside it)
  --events FILE  with the screen: also write the --json event stream to FILE

Examples:
  golive demo
  golive demo --scenario regression --json | jq -c 'select(.type=="decision")'
  golive demo --serve --scenario regression --plan-out demo.json &
  golive run --plan demo.json --auto --json --sign-off qa_lead="Jane Smith" --sign-off product_owner="Sam Lee"
`;

export const runDemoCommand = withUsageErrors('demo', async (args: string[], io: CommandIo): Promise<number> => {
	const {values} = parseCommandArgs('demo', args, {
		scenario: {type: 'string', default: 'healthy'},
		json: {type: 'boolean', default: false},
		manual: {type: 'boolean', default: false},
		'journal-dir': {type: 'string'},
		serve: {type: 'boolean', default: false},
		'plan-out': {type: 'string'},
		events: {type: 'string'},
		help: {type: 'boolean', short: 'h', default: false},
	});
	if (values.help) {
		io.stdout.write(usage);
		return 0;
	}
	// The fleet scenario is the healthy service seen by three probe agents in three locations.
	const fleet = values.scenario === 'fleet';
	const scenario = fleet ? 'healthy' : values.scenario;
	if (!isDemoScenario(scenario)) throw new UsageError(`--scenario must be one of ${demoScenarios.join(', ')}; got ${JSON.stringify(scenario)}`, 'demo');
	if (values.serve) {
		if (values.json || values.manual || values['journal-dir'] !== undefined)
			throw new UsageError('--serve runs no console: --json, --manual and --journal-dir do not apply', 'demo');
		return (await import('./demo-serve.js')).serveDemo({scenario, planOut: values['plan-out'], io});
	}
	if (values['plan-out'] !== undefined) throw new UsageError('--plan-out goes with --serve', 'demo');
	const json = values.json || !io.stdout.isTTY;

	// The backend's thread starts before the launch modules load, so its servers and plan are ready beside them.
	// A background 5xx rate low enough that a healthy 8 s window (~160 board requests) never crosses the 1 % abort by chance.
	const starting = startDemoBackend({scenario, faultRate: 0.0002, judge: scenario === 'subtle'});
	const launchRunner = import('../launch-runner.js');
	// Awaited below; marked handled so a failed import while the backend starts is not an unhandled rejection.
	launchRunner.catch(() => undefined);
	const backend = await starting;
	let agents: {stop(): Promise<void>} | null = null;
	const cleanup = async (): Promise<void> => {
		await agents?.stop();
		await backend.close();
	};
	try {
		const journalDir = values['journal-dir'] ?? (await mkdtemp(path.join(tmpdir(), 'golive-demo-')));
		const base = {...backend.plan, journalDir};
		const plan = fleet ? withFleet(base) : base;
		// The demo endpoint takes any static credentials; nothing here reaches AWS.
		const env: NodeJS.ProcessEnv = {
			...io.env,
			AWS_ACCESS_KEY_ID: 'demo',
			AWS_SECRET_ACCESS_KEY: 'demo',
			AWS_REGION: 'us-east-1',
			AWS_EC2_METADATA_DISABLED: 'true',
		};
		delete env.AWS_PROFILE;
		delete env.AWS_SESSION_TOKEN;
		if (fleet) agents = await startFleetDemo(plan, env);
		const {runLaunch} = await launchRunner;
		return await runLaunch({
			plan,
			command: 'demo',
			scenario: fleet ? 'fleet' : scenario,
			json,
			auto: !values.manual,
			signOffs: [...demoSignOffs],
			io: {...io, env},
			preLaunchTimeoutMs: 30_000,
			cleanup,
			...(values.events ? {eventsFile: path.resolve(values.events)} : {}),
			initialLog: [`Demo (${fleet ? 'fleet' : scenario}): simulated service ${backend.serviceUrl}, CloudWatch endpoint ${backend.cloudwatchUrl}`],
		});
	} catch (error) {
		await cleanup();
		throw error;
	}
});
