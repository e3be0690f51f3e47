/**
 * Key decoding over the command table (source/core/commands.ts). The help bar, the help overlay and the
 * README key table (`readme-keys.ts`) are generated from it, so what the screen
 * says and what the keys do cannot drift apart.
 */
import {commandTable} from './core/commands.js';

/** Ink's key flags that `lookupKey` reads (a structural subset of Ink's `Key`). */
export type KeyFlags = {
	ctrl?: boolean;
	meta?: boolean;
	return?: boolean;
	escape?: boolean;
	upArrow?: boolean;
	downArrow?: boolean;
	pageUp?: boolean;
	pageDown?: boolean;
};

/**
 * Keys that only move around the screen and change nothing (`view`): they stay
 * out of the one-line help bar (the `?` overlay and the README list them) and
 * work in a read-only watcher and after the launch ended. Operator commands
 * come from the one command table.
 */
const viewKeys = [
	{
		id: 'log_up',
		keys: ['up', 'k'],
		label: 'log up',
		description: 'Event log: select the line above (scrolls back)',
		dangerous: false,
		readOnlyOk: true,
		confirmation: null,
		view: true,
	},
	{
		id: 'log_down',
		keys: ['down', 'j'],
		label: 'log down',
		description: 'Event log: select the line below',
		dangerous: false,
		readOnlyOk: true,
		confirmation: null,
		view: true,
	},
	{
		id: 'log_page_up',
		keys: ['pageup'],
		label: 'log page up',
		description: 'Event log: one page back',
		dangerous: false,
		readOnlyOk: true,
		confirmation: null,
		view: true,
	},
	{
		id: 'log_page_down',
		keys: ['pagedown'],
		label: 'log page down',
		description: 'Event log: one page forward (to the newest: follows new lines again)',
		dangerous: false,
		readOnlyOk: true,
		confirmation: null,
		view: true,
	},
	{
		id: 'log_open',
		keys: ['enter'],
		label: 'open line',
		description: 'Event log: the selected line in full, with its ready-to-paste message',
		dangerous: false,
		readOnlyOk: true,
		confirmation: null,
		view: true,
	},
	{
		id: 'log_filter',
		keys: ['/'],
		label: 'filter',
		description: 'Event log: show only lines containing a text (empty: all)',
		dangerous: false,
		readOnlyOk: true,
		confirmation: null,
		view: true,
	},
	{
		id: 'zoom',
		keys: ['z'],
		label: 'zoom',
		description: 'Zoom: the Why and every gate item in full',
		dangerous: false,
		readOnlyOk: true,
		confirmation: null,
		view: true,
	},
] as const;

/** The command table (source/core/commands.ts) and the viewing keys: every key of the console. */
export const keymap = [...commandTable.map((c) => ({...c, view: false as const})), ...viewKeys];

export type KeyBinding = (typeof keymap)[number];
export type KeyAction = KeyBinding['id'];

/**
 * The key name of one press, in the table's spelling: `p`, `R`, `space`,
 * `ctrl+c`, `enter`, `escape`, `up`, `pageup`.
 */
export function keyName(input: string, key: KeyFlags): string {
	if (key.return) return 'enter';
	if (key.escape) return 'escape';
	if (key.upArrow) return 'up';
	if (key.downArrow) return 'down';
	if (key.pageUp) return 'pageup';
	if (key.pageDown) return 'pagedown';
	if (input === ' ') return 'space';
	if (key.ctrl && input.length === 1) return `ctrl+${input.toLowerCase()}`;
	if (key.meta && input.length === 1) return `meta+${input}`;
	return input;
}

const byKey = new Map<string, KeyBinding>(keymap.flatMap((binding) => binding.keys.map((k) => [k, binding] as const)));

/** The action bound to a key press, or undefined. Case matters: `r` is not `R`. */
export function lookupKey(input: string, key: KeyFlags): KeyAction | undefined {
	return byKey.get(keyName(input, key))?.id;
}

export function bindingFor(action: KeyAction): KeyBinding {
	const binding = keymap.find((b) => b.id === action);
	if (!binding) throw new Error(`no key binding for ${action}`);
	return binding;
}

/** `p`, `space`, `q/ctrl+c` as shown on screen. */
function keysLabel(binding: KeyBinding): string {
	return binding.keys.join('/');
}

export type HelpItem = {keys: string; label: string; short?: string; description: string; dangerous: boolean; view: boolean};

/**
 * The entries the help overlay shows, or (with `live`) the help bar: only the
 * keys that do something now.
 */
export function helpItems(live?: (action: KeyAction) => boolean): HelpItem[] {
	return keymap
		.filter((b) => live === undefined || (!b.view && live(b.id)))
		.map((b) => ({
			keys: keysLabel(b),
			label: b.label,
			...('short' in b ? {short: b.short} : {}),
			description: b.description,
			dangerous: b.dangerous,
			view: b.view,
		}));
}

/** The README's key table (markdown), generated so it cannot go stale. */
export function keyTableMarkdown(): string {
	const rows = keymap.map(
		(b) => `| ${b.keys.map((k) => `\`${k}\``).join(', ')} | ${b.description} | ${b.dangerous ? 'yes — confirms' : 'no'} | ${b.readOnlyOk ? 'yes' : 'no'} |`,
	);
	return ['| Key | Action | Dangerous | In a read-only watcher |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
