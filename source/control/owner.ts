/**
 * What the launch's owner does with a control request: journal who asked
 * (before acting), hand the command to the engine exactly as a key press
 * would, and answer with what the engine did — accepted or refused, and why,
 * read from the engine's own state after the command, not assumed.
 */
import {greenProgress} from '../core/canary-machine.js';
import {formatTimer} from '../core/format.js';
import type {EngineHandle, OperatorCommand} from '../core/operator-commands.js';
import type {Plan} from '../core/plan-types.js';
import type {Snapshot} from '../core/snapshot.js';
import type {JournalPort} from '../engine/ports.js';
import type {ControlCommand, ControlRequest, ControlResponse} from './protocol.js';
import {statusFromSnapshot} from './status-view.js';

export type ControlOwner = {
	engine: EngineHandle;
	plan: Plan;
	journal: JournalPort;
	now: () => number;
	/** How the run ended, once it has. */
	outcome: () => string | null;
};

type Verdict = {accepted: boolean; detail: string};

/** What the engine said while handling one command: its new log lines and decision. */
function said(before: Snapshot, after: Snapshot): string {
	const lines = after.log.filter((entry) => !before.log.includes(entry)).map((entry) => entry.text);
	const decision = after.canary.lastDecision;
	if (decision && decision !== before.canary.lastDecision) lines.push(decision.reason);
	return [...new Set(lines)].join('; ');
}

/** The next percent a promote sets from here, or why there is none. */
function nextPercent(plan: Plan, snapshot: Snapshot): number | string {
	const phase = snapshot.canary.phase;
	if (phase.kind === 'pre') return plan.canary.stages[0] ?? 'the plan has no canary stages';
	if (phase.kind !== 'stage') return `the canary is ${phase.kind.replace('_', ' ')}`;
	return plan.canary.stages[phase.index + 1] ?? phase.percent;
}

/** A promote from the command line follows the key's rule, and a soak is skipped only when asked for by name. */
function promoteRefusal(plan: Plan, snapshot: Snapshot, command: Extract<ControlCommand, {command: 'promote'}>, at: number): string | null {
	const next = nextPercent(plan, snapshot);
	if (typeof next === 'string') return null; // The engine refuses with its own words.
	if (command.to !== null && command.to !== next) return `promote goes one stage at a time: the next stage is ${next} %, not ${command.to} %`;
	const progress = greenProgress(plan, snapshot.canary, at);
	if (progress && progress.greenMs < progress.neededMs && !command.skipSoak) {
		const percent = snapshot.canary.phase.kind === 'stage' ? `${snapshot.canary.phase.percent} %` : 'Gate G';
		return `${percent} has held ${formatTimer(progress.greenMs)} of ${formatTimer(progress.neededMs)} green: wait for the soak, or pass --skip-soak`;
	}
	return null;
}

function signOffRefusal(plan: Plan, command: Extract<ControlCommand, {command: 'sign_off'}>): string | null {
	const item = plan.gates.find((g) => g.id === command.itemId);
	if (!item) return `no gate item ${command.itemId} in the plan`;
	if (item.gate !== command.gate) return `${command.itemId} is in Gate ${item.gate}, not Gate ${command.gate}`;
	if (item.kind !== 'manual') return `${command.itemId} is not a manual item`;
	if (!item.roles.includes(command.role)) return `${command.itemId} takes sign-offs from ${item.roles.join(', ')}, not ${command.role}`;
	return null;
}

export function createControlHandler(owner: ControlOwner): (request: ControlRequest) => Promise<ControlResponse> {
	const {engine, plan, journal, now} = owner;

	/** Sends the command and reads what came of it. */
	function act(command: OperatorCommand, accepted: (before: Snapshot, after: Snapshot) => boolean): Verdict {
		const before = engine.getSnapshot();
		engine.send(command);
		const after = engine.getSnapshot();
		return {accepted: accepted(before, after), detail: said(before, after)};
	}

	function run(request: ControlRequest): Verdict {
		const at = now();
		const who = `${request.requester.by} ${request.requester.user}`;
		switch (request.command) {
			case 'status':
				return {accepted: true, detail: 'status'};
			case 'promote': {
				const refusal = promoteRefusal(plan, engine.getSnapshot(), request, at);
				if (refusal !== null) return {accepted: false, detail: `Promote refused: ${refusal}`};
				return act(
					{type: 'promote'},
					(b, a) =>
						(a.canary.pending?.purpose !== undefined && a.canary.pending !== b.canary.pending && a.canary.pending.purpose !== 'rollback') ||
						a.canary.phase.kind !== b.canary.phase.kind,
				);
			}
			case 'rollback':
				return act(
					{type: request.full ? 'full_rollback' : 'emergency_rollback', reason: `${request.reason} (golive rollback, ${who})`},
					(_b, a) => a.canary.phase.kind === 'rolled_back' || a.canary.pending?.purpose === 'rollback',
				);
			case 'pause':
				return act({type: 'pause'}, (_b, a) => a.canary.paused);
			case 'resume':
				return act({type: 'resume'}, (_b, a) => !a.canary.paused);
			case 'acknowledge':
				return act({type: 'acknowledge'}, (b, a) => b.canary.phase.kind === 'aborted' && a.canary.phase.kind !== 'aborted');
			case 'sign_off': {
				const refusal = signOffRefusal(plan, request);
				if (refusal !== null) return {accepted: false, detail: `Sign-off refused: ${refusal}`};
				const note = request.note ? ` — ${request.note}` : '';
				if (request.reject) {
					// A rejection is recorded and shown; it never counts as an approval.
					engine.send({type: 'note', text: `Sign-off REJECTED: ${request.role} ${request.name} (${request.itemId}, Gate ${request.gate})${note}`});
					return {accepted: true, detail: `rejection recorded for ${request.itemId}`};
				}
				const verdict = act({type: 'sign_off', itemId: request.itemId, role: request.role, name: request.name}, () => true);
				if (request.note) engine.send({type: 'note', text: `Sign-off note (${request.itemId}, ${request.role} ${request.name}): ${request.note}`});
				return verdict;
			}
			case 'note':
				return act({type: 'note', text: `${request.text} (${who})`}, () => true);
			default: {
				const _never: never = request;
				return _never;
			}
		}
	}

	return async (request) => {
		if (request.command !== 'status') {
			const {by, user, pid} = request.requester;
			// Journal first: who asked is on disk before the engine acts on it.
			try {
				await journal.append({type: 'control', command: request.command, by, user, pid, detail: describe(request)});
			} catch (error) {
				return {ok: false, error: `not done: the journal could not record the request (${error instanceof Error ? error.message : String(error)})`};
			}
		}
		const verdict = run(request);
		const status = statusFromSnapshot(engine.getSnapshot(), {journal: journal.path, pid: process.pid, outcome: owner.outcome()});
		return {ok: true, accepted: verdict.accepted, detail: verdict.detail || (verdict.accepted ? 'done' : 'refused'), status};
	};
}

function describe(request: ControlCommand): string {
	switch (request.command) {
		case 'status':
		case 'pause':
		case 'resume':
		case 'acknowledge':
			return request.command;
		case 'promote':
			return `promote${request.to === null ? '' : ` to ${request.to} %`}${request.skipSoak ? ' (skip soak)' : ''}`;
		case 'rollback':
			return `${request.full ? 'full' : 'emergency'} rollback: ${request.reason}`;
		case 'sign_off':
			return `${request.reject ? 'reject' : 'approve'} ${request.itemId} (Gate ${request.gate}) as ${request.role} ${request.name}${request.note ? `: ${request.note}` : ''}`;
		case 'note':
			return `note: ${request.text}`;
		default: {
			const _never: never = request;
			return _never;
		}
	}
}
