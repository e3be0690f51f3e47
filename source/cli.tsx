#!/usr/bin/env node
/**
 * golive's entry. It decides the mode once: `--json`, or stdout not a
 * terminal, runs headless and never loads Ink; otherwise the console mounts.
 * Commands are loaded lazily so `golive probe` does not pay for the TUI.
 */
import {readFileSync} from 'node:fs';
import {UsageError, reportUsageError, type CommandIo} from './cli-args.js';

// React's development build is several times slower to draw. Ink and React are
// only ever loaded by the dynamic imports below, so this is set before them.
process.env.NODE_ENV ??= 'production';

type Command = {
	summary: string;
	example: string;
	run: (args: string[], io: CommandIo) => Promise<number>;
};

const commands: Record<string, Command> = {
	demo: {
		summary: 'Run the embedded demo: a simulated StatusBoardV2 service, a CloudWatch-compatible endpoint and the console.',
		example: 'golive demo --scenario regression --json',
		run: async (args, io) => (await import('./commands/demo.js')).runDemoCommand(args, io),
	},
	run: {
		summary: 'Run a launch against a real service: gates A–G, canary, rollback triggers, journal, report.',
		example: 'golive run --plan golive.json --auto --sign-off qa_lead="Jane Smith"',
		run: async (args, io) => (await import('./commands/run.js')).runRunCommand(args, io),
	},
	probe: {
		summary: 'Probe one URL with HDR latency histograms (open model with --rate, closed loop with --connections).',
		example: 'golive probe https://example.com/api/health --rate 50 --duration 10',
		run: async (args, io) => (await import('./commands/probe.js')).runProbeCommand(args, io),
	},
	compare: {
		summary: 'Judge a canary against a baseline from two saved `golive probe --json` results (rank test, shift, tail, error rates).',
		example: 'golive compare before.json after.json --json',
		run: async (args, io) => (await import('./commands/compare.js')).runCompareCommand(args, io),
	},
	check: {
		summary: 'One-shot gate validation (Gate A staging, Gate B production prep); exit 0 pass, 1 fail, 3 no data.',
		example: 'golive check --gate B --plan golive.json --json',
		run: async (args, io) => (await import('./commands/check.js')).runCheckCommand(args, io),
	},
	report: {
		summary: "Print the launch summary (the StatusBoardV2 run sheet's Launch Summary Template) from a journal.",
		example: 'golive report --journal ~/.local/share/golive/statusboard-2026….jsonl --format md',
		run: async (args, io) => (await import('./commands/report.js')).runReportCommand(args, io),
	},
	agent: {
		summary: "Run the plan's probes from this host and publish them to CloudWatch for the fleet view; never touches the flag.",
		example: 'golive agent --plan golive.json --location eu-west-1 --json',
		run: async (args, io) => (await import('./commands/agent.js')).runAgentCommand(args, io),
	},
	fleet: {
		summary: 'One reading of the probe agents: fleet percentiles merged by CloudWatch, agents seen, per-location p95 and uptime.',
		example: 'golive fleet --plan golive.json --json',
		run: async (args, io) => (await import('./commands/fleet.js')).runFleetCommand(args, io),
	},
	status: {
		summary: 'Stage, flag and every rule of the launch: live from its owner, else from the newest journal.',
		example: 'golive status --plan golive.json --json',
		run: async (args, io) => (await import('./commands/control.js')).runControlCommand('status', args, io),
	},
	promote: {
		summary: 'Promote the canary to the next stage through the launch owner (refused while a soak is not done).',
		example: 'golive promote --to 50 --yes',
		run: async (args, io) => (await import('./commands/control.js')).runControlCommand('promote', args, io),
	},
	rollback: {
		summary: 'Emergency rollback (flag to 0 %, read back) through the owner; with no owner running, acts itself.',
		example: 'golive rollback --reason "board p95 over 2 s" --yes',
		run: async (args, io) => (await import('./commands/control.js')).runControlCommand('rollback', args, io),
	},
	pause: {
		summary: 'Pause auto-advance of the running launch (rollback triggers stay armed).',
		example: 'golive pause',
		run: async (args, io) => (await import('./commands/control.js')).runControlCommand('pause', args, io),
	},
	resume: {
		summary: 'Resume auto-advance of the running launch.',
		example: 'golive resume',
		run: async (args, io) => (await import('./commands/control.js')).runControlCommand('resume', args, io),
	},
	acknowledge: {
		summary: 'Acknowledge a flag change made outside golive: the running launch goes on from the value the flag reads now.',
		example: 'golive acknowledge --yes',
		run: async (args, io) => (await import('./commands/control.js')).runControlCommand('acknowledge', args, io),
	},
	'sign-off': {
		summary: 'Approve or reject a manual gate item of the running launch.',
		example: 'golive sign-off --gate A --item a_uat --role qa_lead --name "Jane Smith"',
		run: async (args, io) => (await import('./commands/control.js')).runControlCommand('sign-off', args, io),
	},
	note: {
		summary: 'Add an operator note to the running launch (journal and event log).',
		example: 'golive note "DB failover drill at 14:00"',
		run: async (args, io) => (await import('./commands/control.js')).runControlCommand('note', args, io),
	},
	init: {
		summary: 'Write a starter golive.json (presets: statusboard, commander, fleet-manager, teei).',
		example: 'golive init --preset statusboard',
		run: async (args, io) => (await import('./commands/init.js')).runInitCommand(args, io),
	},
	schema: {
		summary: 'Print the JSON Schema of the --json event stream.',
		example: 'golive schema > golive-events.schema.json',
		run: async (_args, io) => {
			const {streamSchema} = await import('./core/stream-schema.js');
			io.stdout.write(`${JSON.stringify(streamSchema, null, 2)}\n`);
			return 0;
		},
	},
};

function version(): string {
	const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string};
	return pkg.version;
}

function help(): string {
	const width = Math.max(...Object.keys(commands).map((c) => c.length));
	const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}\n  ${' '.repeat(width)}  e.g. ${c.example}`);
	return [
		'golive — run a production go-live from the terminal',
		'',
		'Usage: golive <command> [options]     (golive --plan FILE is short for golive run --plan FILE)',
		'',
		'Commands:',
		...lines,
		'',
		'Every command takes --help. Exit codes: 0 success, 1 gate failed / rolled back, 2 usage or config error,',
		'3 inconclusive (not enough data, data source down), 4 rollback failed (rollback_failed: the flag is not at 0 %,',
		'act by hand; the result names its last read value), 130 interrupted. After a rollback the --json result carries',
		'mitigation {flagPercent, verified, healthRestored}.',
		'',
	].join('\n');
}

export async function main(argv: string[], io: CommandIo): Promise<number> {
	const [first, ...rest] = argv;
	if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
		io.stdout.write(help());
		return first === undefined ? 2 : 0;
	}
	if (first === '--version' || first === '-v') {
		io.stdout.write(`${version()}\n`);
		return 0;
	}
	// `golive --plan FILE …` runs the console against a real service.
	const [name, args] = first.startsWith('-') ? ['run', argv] : [first, rest];
	const command = commands[name];
	// The screen is certain: start loading Ink now, alongside the command's own start-up.
	const onScreen = (name === 'demo' || name === 'run') && io.stdout.isTTY === true && !args.some((a) => a === '--json' || a === '--help' || a === '-h');
	// A failed import surfaces where the runner awaits the same promise.
	if (onScreen) void (await import('./console-loader.js')).loadConsole().catch(() => undefined);
	if (!command) {
		const known = Object.keys(commands);
		const close = known.find((k) => k.startsWith(name.slice(0, 2)));
		io.stderr.write(`golive: unknown command '${name}'.${close ? ` Did you mean '${close}'?` : ''}\nTry 'golive --help'.\n`);
		return 2;
	}
	try {
		return await command.run(args, io);
	} catch (error) {
		if (error instanceof UsageError) return reportUsageError(error, io);
		throw error;
	}
}

const io: CommandIo = {stdout: process.stdout, stderr: process.stderr, env: process.env};
main(process.argv.slice(2), io).then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		process.stderr.write(`golive: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exitCode = 1;
	},
);
