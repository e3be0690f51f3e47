/**
 * The console of a read-only watcher: another process owns the flag, so this
 * screen only shows the owner's launch as its journal tells it, under a
 * "WATCHING — owner pid N on host H since …; read-only" header. Keys that
 * would act are refused with one line saying why and what goes through the
 * owner instead. No Ink: a few lines redrawn when something changes.
 */
import {commandTable, type CommandId} from './core/commands.js';

/** What the watcher screen shows. */
export type WatchView = {
	header: string;
	/** Service, stage, flag, last decision. */
	status: string[];
	/** The owner's recent journal lines, oldest first. */
	log: string[];
	/** Set once the owner's launch ended (or the watcher stopped following). */
	ended: string | null;
};

/** The control command that reaches the owner instead of the key, where there is one. */
const throughOwner: Partial<Record<CommandId, string>> = {
	promote: 'golive promote',
	emergency_rollback: 'golive rollback --reason …',
	full_rollback: 'golive rollback --full --reason …',
	pause: 'golive pause / golive resume',
	sign_off: 'golive sign-off …',
	note: 'golive note …',
};

/** Why a key does nothing here, or null for the keys a watcher may use (help, quit). */
export function watchKeyRefusal(key: string, owner: string): string | null {
	const spec = commandTable.find((c) => (c.keys as readonly string[]).includes(key));
	if (!spec) return `no key "${key.slice(0, 8)}" here: q quits, ? shows the keys`;
	if (spec.readOnlyOk) return null;
	const via = throughOwner[spec.id];
	return `read-only: ${spec.label} refused — ${owner} owns this flag${via ? ` (${via} goes through it)` : ''}`;
}

/** `text` in lines of at most `width`, at most `lines` of them (the last cut with …). */
function wrap(text: string, width: number, lines: number): string[] {
	const out: string[] = [];
	let rest = text;
	while (rest.length > width && out.length < lines - 1) {
		const space = rest.lastIndexOf(' ', width);
		const at = space > 0 ? space : width;
		out.push(rest.slice(0, at));
		rest = rest.slice(at).trimStart();
	}
	return [...out, rest];
}

export function renderWatchScreen(view: WatchView, options: {width: number; height: number; flash: string | null; help: boolean}): string {
	const cut = (text: string) => (text.length > options.width ? `${text.slice(0, options.width - 1)}…` : text);
	const top = [view.header, ...view.status, ''];
	const bottom = [
		...wrap(view.ended ?? '', options.width, 3),
		options.flash ?? '',
		options.help
			? `keys: q quit · ? help · refused here: ${commandTable
					.filter((c) => !c.readOnlyOk)
					.map((c) => c.keys.join('/'))
					.join(' ')}`
			: 'q quit · ? keys · read-only',
	];
	const room = Math.max(0, options.height - top.length - bottom.length - 1);
	const log = ["Owner's journal:", ...view.log.slice(-room)];
	return [...top, ...log, ...bottom].map(cut).join('\n');
}

export type WatchConsole = {update(view: WatchView): void; close(): void};

function keyName(chunk: string): string {
	if (chunk === '\u0003') return 'ctrl+c';
	if (chunk === ' ') return 'space';
	return chunk;
}

/** Draws on the terminal and reads keys until q (or Ctrl-C); `onQuit` is called once. */
export function startWatchConsole(options: {stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream; owner: string; onQuit: () => void}): WatchConsole {
	const {stdin, stdout} = options;
	let view: WatchView = {header: '', status: [], log: [], ended: null};
	let flash: string | null = null;
	let help = false;
	let closed = false;
	let shown = '';
	const draw = () => {
		const frame = renderWatchScreen(view, {width: stdout.columns ?? 100, height: stdout.rows ?? 30, flash, help});
		// Redrawn only when it changed: the journal is polled 4 times a second, the screen must not flicker.
		if (closed || frame === shown) return;
		shown = frame;
		stdout.write(`\u001b[H\u001b[2J${frame}`);
	};
	const onData = (data: Buffer | string) => {
		const text = String(data);
		// An escape sequence (an arrow key) is one key; anything else is typed characters, a burst in order.
		for (const chunk of text.startsWith('\u001b') ? [text] : [...text]) {
			const key = keyName(chunk);
			if (key === 'q' || key === 'ctrl+c') {
				options.onQuit();
				return;
			}
			if (key === '?') help = !help;
			else flash = watchKeyRefusal(key, options.owner);
		}
		draw();
	};
	stdout.write('\u001b[?1049h\u001b[?25l');
	if (stdin.isTTY) stdin.setRawMode(true);
	stdin.on('data', onData);
	stdin.resume();
	const redraw = () => {
		shown = '';
		draw();
	};
	stdout.on('resize', redraw);
	return {
		update(next) {
			view = next;
			draw();
		},
		close() {
			if (closed) return;
			closed = true;
			stdin.off('data', onData);
			stdout.off('resize', redraw);
			if (stdin.isTTY) stdin.setRawMode(false);
			stdin.pause();
			stdout.write('\u001b[?25h\u001b[?1049l');
		},
	};
}
