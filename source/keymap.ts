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
};

/** The command table (source/core/commands.ts) is the keymap: keys, labels, dangerous, read-only. */
export const keymap = commandTable;

export type KeyBinding = (typeof keymap)[number];
export type KeyAction = KeyBinding['id'];

/**
 * The key name of one press, in the table's spelling: `p`, `R`, `space`,
 * `ctrl+c`, `enter`, `escape`.
 */
export function keyName(input: string, key: KeyFlags): string {
	if (key.return) return 'enter';
	if (key.escape) return 'escape';
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
export function keysLabel(binding: KeyBinding): string {
	return binding.keys.join('/');
}

export type HelpItem = {keys: string; label: string; short?: string; description: string; dangerous: boolean};

/** The entries the help bar and overlay show; a read-only watcher does not see what it cannot do. */
export function helpItems(readOnly: boolean): HelpItem[] {
	return keymap
		.filter((b) => !readOnly || b.readOnlyOk)
		.map((b) => ({keys: keysLabel(b), label: b.label, ...('short' in b ? {short: b.short} : {}), description: b.description, dangerous: b.dangerous}));
}

/** The README's key table (markdown), generated so it cannot go stale. */
export function keyTableMarkdown(): string {
	const rows = keymap.map((b) => `| ${b.keys.map((k) => `\`${k}\``).join(', ')} | ${b.description} | ${b.dangerous ? 'yes — confirms' : 'no'} | ${b.readOnlyOk ? 'yes' : 'no'} |`);
	return ['| Key | Action | Dangerous | In a read-only watcher |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
