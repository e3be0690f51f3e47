/**
 * Running one actuator once: an HTTP request (undici) or a command (spawn, no
 * shell). No retries and no decisions here; `flag-controller.ts` decides.
 * Secrets live only in the prepared call; the summary that leaves is redacted.
 */
import {spawn} from 'node:child_process';
import {request} from 'undici';
import type {Actuator, HttpMethod} from '../core/plan-types.js';
import type {Redactor} from '../core/redact.js';
import {sanitize} from '../core/sanitize.js';
import type {AttemptResult, EffectSummary} from './outcome.js';
import {fillBody, fillString, referencedEnvValues, resolveEnv, type TemplateVars} from './template.js';

/** Bytes of a reply or of a command's output kept for the log. @default 2000 */
const tailChars = 2000;

export type HttpCall = {kind: 'http'; method: HttpMethod; url: string; headers: Record<string, string>; body: string | undefined; timeoutMs: number};
export type CommandCall = {kind: 'command'; argv: string[]; timeoutMs: number};
export type PreparedCall = {call: HttpCall | CommandCall; effect: EffectSummary};

/**
 * Fills an actuator's templates for one call. Env values it pulls in are
 * registered with the redactor before anything is summarized.
 * @throws MissingEnvError when a referenced env var is unset.
 */
export function prepareCall(actuator: Actuator, vars: TemplateVars, env: Record<string, string | undefined>, redactor: Redactor): PreparedCall {
	switch (actuator.kind) {
		case 'http': {
			const headerTemplates = actuator.headers ?? {};
			for (const t of [actuator.url, ...Object.values(headerTemplates)]) {
				referencedEnvValues(t, env).forEach((v) => redactor.addSecret(v));
			}
			for (const t of collectStrings(actuator.body)) {
				referencedEnvValues(t, env).forEach((v) => redactor.addSecret(v));
			}
			const url = fillString(resolveEnv(actuator.url, env), vars);
			const headers: Record<string, string> = {};
			for (const [name, value] of Object.entries(headerTemplates)) {
				headers[name.toLowerCase()] = resolveEnv(value, env);
			}
			const bodyValue = actuator.body === undefined ? undefined : fillBody(actuator.body, vars, env);
			let body: string | undefined;
			if (bodyValue !== undefined) {
				body = typeof bodyValue === 'string' ? bodyValue : JSON.stringify(bodyValue);
				if (typeof bodyValue !== 'string' && headers['content-type'] === undefined) {
					headers['content-type'] = 'application/json';
				}
			}
			return {
				call: {kind: 'http', method: actuator.method, url, headers, body, timeoutMs: actuator.timeoutMs},
				effect: redactor.redact({kind: 'http', method: actuator.method, url, body: bodyValue ?? null}),
			};
		}
		case 'command': {
			for (const t of actuator.argv) {
				referencedEnvValues(t, env).forEach((v) => redactor.addSecret(v));
			}
			// Env first, placeholders second: a reason containing `${HOME}` stays literal text.
			const argv = actuator.argv.map((arg) => fillString(resolveEnv(arg, env), vars));
			return {call: {kind: 'command', argv, timeoutMs: actuator.timeoutMs}, effect: redactor.redact({kind: 'command', argv})};
		}
		default: {
			const _never: never = actuator;
			throw new Error(`unknown actuator ${String(_never)}`);
		}
	}
}

function collectStrings(value: unknown): string[] {
	if (typeof value === 'string') {
		return [value];
	}
	if (Array.isArray(value)) {
		return value.flatMap(collectStrings);
	}
	if (value !== null && typeof value === 'object') {
		return Object.values(value).flatMap(collectStrings);
	}
	return [];
}

function tail(text: string, redactor: Redactor): string {
	const t = text.length > tailChars ? text.slice(-tailChars) : text;
	return sanitize(redactor.redactText(t), tailChars);
}

function errorText(error: unknown): string {
	if (error instanceof Error) {
		const code = (error as {code?: unknown}).code;
		// Node's messages often carry the code already ('connect ECONNREFUSED 127.0.0.1:9'): said once.
		return typeof code === 'string' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
	}
	return String(error);
}

export type HttpReply = {result: Extract<AttemptResult, {kind: 'http'}>; json: unknown};

/** Sends one HTTP request with a total deadline; the reply body is always consumed. */
export async function sendHttp(call: HttpCall, redactor: Redactor, now: () => number): Promise<HttpReply> {
	const started = now();
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), call.timeoutMs);
	try {
		const res = await request(call.url, {
			method: call.method,
			headers: call.headers,
			body: call.body,
			signal: controller.signal,
		});
		const text = await res.body.text();
		let json: unknown = undefined;
		try {
			json = text.length > 0 ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		return {
			result: {kind: 'http', status: res.statusCode, bodyTail: tail(text, redactor), error: null, timedOut: false, durationMs: now() - started},
			json,
		};
	} catch (error) {
		const timedOut = controller.signal.aborted;
		return {
			result: {
				kind: 'http',
				status: null,
				bodyTail: '',
				error: sanitize(redactor.redactText(timedOut ? `timed out after ${call.timeoutMs} ms` : errorText(error))),
				timedOut,
				durationMs: now() - started,
			},
			json: undefined,
		};
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Options for running a command.
 */
export type CommandOptions = {
	env: Record<string, string | undefined>;
	/** After the timeout the process group gets SIGTERM, then SIGKILL after this grace. @default 2000 */
	killGraceMs?: number;
};

/** Runs argv without a shell in its own process group; the timeout kills the whole group. */
export function runCommand(
	call: CommandCall,
	redactor: Redactor,
	now: () => number,
	options: CommandOptions,
): Promise<Extract<AttemptResult, {kind: 'command'}>> {
	const started = now();
	const graceMs = options.killGraceMs ?? 2000;
	return new Promise((resolve) => {
		const [file, ...args] = call.argv;
		if (file === undefined || file === '') {
			resolve({kind: 'command', exitCode: null, signal: null, stdoutTail: '', stderrTail: '', error: 'empty argv', timedOut: false, durationMs: 0});
			return;
		}
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		let settled = false;
		let killTimer: NodeJS.Timeout | undefined;
		const child = spawn(file, args, {shell: false, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: options.env as NodeJS.ProcessEnv});
		const keep = (acc: string, chunk: Buffer): string => {
			const next = acc + chunk.toString('utf8');
			return next.length > tailChars * 2 ? next.slice(-tailChars) : next;
		};
		child.stdout.on('data', (c: Buffer) => (stdout = keep(stdout, c)));
		child.stderr.on('data', (c: Buffer) => (stderr = keep(stderr, c)));
		const killGroup = (signal: NodeJS.Signals): void => {
			try {
				if (child.pid !== undefined) {
					process.kill(-child.pid, signal);
				}
			} catch {
				// Already gone.
			}
		};
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup('SIGTERM');
			killTimer = setTimeout(() => killGroup('SIGKILL'), graceMs);
		}, call.timeoutMs);
		const finish = (exitCode: number | null, signal: string | null, error: string | null): void => {
			if (settled) {
				return;
			}
			settled = true;
			clearTimeout(timer);
			if (killTimer !== undefined) {
				clearTimeout(killTimer);
			}
			resolve({
				kind: 'command',
				exitCode,
				signal,
				stdoutTail: tail(stdout, redactor),
				stderrTail: tail(stderr, redactor),
				error: error === null ? (timedOut ? `timed out after ${call.timeoutMs} ms` : null) : sanitize(redactor.redactText(error)),
				timedOut,
				durationMs: now() - started,
			});
		};
		child.on('error', (error) => finish(null, null, errorText(error)));
		child.on('close', (code, signal) => finish(code, signal, null));
	});
}
