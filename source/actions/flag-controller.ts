/**
 * The feature flag as golive drives it: read it, set it (compare-and-set when
 * the API has a version, then read it back) and run the full rollback. It
 * never decides *whether* to act: the engine does, after journaling the intent.
 */
import type {Actuator, HttpActuator, Plan} from '../core/plan-types.js';
import {createRedactor, secretsFromPlan, type Redactor} from '../core/redact.js';
import {sanitize} from '../core/sanitize.js';
import {prepareCall, runCommand, sendHttp, type PreparedCall} from './actuators.js';
import type {ActionName, ActionOutcome, AttemptResult, EffectSummary, FailureReason, FlagReadResult} from './outcome.js';
import {fillString, getPath, MissingEnvError, type TemplateVars} from './template.js';

export type FlagControllerOptions = {
	/** Where `${NAME}` tokens come from, read at call time. */
	env: Record<string, string | undefined>;
	/** Epoch ms clock. */
	now: () => number;
	/** Shared redactor; one is made from the plan and `env` when absent. */
	redactor?: Redactor;
	/**
	 * Extra sends after a timeout or network error, each only after a read-back
	 * showed the write did not apply (and nobody else changed the flag).
	 * @default 1
	 */
	retries?: number;
	/** SIGTERM → SIGKILL grace for command actuators. @default 2000 */
	killGraceMs?: number;
};

type SendHooks = {
	/**
	 * Awaited before every send with exactly what is about to go out (redacted):
	 * the engine journals the `effect` record here. If it rejects, nothing is sent.
	 */
	onSend?: (effect: EffectSummary, attempt: number) => Promise<void>;
};

export type FlagController = {
	read(): Promise<FlagReadResult>;
	/**
	 * Sets the rollout percent and reads it back. With `expectVersion` undefined and
	 * a `versionPath` configured, the current version is read first.
	 */
	setPercent(percent: number, opts?: {expectVersion?: string | number | null} & SendHooks): Promise<ActionOutcome>;
	/** The StatusBoardV2 run sheet's `./rollback.sh full`. */
	fullRollback(reason: string, hooks?: SendHooks): Promise<ActionOutcome>;
	readonly redactor: Redactor;
};

function isOk(result: AttemptResult): boolean {
	return result.kind === 'http' ? result.status !== null && result.status >= 200 && result.status < 300 : result.exitCode === 0;
}

function isAmbiguous(result: AttemptResult): boolean {
	// The request may or may not have reached the flag service.
	return result.kind === 'http' ? result.status === null : result.timedOut;
}

function resultText(result: AttemptResult): string {
	if (result.kind === 'http') {
		if (result.status === null) {
			return result.error ?? 'no reply';
		}
		return `HTTP ${result.status}${result.bodyTail ? `: ${sanitize(result.bodyTail, 120)}` : ''}`;
	}
	if (result.error !== null) {
		return result.error;
	}
	const how = result.signal !== null ? `killed by ${result.signal}` : `exit ${String(result.exitCode)}`;
	const err = result.stderrTail.trim();
	return err ? `${how}: ${sanitize(err, 160)}` : how;
}

function failureOf(result: AttemptResult): FailureReason {
	if (result.kind === 'http') {
		return result.timedOut ? 'timeout' : result.status === null ? 'network' : 'http_status';
	}
	return result.timedOut ? 'timeout' : result.error !== null ? 'spawn' : 'exit_code';
}

/** Creates the controller for `plan.actions`. */
export function createFlagController(plan: Plan, options: FlagControllerOptions): FlagController {
	const {env, now} = options;
	const redactor = options.redactor ?? createRedactor(secretsFromPlan(plan, env));
	const retries = options.retries ?? 1;
	const flag = plan.canary.flag;
	const readBack = plan.actions.readBack;
	const readActuator: HttpActuator = {kind: 'http', method: 'GET', url: readBack.url, headers: readBack.headers, timeoutMs: readBack.timeoutMs};

	async function read(): Promise<FlagReadResult> {
		let prepared: PreparedCall;
		try {
			prepared = prepareCall(readActuator, {flag, percent: null, version: null, reason: ''}, env, redactor);
		} catch (error) {
			return {ok: false, error: sanitize(redactor.redactText(error instanceof Error ? error.message : String(error)))};
		}
		if (prepared.call.kind !== 'http') {
			return {ok: false, error: 'read-back must be HTTP'};
		}
		const reply = await sendHttp(prepared.call, redactor, now);
		const {result} = reply;
		if (!isOk(result)) {
			return {ok: false, error: `read-back failed: ${resultText(result)}`};
		}
		const vars: TemplateVars = {flag, percent: null, version: null, reason: ''};
		const rawPercent = getPath(reply.json, fillString(readBack.percentPath, vars));
		const percent = typeof rawPercent === 'string' && rawPercent.trim() !== '' ? Number(rawPercent) : rawPercent;
		if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
			return {
				ok: false,
				error: sanitize(`read-back: no percent at ${readBack.percentPath} (got ${redactor.redactText(JSON.stringify(rawPercent) ?? 'nothing')})`),
			};
		}
		let version: string | number | null = null;
		if (readBack.versionPath !== undefined) {
			const v = getPath(reply.json, fillString(readBack.versionPath, vars));
			version = typeof v === 'number' || typeof v === 'string' ? (typeof v === 'string' ? sanitize(v, 200) : v) : null;
		}
		return {ok: true, percent, version};
	}

	type Base = {action: ActionName; name: string; startedAt: number; attempts: number; effect: EffectSummary | null; result: AttemptResult | null};
	const done = (base: Base) => ({...base, finishedAt: now()});

	async function runOnce(
		actuator: Actuator,
		vars: TemplateVars,
		hooks: SendHooks,
		attempt: number,
	): Promise<{effect: EffectSummary; result: AttemptResult} | {configError: string} | {journalError: string}> {
		let prepared: PreparedCall;
		try {
			prepared = prepareCall(actuator, vars, env, redactor);
		} catch (error) {
			if (error instanceof MissingEnvError) {
				return {configError: error.message};
			}
			return {configError: sanitize(redactor.redactText(error instanceof Error ? error.message : String(error)))};
		}
		if (hooks.onSend !== undefined) {
			try {
				await hooks.onSend(prepared.effect, attempt);
			} catch (error) {
				return {journalError: sanitize(redactor.redactText(error instanceof Error ? error.message : String(error)))};
			}
		}
		const {call} = prepared;
		const result =
			call.kind === 'http' ? (await sendHttp(call, redactor, now)).result : await runCommand(call, redactor, now, {env, killGraceMs: options.killGraceMs});
		return {effect: prepared.effect, result};
	}

	async function setPercent(percent: number, opts: {expectVersion?: string | number | null} & SendHooks = {}): Promise<ActionOutcome> {
		const base: Base = {action: 'set_flag', name: 'set_flag', startedAt: now(), attempts: 0, effect: null, result: null};
		if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
			return {...done(base), kind: 'failed', reason: 'config', observedPercent: null, detail: `refused: ${percent} is not a percent`};
		}
		let version = opts.expectVersion;
		if (version === undefined) {
			version = null;
			if (readBack.versionPath !== undefined) {
				const before = await read();
				if (!before.ok) {
					return {
						...done(base),
						kind: 'failed',
						reason: 'read_back',
						observedPercent: null,
						detail: `not sent: cannot read the flag's version first (${before.error})`,
					};
				}
				version = before.version;
			}
		}
		const vars: TemplateVars = {flag, percent, version, reason: ''};
		for (;;) {
			base.attempts += 1;
			const ran = await runOnce(plan.actions.setFlag, vars, opts, base.attempts);
			if ('configError' in ran) {
				return {...done(base), kind: 'failed', reason: 'config', observedPercent: null, detail: `not sent: ${ran.configError}`};
			}
			if ('journalError' in ran) {
				return {...done(base), kind: 'failed', reason: 'journal', observedPercent: null, detail: `not sent: journal write failed: ${ran.journalError}`};
			}
			base.effect = ran.effect;
			base.result = ran.result;
			const {result} = ran;
			const refused = result.kind === 'http' && (result.status === 409 || result.status === 412);
			if (refused || isOk(result) || isAmbiguous(result)) {
				// Read back before anything else: a timeout may still have applied, and a refusal may come after an earlier
				// try landed late (seen in tmux: a frozen flag API applied the queued rollback writes when it came back).
				const after = await read();
				if (after.ok && after.percent === percent) {
					const note = isOk(result) ? '' : ` (${resultText(result)}, but the read-back shows it applied)`;
					return {...done(base), kind: 'ok', percent, version: after.version, detail: `flag ${flag} set to ${percent} %, read back ${after.percent} %${note}`};
				}
				if (refused) {
					const observed = after.ok ? after.percent : null;
					return {
						...done(base),
						kind: 'conflict',
						observedPercent: observed,
						observedVersion: after.ok ? after.version : null,
						detail: `flag ${flag} was changed by someone else (${resultText(result)}${version !== null ? `, expected version ${String(version)}` : ''}); it reads ${observed === null ? 'unknown' : `${observed} %`}. Launch stopped.`,
					};
				}
				if (!after.ok) {
					return {
						...done(base),
						kind: 'failed',
						reason: isOk(result) ? 'read_back' : failureOf(result),
						observedPercent: null,
						detail: `${isOk(result) ? 'sent' : resultText(result)}; ${after.error}`,
					};
				}
				const someoneElse = version !== null && after.version !== null && after.version !== version;
				if (isOk(result) || someoneElse) {
					return {
						...done(base),
						kind: 'conflict',
						observedPercent: after.percent,
						observedVersion: after.version,
						detail: `flag ${flag} reads ${after.percent} % after setting ${percent} %: changed by someone else. Launch stopped.`,
					};
				}
				if (base.attempts <= retries) {
					continue;
				}
				return {
					...done(base),
					kind: 'failed',
					reason: failureOf(result),
					observedPercent: after.percent,
					detail: `${resultText(result)}; flag still reads ${after.percent} % after ${base.attempts} attempt(s)`,
				};
			}
			const after = await read();
			const observed = after.ok ? after.percent : null;
			return {
				...done(base),
				kind: 'failed',
				reason: failureOf(result),
				observedPercent: observed,
				detail: `${resultText(result)}; flag reads ${observed === null ? 'unknown' : `${observed} %`}`,
			};
		}
	}

	async function runActuator(
		action: ActionName,
		name: string,
		actuator: Actuator | undefined,
		vars: TemplateVars,
		hooks: SendHooks = {},
	): Promise<ActionOutcome> {
		const base: Base = {action, name, startedAt: now(), attempts: 0, effect: null, result: null};
		if (actuator === undefined) {
			return {...done(base), kind: 'failed', reason: 'not_configured', observedPercent: null, detail: `${name} is not configured in the plan`};
		}
		base.attempts = 1;
		const ran = await runOnce(actuator, vars, hooks, 1);
		if ('configError' in ran) {
			return {...done(base), kind: 'failed', reason: 'config', observedPercent: null, detail: `not run: ${ran.configError}`};
		}
		if ('journalError' in ran) {
			return {...done(base), kind: 'failed', reason: 'journal', observedPercent: null, detail: `not run: journal write failed: ${ran.journalError}`};
		}
		base.effect = ran.effect;
		base.result = ran.result;
		// The flag's state after a rollback/hook is information, not a condition of success.
		const after = await read();
		const observed = after.ok ? after.percent : null;
		if (isOk(ran.result)) {
			return {...done(base), kind: 'ok', percent: observed, version: after.ok ? after.version : null, detail: `${name} done (${resultText(ran.result)})`};
		}
		return {...done(base), kind: 'failed', reason: failureOf(ran.result), observedPercent: observed, detail: `${name} failed: ${resultText(ran.result)}`};
	}

	return {
		read,
		setPercent,
		fullRollback: (reason, hooks) => runActuator('full_rollback', 'full_rollback', plan.actions.fullRollback, {flag, percent: 0, version: null, reason}, hooks),
		redactor,
	};
}

export {toFlagWriteResult} from './outcome.js';
