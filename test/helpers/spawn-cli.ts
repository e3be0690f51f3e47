/** Runs the built CLI as a user would: a real process, real stdout/stderr, real exit code. */
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The bundled CLI, what the package's bin and `npm start` run (`tools/bundle.ts`). */
export const cliPath = path.join(root, 'dist/bin/golive.js');

export function assertBuilt(): void {
	if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run 'npm run build' first (npm test does)`);
}

export type CliRun = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number; pid: number};

export type CliOptions = {
	env?: NodeJS.ProcessEnv;
	cwd?: string;
	/** Kill after this long (a bound, not an assertion). @default 120000 */
	timeoutMs?: number;
	/** Send SIGINT once stdout contains this. */
	interruptWhen?: RegExp;
	onStdout?: (chunk: string) => void;
};

export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
	assertBuilt();
	const started = Date.now();
	const child = spawn(process.execPath, [cliPath, ...args], {
		cwd: options.cwd ?? root,
		env: {...process.env, NO_COLOR: '1', ...options.env},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	let interrupted = false;
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
		options.onStdout?.(chunk);
		if (!interrupted && options.interruptWhen?.test(stdout)) {
			interrupted = true;
			child.kill('SIGINT');
		}
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
	return new Promise((resolve) => {
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({code, signal, stdout, stderr, ms: Date.now() - started, pid: child.pid ?? -1});
		});
	});
}

export function parseNdjson(stdout: string): Array<Record<string, unknown> & {type: string; ts: string}> {
	return stdout
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((line) => JSON.parse(line) as Record<string, unknown> & {type: string; ts: string});
}
