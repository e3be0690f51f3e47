/**
 * `golive demo --serve` spawned as a user would, for failure-path tests: the
 * simulated service outlives the golive runs pointed at it, and a test can put
 * the fault proxy between them with `proxiedPlan`.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {assertBuilt, cliPath, root} from './spawn-cli.js';

export type ServedDemo = {
	serviceUrl: string;
	cloudwatchUrl: string;
	planFile: string;
	child: ChildProcess;
	/** Sends `signal` and resolves with how the process ended. */
	stop(signal?: NodeJS.Signals): Promise<{code: number | null; signal: NodeJS.Signals | null; stderr: string}>;
};

export function startServedDemo(args: string[] = [], timeoutMs = 20_000): Promise<ServedDemo> {
	assertBuilt();
	const child = spawn(process.execPath, [cliPath, 'demo', '--serve', ...args], {
		cwd: root,
		env: {...process.env, NO_COLOR: '1'},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) => {
		child.on('close', (code, signal) => resolve({code, signal}));
	});
	const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
		if (child.exitCode === null && child.signalCode === null) child.kill(signal);
		const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
		const end = await exited;
		clearTimeout(killer);
		return {...end, stderr};
	};
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`demo --serve printed no line within ${timeoutMs} ms; stderr: ${stderr}`));
		}, timeoutMs);
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
			const newline = stdout.indexOf('\n');
			if (newline < 0) return;
			clearTimeout(timer);
			const line = JSON.parse(stdout.slice(0, newline)) as {serviceUrl: string; cloudwatchUrl: string; planFile: string};
			resolve({...line, child, stop});
		});
		void exited.then(({code}) => {
			clearTimeout(timer);
			reject(new Error(`demo --serve exited (${code}) before printing its line; stderr: ${stderr}`));
		});
	});
}

type Json = null | boolean | number | string | Json[] | {[key: string]: Json};

function merge(base: Json, patch: Json): Json {
	if (patch === null || typeof patch !== 'object' || Array.isArray(patch) || base === null || typeof base !== 'object' || Array.isArray(base)) return patch;
	const out: {[key: string]: Json} = {...base};
	for (const [key, value] of Object.entries(patch)) out[key] = key in out ? merge(out[key]!, value) : value;
	return out;
}

/**
 * A copy of the served plan with every service URL pointing at `proxyUrl`,
 * `patch` merged in (objects deep, arrays replaced), written beside it as `name`.
 */
export function proxiedPlan(served: Pick<ServedDemo, 'planFile' | 'serviceUrl'>, proxyUrl: string, name: string, patch: Json = {}): string {
	const text = readFileSync(served.planFile, 'utf8').split(served.serviceUrl).join(proxyUrl);
	const plan = merge(JSON.parse(text) as Json, patch);
	const file = path.join(path.dirname(served.planFile), name);
	writeFileSync(file, JSON.stringify(plan, null, 2));
	return file;
}
