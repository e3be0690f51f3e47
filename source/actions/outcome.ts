/**
 * What an action did, as one discriminated union the engine journals and shows.
 * Every string in here is already redacted and sanitized.
 */

export const actionNames = ['set_flag', 'full_rollback', 'hook'] as const;
export type ActionName = (typeof actionNames)[number];

/** What was sent, for the journal's `effect` record (secrets redacted). */
export type EffectSummary = {kind: 'http'; method: string; url: string; body: unknown} | {kind: 'command'; argv: string[]};

/** Evidence from running one actuator once. */
export type AttemptResult =
	| {kind: 'http'; status: number | null; bodyTail: string; error: string | null; timedOut: boolean; durationMs: number}
	| {
			kind: 'command';
			exitCode: number | null;
			signal: string | null;
			stdoutTail: string;
			stderrTail: string;
			error: string | null;
			timedOut: boolean;
			durationMs: number;
	  };

export const failureReasons = ['timeout', 'http_status', 'network', 'exit_code', 'spawn', 'read_back', 'config', 'not_configured', 'journal'] as const;
export type FailureReason = (typeof failureReasons)[number];

type OutcomeBase = {
	action: ActionName;
	/** Hook name for `hook`, else the same as `action`. */
	name: string;
	startedAt: number;
	finishedAt: number;
	/** Sends made (a timeout that did not apply may be retried once). */
	attempts: number;
	/** The last thing sent; null when nothing was sent. */
	effect: EffectSummary | null;
	/** The last actuator result; null when nothing ran. */
	result: AttemptResult | null;
	/** One line for the log. */
	detail: string;
};

export type ActionOutcome =
	| (OutcomeBase & {kind: 'ok'; percent: number | null; version: string | number | null})
	| (OutcomeBase & {kind: 'failed'; reason: FailureReason; observedPercent: number | null})
	/** Someone else changed the flag: compare-and-set refused, or the read-back shows another value. Stops the launch. */
	| (OutcomeBase & {kind: 'conflict'; observedPercent: number | null; observedVersion: string | number | null});

export type FlagReadResult = {ok: true; percent: number; version: string | number | null} | {ok: false; error: string};

/** The engine's `FlagWriteResult` shape (source/engine/ports.ts), from an outcome. */
export function toFlagWriteResult(
	outcome: ActionOutcome,
):
	| {kind: 'ok'; percent: number; version: string | number | null; detail: string}
	| {kind: 'failed'; detail: string}
	| {kind: 'conflict'; observedPercent: number | null; detail: string} {
	switch (outcome.kind) {
		case 'ok':
			return outcome.percent === null
				? {kind: 'failed', detail: `${outcome.detail}; flag state unknown`}
				: {kind: 'ok', percent: outcome.percent, version: outcome.version, detail: outcome.detail};
		case 'failed':
			return {kind: 'failed', detail: outcome.detail};
		case 'conflict':
			return {kind: 'conflict', observedPercent: outcome.observedPercent, detail: outcome.detail};
		default: {
			const _never: never = outcome;
			return _never;
		}
	}
}
