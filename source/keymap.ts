/**
 * Every key of the console in ONE table. The help bar, the help overlay and the
 * README key table (`readme-keys.ts`) are generated from it, so what the screen
 * says and what the keys do cannot drift apart.
 */

/** Ink's key flags that `lookupKey` reads (a structural subset of Ink's `Key`). */
export type KeyFlags = {
	ctrl?: boolean;
	meta?: boolean;
	return?: boolean;
	escape?: boolean;
};

export const keymap = [
	{action: 'promote', keys: ['p'], label: 'promote', description: 'Promote the canary to the next stage (confirms with the exact flag change)', dangerous: true, readOnlyOk: false},
	{action: 'emergency_rollback', keys: ['r'], label: 'rollback', description: 'Emergency rollback: flag to 0 % now (asks for a reason)', dangerous: true, readOnlyOk: false},
	{action: 'full_rollback', keys: ['R'], label: 'full rollback', short: 'full', description: 'Full rollback: run the configured rollback command (type the service name or ROLLBACK)', dangerous: true, readOnlyOk: false},
	{action: 'pause', keys: ['space'], label: 'pause', description: 'Pause or resume auto-advance (rollback triggers keep firing)', dangerous: false, readOnlyOk: false},
	{action: 'sign_off', keys: ['s'], label: 'sign off', description: 'Sign off a manual gate item (choose item, role, type your name)', dangerous: false, readOnlyOk: false},
	{action: 'rerun_step', keys: ['x'], label: 're-run step', short: 're-run', description: 'Run the failed runbook step again (confirms with its command)', dangerous: true, readOnlyOk: false},
	{action: 'note', keys: ['n'], label: 'note', description: 'Add an operator note to the journal and the event log', dangerous: false, readOnlyOk: false},
	{action: 'rearm', keys: ['a'], label: 're-arm', description: 'Re-arm after a rollback so the canary may promote again', dangerous: true, readOnlyOk: false},
	{action: 'help', keys: ['?'], label: 'help', description: 'Show or hide this key help', dangerous: false, readOnlyOk: true},
	{action: 'quit', keys: ['q', 'ctrl+c'], label: 'quit', description: 'Quit the console (confirms while a canary is live)', dangerous: false, readOnlyOk: true},
] as const;

export type KeyBinding = (typeof keymap)[number];
export type KeyAction = KeyBinding['action'];

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
	return byKey.get(keyName(input, key))?.action;
}

export function bindingFor(action: KeyAction): KeyBinding {
	const binding = keymap.find((b) => b.action === action);
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
