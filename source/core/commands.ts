/**
 * Every operator command in ONE table: its keys, whether it is dangerous (it
 * can move the flag or re-enable moving it), whether a read-only watcher may
 * use it, and what confirming it asks. The keymap, the console's UI reducer,
 * the engine and command-line control read this table; none keeps its own list.
 */
import type {OperatorCommand} from './operator-commands.js';

export const commandTable = [
	{
		id: 'promote',
		keys: ['p'],
		label: 'promote',
		description:
			'Promote the canary to the next stage, or a later one chosen in the dialog (confirms the exact flag change; before the stage held its green time, type SKIP)',
		dangerous: true,
		readOnlyOk: false,
		confirmation: 'Confirm the exact flag change: y or Enter sends it; before the stage held its green time, type SKIP',
	},
	{
		id: 'emergency_rollback',
		keys: ['r'],
		label: 'rollback',
		description: 'Emergency rollback: flag to 0 % now (asks for a reason)',
		dangerous: true,
		readOnlyOk: false,
		confirmation: 'Type the reason (it goes into the journal and the report); Enter sends the rollback',
	},
	{
		id: 'full_rollback',
		keys: ['R'],
		label: 'full rollback',
		short: 'full',
		description: "Full rollback: flag to 0 % and the plan's rollback command, which the dialog names (type the service name or ROLLBACK)",
		dangerous: true,
		readOnlyOk: false,
		confirmation: 'Type the reason, then the service name or ROLLBACK',
	},
	{
		id: 'pause',
		keys: ['space'],
		label: 'pause',
		description: 'Pause or resume auto-advance (rollback triggers keep firing); with --manual nothing auto-advances, so it does nothing',
		dangerous: false,
		readOnlyOk: false,
		confirmation: null,
	},
	{
		id: 'sign_off',
		keys: ['s'],
		label: 'sign off',
		description: 'Sign off a manual gate item (choose item, role, type your name)',
		dangerous: false,
		readOnlyOk: false,
		confirmation: null,
	},
	{
		id: 'note',
		keys: ['n'],
		label: 'note',
		description: 'Add an operator note to the journal and the event log',
		dangerous: false,
		readOnlyOk: false,
		confirmation: null,
	},
	{
		id: 'rearm',
		keys: ['a'],
		label: 're-arm',
		description: 'Re-arm after a rollback so the canary may promote again (keeps --manual or auto)',
		dangerous: true,
		readOnlyOk: false,
		confirmation: 'Confirm re-arming: y or Enter allows promotion again',
	},
	{
		id: 'acknowledge',
		keys: ['o'],
		label: 'acknowledge',
		short: 'ack',
		description:
			'Acknowledge a flag change made outside golive: go on from the value the flag reads now (a stage: its soak starts over, triggers armed; 0 %: stays at 0 until you promote)',
		dangerous: true,
		readOnlyOk: false,
		confirmation: 'Confirm going on from the flag as it reads now: y or Enter acknowledges (nothing is written)',
	},
	{
		id: 'rerun_step',
		keys: ['x'],
		label: 're-run step',
		short: 're-run',
		description: 'Run the failed runbook step again (confirms with its command)',
		dangerous: true,
		readOnlyOk: false,
		confirmation: 'Confirm running the step again: y or Enter runs it when its gate is worked on',
	},
	{id: 'help', keys: ['?'], label: 'help', description: 'Show or hide this key help', dangerous: false, readOnlyOk: true, confirmation: null},
	{
		id: 'quit',
		keys: ['q', 'ctrl+c'],
		label: 'quit',
		description: 'Quit the console (confirms while a canary is live)',
		dangerous: false,
		readOnlyOk: true,
		confirmation: 'The canary is live: y or Enter leaves it unwatched',
	},
] as const;

export type CommandSpec = (typeof commandTable)[number];
export type CommandId = CommandSpec['id'];

export function commandSpec(id: CommandId): CommandSpec {
	const spec = commandTable.find((c) => c.id === id);
	if (!spec) throw new Error(`no command ${id}`);
	return spec;
}

/** The table entry an operator command belongs to: `resume` is the second half of the pause toggle. */
export function commandIdOf(command: OperatorCommand): CommandId {
	return command.type === 'resume' ? 'pause' : command.type;
}

/** Whether a command can move the flag (or re-enable moving it): it confirms and a read-only watcher may not send it. */
export function isDangerous(command: OperatorCommand): boolean {
	return commandSpec(commandIdOf(command)).dangerous;
}
