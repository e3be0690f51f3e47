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
	check: {
		summary: 'One-shot gate validation (Gate A staging, Gate B production prep); exit 0 pass, 1 fail, 3 no data.',
		example: 'golive check --gate B --plan golive.json --json',
		run: async (args, io) => (await import('./commands/check.js')).runCheckCommand(args, io),
	},
	report: {
		summary: "Print the launch summary (the seeds' Launch Summary Template) from a journal.",
		example: 'golive report --journal ~/.local/share/golive/statusboard-2026….jsonl --format md',
		run: async (args, io) => (await import('./commands/report.js')).runReportCommand(args, io),
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
		'3 inconclusive (not enough data, data source down), 130 interrupted.',
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
