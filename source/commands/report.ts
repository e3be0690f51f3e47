/**
 * `golive report --journal FILE [--format md|json]`: the launch summary from a
 * journal. Exit 0 with a report (a torn journal still reports, with a note),
 * 2 on usage errors or a file that is missing or not a golive journal.
 */
import path from 'node:path';
import {sanitize} from '../core/sanitize.js';
import {readJournal} from '../journal/journal.js';
import {buildLaunchReport} from '../report/launch-report.js';
import {renderMarkdown} from '../report/markdown.js';

export type ReportIo = {
	stdout: {write(text: string): unknown};
	stderr: {write(text: string): unknown};
};

export const reportUsage = 'Usage: golive report --journal FILE [--format md|json]\n';

type Parsed = {ok: true; journal: string; format: 'md' | 'json'} | {ok: false; error: string} | {ok: 'help'};

function parseArgs(args: readonly string[]): Parsed {
	let journal: string | undefined;
	let format: 'md' | 'json' = 'md';
	for (let i = 0; i < args.length; i += 1) {
		const arg = args[i]!;
		const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
		const value = (): string | undefined => inline ?? args[++i];
		switch (name) {
			case '--journal':
				journal = value();
				if (journal === undefined || journal === '') {
					return {ok: false, error: '--journal needs a file'};
				}
				break;
			case '--format': {
				const f = value();
				if (f !== 'md' && f !== 'json') {
					return {ok: false, error: `--format must be md or json, not ${sanitize(f ?? 'nothing', 40)}`};
				}
				format = f;
				break;
			}
			case '--help':
			case '-h':
				return {ok: 'help'};
			default:
				return {ok: false, error: `unknown argument ${sanitize(arg, 80)}`};
		}
	}
	if (journal === undefined) {
		return {ok: false, error: '--journal FILE is required'};
	}
	return {ok: true, journal, format};
}

/** Runs the report command; resolves to the exit code. */
export async function runReportCommand(args: readonly string[], io: ReportIo): Promise<number> {
	const parsed = parseArgs(args);
	if (parsed.ok === 'help') {
		io.stdout.write(reportUsage);
		return 0;
	}
	if (!parsed.ok) {
		io.stderr.write(`golive report: ${parsed.error}\n${reportUsage}`);
		return 2;
	}
	const file = path.resolve(parsed.journal);
	let read;
	try {
		read = await readJournal(file);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const why =
			code === 'ENOENT'
				? 'no such file'
				: code === 'EISDIR'
					? 'is a directory'
					: code === 'EACCES'
						? 'permission denied'
						: sanitize(error instanceof Error ? error.message : String(error), 200);
		io.stderr.write(`golive report: cannot read journal ${sanitize(file, 300)}: ${why}\n`);
		return 2;
	}
	if (read.records.length === 0) {
		const detail =
			read.errors.length > 0 ? `${read.errors.length} unreadable line(s), first at line ${read.errors[0]!.line}` : read.torn ? 'only a torn line' : 'empty';
		io.stderr.write(`golive report: ${sanitize(file, 300)} is not a golive journal (${detail})\n`);
		return 2;
	}
	const report = buildLaunchReport(read.records, {journalPath: file, torn: read.torn, errorLines: read.errors.length});
	if (read.torn) {
		io.stderr.write('golive report: the journal ends with a torn line (an unfinished write); it was dropped.\n');
	}
	io.stdout.write(parsed.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderMarkdown(report));
	return 0;
}
