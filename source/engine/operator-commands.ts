/**
 * Operator commands (a key press, a control command) into reducer events and
 * journal notes. The reducer says whether a promote, start or rollback may go.
 */
import {isDangerous} from '../core/commands.js';
import {observationAfterAcknowledge} from '../core/acknowledge.js';
import type {SignOff} from '../core/decision-types.js';
import type {OperatorCommand} from '../core/operator-commands.js';
import {sanitize} from '../core/sanitize.js';
import type {ActionRunner} from './action-runner.js';
import type {EngineContext} from './engine-context.js';

export function createOperatorCommands(ctx: EngineContext, actions: ActionRunner): {send(command: OperatorCommand): void} {
	const {now, state, log} = ctx;

	function handle(command: OperatorCommand): void {
		const at = now();
		if (isDangerous(command)) state.resumeNotice = null;
		switch (command.type) {
			case 'promote':
				log.journalNote({type: 'note', text: 'operator: promote', by: 'operator'});
				// Before the canary this is the start; the reducer refuses it while busy or while gates A and B are open.
				ctx.dispatch({type: 'promote', at, by: 'operator', ...(command.to !== undefined ? {to: command.to} : {}), ...(command.skip ? {skip: true} : {})});
				return;
			case 'emergency_rollback':
			case 'full_rollback': {
				const reason = sanitize(command.reason || 'operator rollback', 300);
				log.journalNote({type: 'note', text: `operator: ${command.type} — ${reason}`, by: 'operator'});
				ctx.dispatch({type: 'rollback', at, rollback: command.type === 'full_rollback' ? 'full' : 'emergency', reason, by: 'operator'});
				return;
			}
			case 'pause':
				ctx.dispatch({type: 'pause', at});
				log.add('info', 'Auto-advance paused (rollback triggers stay armed)');
				return;
			case 'resume':
				ctx.dispatch({type: 'resume', at});
				log.add('info', 'Auto-advance resumed');
				return;
			case 'rearm': {
				actions.forgetRollback();
				// Re-arming is the operator's acknowledgement of an outside flag change.
				const outside = state.flagObservation.outsideChange;
				if (outside) state.flagObservation = {...state.flagObservation, outsideChange: {...outside, acknowledged: true}};
				ctx.dispatch({type: 'rearm', at});
				log.add('info', 'Re-armed: nothing promotes until the operator or a passing gate says so');
				return;
			}
			case 'acknowledge': {
				const observation = state.flagObservation;
				log.journalNote({type: 'note', text: `operator: acknowledge ${ctx.plan.canary.flag} at ${observation.percent ?? 'unknown'} %`, by: 'operator'});
				const before = state.canary;
				ctx.dispatch({type: 'acknowledge', at, percent: observation.percent, readAt: observation.readAt});
				state.flagObservation = observationAfterAcknowledge(before, state.canary, observation);
				return;
			}
			case 'sign_off': {
				const reject = command.decision === 'reject';
				const note = command.note ? sanitize(command.note, 300) : '';
				const signOff: SignOff = {
					itemId: sanitize(command.itemId, 80),
					role: sanitize(command.role, 80),
					name: sanitize(command.name, 120),
					at,
					...(reject ? {decision: 'reject' as const} : {}),
					...(note ? {note} : {}),
				};
				state.signOffs.push(signOff);
				log.journalNote({type: 'sign_off', ...signOff});
				const why = `${note ? ` — ${note}` : ''}${reject ? '; the gate holds, the operator decides on rollback' : ''}`;
				log.add(reject ? 'error' : 'success', `${reject ? 'REJECTED' : 'Sign-off'}: ${signOff.role} ${signOff.name} (${signOff.itemId})${why}`);
				return;
			}
			case 'rerun_step': {
				const itemId = sanitize(command.itemId, 80);
				const refused = ctx.runbook.rerun(itemId);
				if (refused !== null) {
					log.add('warn', `re-run refused: ${refused}`);
					return;
				}
				log.journalNote({type: 'note', text: `operator: re-run step ${itemId}`, by: 'operator'});
				log.add('info', `Step ${itemId} runs again when its gate is worked on`);
				return;
			}
			case 'note': {
				const text = sanitize(command.text, 500);
				log.journalNote({type: 'note', text, by: 'operator'});
				log.add('info', `Note: ${text}`);
				return;
			}
			default: {
				const _never: never = command;
				return _never;
			}
		}
	}

	return {
		send(command) {
			if (state.result) return;
			state.operatorActing = true;
			try {
				handle(command);
			} finally {
				state.operatorActing = false;
			}
			ctx.publishQuietly();
		},
	};
}
