/**
 * Runs one runbook step (a gate item of kind `step`): its command (argv, no
 * shell, own process group, killed at the timeout) or its HTTP call, retried
 * up to `retries` more times, judged by `stepPassed`. What comes back is safe
 * to journal and show: the output tail is sanitized and every secret the plan
 * or the step references is redacted.
 */
import type {StepItemPlan} from '../core/plan-types.js';
import type {Redactor} from '../core/redact.js';
import {sanitize} from '../core/sanitize.js';
import {stepPassed} from '../core/steps.js';
import {prepareCall, runCommand, sendHttp} from './actuators.js';
import type {AttemptResult, EffectSummary} from './outcome.js';
import {formatSeconds} from '../core/format.js';

/** Characters of output a step keeps for the journal and the gate item. @default 600 */
const stepOutputChars = 600;

export type StepOutcome = {
	ok: boolean;
	attempts: number;
	/** One line: `exit 0 in 1.2 s`, `HTTP 503`, `timed out after 30000 ms`. */
	detail: string;
	/** The last attempt's output tail (stdout then stderr, or the reply body), redacted. */
	output: string;
	/** What was sent on the last attempt (argv or method + URL), redacted; null when nothing was. */
	effect: EffectSummary | null;
	durationMs: number;
};

export type StepRunnerOptions = {
	env: Record<string, string | undefined>;
	now: () => number;
	redactor: Redactor;
	/** Awaited before each attempt with what is about to run: the engine journals it first. */
	onAttempt?: (attempt: number, effect: EffectSummary) => Promise<void>;
	/** SIGTERM → SIGKILL grace for commands. @default 2000 */
	killGraceMs?: number;
};

function describe(result: AttemptResult): {detail: string; output: string} {
	const seconds = formatSeconds(result.durationMs / 1000);
	if (result.kind === 'http') {
		const detail = result.status === null ? (result.error ?? 'no reply') : `HTTP ${result.status} in ${seconds}`;
		return {detail, output: result.bodyTail};
	}
	const how = result.error ?? (result.signal === null ? `exit ${String(result.exitCode)}` : `killed by ${result.signal}`);
	const output = [result.stdoutTail.trimEnd(), result.stderrTail.trimEnd()].filter((t) => t !== '').join('\n');
	return {detail: `${how} in ${seconds}`, output};
}

function lastChars(text: string): string {
	return text.length > stepOutputChars ? `…${text.slice(-stepOutputChars)}` : text;
}

/** Runs `item` to a verdict; never throws (a missing env var or a spawn error is a failed step). */
export async function runStep(item: StepItemPlan, options: StepRunnerOptions): Promise<StepOutcome> {
	const {redactor, now} = options;
	const started = now();
	const tries = 1 + (item.retries ?? 0);
	let last: StepOutcome = {ok: false, attempts: 0, detail: 'not run', output: '', effect: null, durationMs: 0};
	for (let attempt = 1; attempt <= tries; attempt += 1) {
		let prepared;
		try {
			prepared = prepareCall(item.action, {flag: '', percent: null, version: null, reason: item.label}, options.env, redactor);
		} catch (error) {
			const why = sanitize(redactor.redactText(error instanceof Error ? error.message : String(error)));
			return {ok: false, attempts: attempt - 1, detail: `not run: ${why}`, output: '', effect: null, durationMs: now() - started};
		}
		await options.onAttempt?.(attempt, prepared.effect);
		const result: AttemptResult =
			prepared.call.kind === 'http'
				? (await sendHttp(prepared.call, redactor, now)).result
				: await runCommand(prepared.call, redactor, now, {env: options.env, ...(options.killGraceMs === undefined ? {} : {killGraceMs: options.killGraceMs})});
		const ok = result.kind === 'http' ? stepPassed(item, {status: result.status}) : result.error === null && stepPassed(item, {exitCode: result.exitCode});
		const {detail, output} = describe(result);
		const expected =
			item.expect && !ok ? ` (expected ${item.expect.exitCode === undefined ? `HTTP ${item.expect.status}` : `exit ${item.expect.exitCode}`})` : '';
		last = {
			ok,
			attempts: attempt,
			detail: `${detail}${expected}${attempt > 1 ? `, attempt ${attempt}/${tries}` : ''}`,
			output: lastChars(output),
			effect: prepared.effect,
			durationMs: now() - started,
		};
		if (ok) break;
	}
	return last;
}
