/**
 * `golive status | promote | rollback | pause | resume | acknowledge | sign-off | note`:
 * the run sheets' `canary-rollout.sh status`, `promote 50`,
 * `rollback.sh emergency --reason …` and `uat-validation.sh approve`, acting
 * through the launch's owner so there is still one writer. With no owner,
 * `status` reads the newest journal and `rollback` acts by itself.
 */
import {createInterface} from 'node:readline/promises';
import {parseCommandArgs, UsageError, type CommandIo} from '../cli-args.js';
import {commandSpec, type CommandId} from '../core/commands.js';
import {journalDirFor} from '../journal/location.js';
import {formatPlanErrors, loadPlan, resolvePlanFile} from '../plan/load-plan.js';
import type {Plan} from '../core/plan-types.js';
import type {StreamEvent} from '../core/stream-event-types.js';
import {sanitize} from '../core/sanitize.js';
import {controlSocketPath, type ControlCommand, type StatusView} from '../control/protocol.js';
import {cliRequester, sendControl} from '../control/socket-client.js';
import {newestJournal, readStatusFromJournal} from '../control/status-view.js';
import {statusText} from '../control/status-text.js';
import {rollbackWithoutOwner} from '../control/rollback-without-owner.js';

export const controlCommandNames = ['status', 'promote', 'rollback', 'pause', 'resume', 'acknowledge', 'sign-off', 'note'] as const;
export type ControlCommandName = (typeof controlCommandNames)[number];

const common = {
	plan: {type: 'string'},
	json: {type: 'boolean', default: false},
	yes: {type: 'boolean', default: false},
	help: {type: 'boolean', short: 'h', default: false},
} as const;

const usages: Record<ControlCommandName, string> = {
	status: 'golive status [--plan FILE] [--json]\n  Stage, flag and every rule: live from the owner, else from the newest journal.',
	promote:
		'golive promote [--to N] [--skip-soak] [--yes] [--plan FILE] [--json]\n  Promote to the next stage, through the owner; refused while the stage has not held its green time (unless --skip-soak).',
	rollback:
		'golive rollback --reason TEXT [--full] [--yes] [--plan FILE] [--json]\n  Emergency rollback (flag to 0 %), through the owner; with no owner running it writes, reads back and journals by itself.',
	pause: 'golive pause [--plan FILE] [--json]\n  Pause auto-advance (rollback triggers stay armed).',
	resume: 'golive resume [--plan FILE] [--json]\n  Resume auto-advance.',
	acknowledge:
		'golive acknowledge [--yes] [--plan FILE] [--json]\n  Acknowledge a flag change made outside golive: the launch goes on from the value the flag reads now (a stage: its soak starts over, triggers armed; 0 %: it stays at 0 % until you promote). Nothing is written.',
	'sign-off':
		'golive sign-off --gate G --item ID --role R --name NAME [--reject] [--note TEXT] [--plan FILE] [--json]\n  Approve (or reject) a manual gate item.',
	note: 'golive note TEXT [--plan FILE] [--json]\n  Add an operator note to the journal and the event log.',
};

/** Which entry of the one command table (the console's keys) a control command is: the same `dangerous` rule applies. */
function commandIdOf(command: ControlCommand): CommandId | null {
	switch (command.command) {
		case 'status':
			return null;
		case 'promote':
			return 'promote';
		case 'rollback':
			return command.full ? 'full_rollback' : 'emergency_rollback';
		case 'pause':
		case 'resume':
			return 'pause';
		case 'acknowledge':
			return 'acknowledge';
		case 'sign_off':
			return 'sign_off';
		case 'note':
			return 'note';
		default: {
			const _never: never = command;
			return _never;
		}
	}
}

function parse(name: ControlCommandName, args: string[]): {command: ControlCommand; plan: string | undefined; json: boolean; yes: boolean; help: boolean} {
	const {values, positionals} = parseCommandArgs(
		name,
		args,
		{
			...common,
			to: {type: 'string'},
			'skip-soak': {type: 'boolean', default: false},
			reason: {type: 'string'},
			full: {type: 'boolean', default: false},
			gate: {type: 'string'},
			item: {type: 'string'},
			role: {type: 'string'},
			name: {type: 'string'},
			reject: {type: 'boolean', default: false},
			note: {type: 'string'},
		},
		name === 'note',
	);
	const base = {plan: values.plan, json: values.json, yes: values.yes, help: values.help};
	const allowed: Record<ControlCommandName, string[]> = {
		status: [],
		pause: [],
		resume: [],
		acknowledge: [],
		note: [],
		promote: ['to', 'skip-soak'],
		rollback: ['reason', 'full'],
		'sign-off': ['gate', 'item', 'role', 'name', 'reject', 'note'],
	};
	const extra = Object.keys(values).filter((k) => !(k in common) && !allowed[name].includes(k) && values[k as keyof typeof values] !== false);
	if (extra.length > 0) throw new UsageError(`--${extra[0]} does not apply to ${name}`, name);
	if (values.help) return {...base, command: {command: 'status'}};
	switch (name) {
		case 'status':
		case 'pause':
		case 'resume':
		case 'acknowledge':
			return {...base, command: {command: name}};
		case 'promote': {
			const to = values.to === undefined ? null : Number(values.to);
			if (to !== null && (!Number.isInteger(to) || to < 1 || to > 100))
				throw new UsageError(`--to must be a whole percent 1–100, got ${JSON.stringify(sanitize(values.to, 20))}`, name);
			return {...base, command: {command: 'promote', to, skipSoak: values['skip-soak']}};
		}
		case 'rollback': {
			const reason = values.reason?.trim();
			if (!reason) throw new UsageError('--reason TEXT is required (it goes into the journal and the report)', name);
			return {...base, command: {command: 'rollback', reason: sanitize(reason, 300), full: values.full}};
		}
		case 'sign-off': {
			const missing = (['gate', 'item', 'role', 'name'] as const).filter((k) => !values[k]?.trim());
			if (missing.length > 0) throw new UsageError(`--${missing[0]} is required`, name);
			return {
				...base,
				command: {
					command: 'sign_off',
					gate: values.gate!.trim().toUpperCase(),
					itemId: values.item!.trim(),
					role: values.role!.trim(),
					name: sanitize(values.name!.trim(), 120),
					reject: values.reject,
					note: values.note ? sanitize(values.note, 500) : null,
				},
			};
		}
		case 'note': {
			const text = positionals.join(' ').trim();
			if (text === '') throw new UsageError('the note TEXT is required, e.g. golive note "DB failover drill at 14:00"', name);
			return {...base, command: {command: 'note', text: sanitize(text, 500)}};
		}
		default: {
			const _never: never = name;
			return _never;
		}
	}
}

function describe(plan: Plan, command: ControlCommand): string {
	switch (command.command) {
		case 'promote':
			return `promote ${plan.canary.flag} to ${command.to === null ? 'the next stage' : `${command.to} %`}${command.skipSoak ? ', skipping the soak' : ''}`;
		case 'acknowledge':
			return `acknowledge the outside change: go on from ${plan.canary.flag} as it reads now`;
		case 'rollback':
			return `${command.full ? 'FULL rollback (flag to 0 %, then the rollback command)' : `emergency rollback: ${plan.canary.flag} to 0 %`}`;
		default:
			return command.command;
	}
}

/** A dangerous command confirms on a terminal, or needs --yes without one (the same rule as the keys' dialogs). */
async function confirmed(plan: Plan, command: ControlCommand, yes: boolean, name: string, io: CommandIo): Promise<boolean> {
	const id = commandIdOf(command);
	if (id === null || !commandSpec(id).dangerous || yes) return true;
	if (!process.stdin.isTTY) throw new UsageError(`${describe(plan, command)} is dangerous: pass --yes (there is no terminal to confirm on)`, name);
	const rl = createInterface({input: process.stdin, output: process.stderr});
	try {
		const answer = await rl.question(`${describe(plan, command)} for ${plan.service} (${plan.environment})? Type yes to go on: `);
		if (answer.trim().toLowerCase() === 'yes') return true;
		io.stderr.write('golive: not confirmed; nothing done.\n');
		return false;
	} finally {
		rl.close();
	}
}

type Output = {command: string; accepted: boolean; detail: string; via: 'owner' | 'self' | 'journal'; status: StatusView | null};

function print(io: CommandIo, json: boolean, out: Output): void {
	if (json) {
		const event: StreamEvent =
			out.command === 'status' && out.status
				? {type: 'status', ts: new Date().toISOString(), ...out.status}
				: {type: 'control', ts: new Date().toISOString(), ...out};
		io.stdout.write(`${JSON.stringify(event)}\n`);
		return;
	}
	if (out.command !== 'status') io.stdout.write(`golive ${out.command}: ${out.accepted ? 'done' : 'REFUSED'} — ${out.detail}\n`);
	if (out.status) io.stdout.write(statusText(out.status));
}

/** After an accepted rollback: wait (bounded) until the owner reads the flag back at 0, or the journal shows it. */
async function awaitFlagZero(socket: string, journalDir: string, plan: Plan, boundMs: number): Promise<StatusView | null> {
	const until = Date.now() + boundMs;
	let last: StatusView | null = null;
	while (Date.now() < until) {
		const reply = await sendControl(socket, {command: 'status'}, {timeoutMs: 2000});
		if (reply.kind === 'answered' && reply.response.ok) last = reply.response.status;
		else {
			const file = await newestJournal(journalDir, plan.service);
			last = file ? await readStatusFromJournal(file).catch(() => last) : last;
		}
		if (last?.flagPercent === 0 && last.rollback !== null && ['applied', 'verified', 'not_healthy'].includes(last.rollback.phase)) return last;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	return last;
}

export async function runControlCommand(name: ControlCommandName, args: string[], io: CommandIo): Promise<number> {
	const parsed = parse(name, args);
	if (parsed.help) {
		io.stdout.write(
			`Usage: ${usages[name]}\n\nOptions for every control command:\n  --plan FILE  the launch plan (default: ./golive.json)\n  --json       one JSON object on stdout\n  --yes        confirm a dangerous command without a terminal\n\nExit codes: 0 done, 1 refused, 2 usage, 3 no owner / owner not answering, 4 rollback not verified (flag not read back at 0 %).\n`,
		);
		return 0;
	}
	const loaded = loadPlan(resolvePlanFile(parsed.plan, io.cwd ?? process.cwd()), io.env);
	if (!loaded.ok) {
		io.stderr.write(`golive ${name}: the plan is not valid:\n${formatPlanErrors(loaded.errors)}\n`);
		return 2;
	}
	const plan = loaded.plan;
	const journalDir = journalDirFor(plan);
	const socket = controlSocketPath(journalDir, plan);
	const {command} = parsed;
	if (!(await confirmed(plan, command, parsed.yes, name, io))) return 1;

	const reply = await sendControl(socket, command);
	if (reply.kind === 'answered') {
		if (!reply.response.ok) {
			io.stderr.write(`golive ${name}: the owner refused the request: ${reply.response.error}\n`);
			return 1;
		}
		const {accepted, detail} = reply.response;
		let status: StatusView | null = reply.response.status;
		if (command.command === 'rollback' && accepted) {
			status = await awaitFlagZero(socket, journalDir, plan, 30_000 + plan.canary.checkIntervalMs);
			const verified = status?.flagPercent === 0;
			print(io, parsed.json, {
				command: name,
				accepted: verified,
				detail: verified
					? `${detail}; flag reads 0 % (read back by the owner)`
					: `${detail}; the flag has NOT read back at 0 % (${status?.flagPercent ?? 'unknown'}): act by hand`,
				via: 'owner',
				status,
			});
			return verified ? 0 : 4;
		}
		print(io, parsed.json, {command: name, accepted, detail, via: 'owner', status});
		return accepted ? 0 : 1;
	}
	if (reply.kind === 'unreachable') {
		io.stderr.write(`golive ${name}: ${reply.why} (socket ${socket})\n`);
		return 3;
	}
	// No owner running.
	if (command.command === 'status') {
		const file = await newestJournal(journalDir, plan.service);
		if (file === null) {
			io.stderr.write(`golive status: no owner running and no journal of ${plan.service} in ${journalDir}\n`);
			return 3;
		}
		print(io, parsed.json, {command: name, accepted: true, detail: 'from the journal', via: 'journal', status: await readStatusFromJournal(file)});
		return 0;
	}
	if (command.command === 'rollback') {
		const done = await rollbackWithoutOwner({plan, env: io.env, journalDir, reason: command.reason, full: command.full, requester: cliRequester()});
		if (done.refused) {
			io.stderr.write(`golive rollback: ${done.refused}\n`);
			return 3;
		}
		const status = await readStatusFromJournal(done.journal).catch(() => null);
		print(io, parsed.json, {
			command: name,
			accepted: done.ok,
			detail: `no owner running: acted itself — ${done.detail}${done.ok ? '' : '. The flag is not where it must be: act by hand'} (journal ${done.journal})`,
			via: 'self',
			status,
		});
		return done.ok ? 0 : 4;
	}
	io.stderr.write(`golive ${name}: ${reply.why}. Start the launch with 'golive run --plan …' first.\n`);
	return 3;
}
