/**
 * Argument parsing shared by every command: node:util `parseArgs` in strict
 * mode, and one way to say "bad usage" (exit 2 with a hint).
 */
import {parseArgs, type ParseArgsConfig} from 'node:util';

export type CommandIo = {
	stdout: NodeJS.WritableStream & {isTTY?: boolean};
	stderr: NodeJS.WritableStream;
	env: NodeJS.ProcessEnv;
	/** Relative paths resolve here. @default process.cwd() */
	cwd?: string;
};

export class UsageError extends Error {
	constructor(
		message: string,
		readonly command: string,
	) {
		super(message);
	}
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `--duration -1` reads as a flag followed by a negative number, not as a
 * missing value: joined into `--duration=-1`, the command's own bound check
 * answers it with golive's message instead of node:util's.
 */
export function joinNegativeValues(args: string[], options: Options): string[] {
	const takesValue = new Set(
		Object.entries(options)
			.filter(([, o]) => o.type === 'string')
			.map(([name]) => `--${name}`),
	);
	const out: string[] = [];
	for (let index = 0; index < args.length; index++) {
		const arg = args[index]!;
		const next = args[index + 1];
		if (takesValue.has(arg) && next !== undefined && /^-(\d|\.\d|Infinity)/.test(next)) {
			out.push(`${arg}=${next}`);
			index++;
		} else out.push(arg);
	}
	return out;
}

/** Parses `args` for `command`; unknown flags and bad values throw a UsageError naming the flag. */
export function parseCommandArgs<T extends Options>(command: string, args: string[], options: T, allowPositionals = false) {
	try {
		return parseArgs({args: joinNegativeValues(args, options), options, strict: true, allowPositionals});
	} catch (error) {
		const message = error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error);
		throw new UsageError(message, command);
	}
}

/** Prints a usage error the same way for every command; returns exit code 2. */
export function reportUsageError(error: UsageError, io: CommandIo): 2 {
	io.stderr.write(`golive ${error.command}: ${error.message}\nTry 'golive ${error.command} --help'.\n`);
	return 2;
}

export function parsePositiveNumber(value: string | undefined, flag: string, command: string): number | undefined {
	if (value === undefined) return undefined;
	const n = Number(value);
	if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, got ${JSON.stringify(value)}`, command);
	return n;
}

/**
 * Wraps a command so a UsageError anywhere in it prints the usage message and
 * returns 2: every command says "bad usage" the same way, in-process too.
 */
export function withUsageErrors<Io extends CommandIo>(
	command: string,
	run: (args: string[], io: Io) => Promise<number>,
): (args: string[], io: Io) => Promise<number> {
	return async (args, io) => {
		try {
			return await run(args, io);
		} catch (error) {
			if (error instanceof UsageError) return reportUsageError(error, io);
			throw error;
		}
	};
}
