/**
 * Carries out the reducer's effects, one at a time and in the order asked:
 * the intent is journaled before the flag is touched, exactly what goes out is
 * journaled before each send, the flag is read back, and the outcome goes back
 * to the reducer. A rollback is confirmed only by the probes.
 */
import type {ActionPurpose, CanaryEffect} from '../core/canary-types.js';
import {renderMessage} from '../report/messages.js';
import {rollbackKindOf} from '../core/launch-outcome.js';
import type {ProbeSnapshot} from '../core/measurements.js';
import type {RuleResult} from '../core/decision-types.js';
import type {EndedLaunch} from '../core/launch-outcome.js';
import {sanitize} from '../core/sanitize.js';
import type {EngineContext} from './engine-context.js';
import type {FlagWriteResult} from './ports.js';
import {createRollbackWatch} from './rollback-watch.js';

type ActingEffect = Extract<CanaryEffect, {kind: 'set_flag' | 'full_rollback'}>;

export type ActionRunner = {
	/** Queues an effect that acts; logs an announcement or a notice at once. */
	run(effect: CanaryEffect): void;
	/** Resolves when every queued action has finished. */
	idle(): Promise<void>;
	refreshFlag(): Promise<void>;
	/**
	 * Reads the flag at a check, queued behind any write so it never races one. A value golive did
	 * not write (and is not writing) is an outside change: shown, journaled, handed to the reducer
	 * (which stops auto-advance until re-armed), and never overwritten.
	 */
	observeFlag(): void;
	/** Every frame: the rollback's phase from read-backs, and health from clean responses and rules since the flag read 0 %. */
	watchRollback(at: number, probes: ProbeSnapshot[], rules: RuleResult[]): void;
	/** Headless: how a rolled-back launch ends now (rolled back and verified or NOT healthy, or rollback_failed), or null. */
	rollbackEnding(): EndedLaunch | null;
	/** Re-armed: the last rollback is history. */
	forgetRollback(): void;
};

function purposeOf(effect: ActingEffect): ActionPurpose {
	return effect.kind === 'set_flag' ? effect.purpose : 'full_rollback';
}

export function createActionRunner(ctx: EngineContext): ActionRunner {
	const {plan, now, state, log, settings} = ctx;
	const {flag, probes} = ctx.ports;
	const rollbackWatch = createRollbackWatch(plan, settings.canaryVariant);
	/** Actions run one at a time, in order; a rollback queued behind a promote still runs. */
	let actionChain: Promise<void> = Promise.resolve();
	let actionSeq = 0;

	async function refreshFlag(): Promise<void> {
		const read = await flag.read();
		if (read.ok) {
			state.flagPercent = read.percent;
			state.flagVersion = read.version;
			state.flagState = {kind: 'ok'};
			state.flagOkAt = now();
			// Every good read is what the flag reads now, the start-up read and a pre-write check too.
			state.flagObservation = {...state.flagObservation, percent: read.percent, readAt: state.flagOkAt};
		} else {
			state.flagState = {kind: 'error', code: 'unreachable', message: sanitize(read.error, 200)};
		}
	}

	let observing = false;

	async function observe(): Promise<void> {
		if (state.result) return;
		const before = state.flagPercent;
		await refreshFlag();
		const at = now();
		if (state.flagState.kind !== 'ok' || state.flagPercent === null) return;
		const read = state.flagPercent;
		const seen = state.flagObservation;
		if (!state.flagReadAtStart) {
			// The start-up read failed: this first good read is it (a flag already up pauses auto-advance), not an outside change.
			state.flagReadAtStart = true;
			ctx.dispatch({type: 'flag_read', at, percent: read});
			return;
		}
		// Already shown: one change is reported once, not at every check.
		if (seen.outsideChange && !seen.outsideChange.acknowledged && seen.outsideChange.to === read) return;
		const canaryBefore = state.canary;
		// The reducer decides whether this is an outside change (and stops the canary if so).
		ctx.dispatch({type: 'flag_observed', at, percent: read});
		if (state.canary === canaryBefore) return;
		const from = before ?? null;
		state.flagObservation = {percent: read, readAt: at, outsideChange: {from, to: read, at, acknowledged: false}};
		log.add('error', `flag changed outside golive: ${from ?? '?'} % → ${read} % (${plan.canary.flag}); golive will not overwrite it`);
		log.journalNote({type: 'note', text: `flag changed outside golive: ${from ?? '?'} % → ${read} %`, by: 'golive'});
	}

	/** The percent golive expects before a promote, when a fresh read shows something else; null when it matches. */
	async function changedBeforeWrite(effect: ActingEffect): Promise<number | null> {
		const from = effect.decision.fromPercent;
		if (from === undefined || !Number.isFinite(from)) return null;
		await refreshFlag();
		return state.flagState.kind === 'ok' && state.flagPercent !== from ? from : null;
	}

	async function execute(effect: ActingEffect, by: 'auto' | 'operator'): Promise<void> {
		if (state.result) return;
		const kind = purposeOf(effect);
		const target = effect.kind === 'set_flag' ? effect.percent : null;
		const id = `a${++actionSeq}-${now()}`;
		const reason = effect.decision.reason;
		state.action = {kind: 'in_flight', action: kind, targetPercent: target, since: now()};
		ctx.publishQuietly();
		try {
			// Write-ahead: the intent is on disk before the flag is touched.
			await log.journalAppend({type: 'intent', id, action: kind, targetPercent: target, fromPercent: state.flagPercent, reason, by, decision: effect.decision});
		} catch {
			const detail = 'not executed: the journal could not record the intent';
			state.action = {kind: 'done', action: kind, ok: false, at: now(), detail};
			ctx.dispatch({type: 'action_failed', at: now(), action: effect.kind, detail, ...(target !== null ? {requested: target} : {})});
			return;
		}
		const what = target === null ? 'run the full rollback command' : `set ${plan.canary.flag} to ${target} %`;
		ctx.emit({kind: 'action', phase: 'intent', id, action: kind, targetPercent: target, detail: what, reason});
		log.add('info', `${kind === 'promote' ? 'Promoting' : 'Rolling back'}: ${what}`);
		const actionStartedAt = now();
		// The effect record (exactly what goes out, redacted) is on disk before each send.
		const onSend = (sent: unknown): Promise<void> => log.journalAppend({type: 'effect', id, sent});
		let outcome: FlagWriteResult;
		if (target === null) {
			// The reducer asks for the flag to 0 % first (its own effect); this runs the rollback command.
			outcome = flag.fullRollback ? await flag.fullRollback(reason, onSend) : {kind: 'failed', detail: 'no full rollback configured in the plan'};
		} else {
			// Re-read immediately before a promote: a value golive does not expect is refused, never overwritten.
			const expected = kind === 'promote' ? await changedBeforeWrite(effect) : null;
			outcome =
				expected === null
					? await flag.setPercent(target, state.flagVersion, onSend)
					: {
							kind: 'conflict',
							observedPercent: state.flagPercent,
							detail: `not sent: ${plan.canary.flag} reads ${state.flagPercent ?? 'unknown'} % just before the write, not the ${expected} % golive set`,
						};
		}
		const at = now();
		const readBack = outcome.kind === 'ok' ? outcome.percent : outcome.kind === 'conflict' ? outcome.observedPercent : null;
		log.journalNote({type: 'outcome', id, result: outcome.kind, readBackPercent: readBack, detail: outcome.detail, durationMs: at - actionStartedAt});
		const done = (ok: boolean): void => {
			state.action = {kind: 'done', action: kind, ok, at, detail: outcome.detail};
			ctx.emit({kind: 'action', phase: 'outcome', id, action: kind, targetPercent: target, ok, detail: outcome.detail, reason});
		};
		switch (outcome.kind) {
			case 'ok':
				state.flagPercent = outcome.percent;
				state.flagVersion = outcome.version;
				state.flagState = {kind: 'ok'};
				state.flagOkAt = at;
				// The read-back is a read: the source line shows it, not the read before the write.
				state.flagObservation = {...state.flagObservation, percent: outcome.percent, readAt: at};
				done(true);
				if (kind !== 'promote' && outcome.percent === 0) {
					state.rollbackWrittenAt = at;
					rollbackWatch.applied(at, probes.latest());
					log.add(
						'warn',
						`Flag at 0 % (read back): rollback applied. Watching for health: successful responses, none from ${settings.canaryVariant}, rules passing…`,
					);
				}
				ctx.dispatch({type: 'flag_confirmed', at, percent: outcome.percent, ...(target !== null ? {requested: target} : {})});
				break;
			case 'conflict':
				done(false);
				log.add('error', `STOPPED: ${plan.canary.flag} was changed by someone else (${outcome.detail})`);
				if (outcome.observedPercent !== null) state.flagPercent = outcome.observedPercent;
				ctx.dispatch({type: 'external_change', at, observedPercent: outcome.observedPercent ?? Number.NaN});
				break;
			case 'failed':
				// The try ends with this read, not before it: until then the action stays in flight and the rollback
				// `writing` (seen in tmux with a hung flag API: "writing … try 1" beside "✗ FAILED" for the read's 2 s).
				await refreshFlag();
				done(false);
				log.add('error', `${kind} FAILED: ${outcome.detail}`);
				// The answer was lost but the write landed: the read-back is what counts.
				if (target !== null && state.flagPercent === target && state.flagState.kind === 'ok') {
					if (kind !== 'promote' && target === 0) rollbackWatch.applied(now(), probes.latest());
					ctx.dispatch({type: 'flag_confirmed', at: now(), percent: target, requested: target});
					break;
				}
				ctx.dispatch({
					type: 'action_failed',
					at,
					action: effect.kind,
					detail: outcome.detail,
					...(target !== null ? {requested: target} : {}),
					jitter: Math.random(),
				});
				break;
			default: {
				const _never: never = outcome;
				return _never;
			}
		}
		ctx.publishQuietly();
	}

	return {
		run(effect) {
			switch (effect.kind) {
				case 'announce':
					// The decision itself is already in the log; an announcement that differs is a ready-to-paste status message.
					if (effect.decision.reason !== state.canary.lastDecision?.reason)
						log.add(effect.decision.kind === 'rollback' ? 'error' : 'info', effect.decision.reason, effect.decision.reason);
					return;
				case 'notice':
					log.add(effect.level, effect.text);
					return;
				case 'give_up':
					ctx.finish('inconclusive', effect.reason);
					return;
				case 'set_flag':
				case 'full_rollback': {
					// Who acted is known only now: the chain below runs after the key press has been handled.
					const by = effect.decision.trigger === 'operator' || state.operatorActing ? 'operator' : 'auto';
					// The reducer decides what may run; the engine only runs its effects one at a time, in the order asked.
					actionChain = actionChain
						.then(() => execute(effect, by))
						.catch((error: unknown) => {
							log.add('error', `action failed: ${String(error)}`);
						});
					return;
				}
				default: {
					const _never: never = effect;
					return _never;
				}
			}
		},
		idle: () => actionChain,
		refreshFlag,
		observeFlag() {
			// One check read at a time: while one is queued or in flight a check adds none. A hung flag API
			// (reads timing out slower than checks come) would otherwise queue reads without end, and a
			// rollback retry queued behind them would never go out.
			if (observing) return;
			observing = true;
			actionChain = actionChain
				.then(observe)
				.catch((error: unknown) => {
					log.add('error', `flag read failed: ${String(error)}`);
				})
				.finally(() => {
					observing = false;
				});
		},
		watchRollback(at, probeList, rules) {
			const {mitigation, news} = rollbackWatch.update(at, state.canary, state.flagPercent, probeList, rules);
			state.mitigation = mitigation;
			if (!news || !mitigation) return;
			const verified = news.verdict === 'verified';
			// "Rollback COMPLETE … Health verified" is said only here, from the verdict, never from having sent the write.
			const seconds = (at - mitigation.triggeredAt) / 1000;
			const message = verified
				? renderMessage({kind: 'rollback_complete', rollback: rollbackKindOf(state.canary), seconds, detail: news.text}, plan.service).text
				: news.text;
			log.add(news.level, news.text, message);
			log.journalNote({
				type: 'mitigation',
				triggeredAt: mitigation.triggeredAt,
				confirmedAt: verified ? at : null,
				detail: news.text,
				healthRestored: verified,
			});
		},
		rollbackEnding: () => rollbackWatch.ending(state.canary, state.flagPercent),
		forgetRollback() {
			rollbackWatch.reset();
			state.mitigation = null;
			state.rollbackWrittenAt = null;
		},
	};
}
