/**
 * The tmux tests' terminal: a tmux server on its own socket, one session, the
 * pane read back with capture-pane. `.ci/run` installs tmux and sets
 * GOLIVE_REQUIRE_TMUX: there a missing tmux or build fails the file instead of
 * skipping it.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, rmSync} from 'node:fs';

export const cli = process.env['GOLIVE_CLI'] ?? new URL('../../dist/bin/golive.js', import.meta.url).pathname;
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
/** Whether the tmux tests can run here (tmux and the build). */
export const tmuxReady = hasTmux && existsSync(cli);
if (process.env['GOLIVE_REQUIRE_TMUX'] && !tmuxReady) throw new Error(`the tmux test needs tmux and ${cli} (GOLIVE_REQUIRE_TMUX is set)`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type TmuxPane = {
	tmux(...args: string[]): string;
	/** Starts the session: a `width` × `height` pane running `command` (through the shell). */
	start(width: number, height: number, command: string): void;
	/** The pane's text; with `escapes`, its colours too (capture-pane -e). */
	screen(escapes?: boolean): string;
	keys(...k: string[]): string;
	/** Polls the pane (bounded) until `check` holds; returns the screen, or throws with the last one. */
	waitFor(check: (text: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
	/** Kills the server and removes its socket file (kill-server leaves it behind). */
	close(): void;
};

export function tmuxPane(name: string, session: string, pollMs = 250): TmuxPane {
	const socket = `golive-${name}-${process.pid}`;
	const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
	const screen = (escapes = false) => tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', session);
	return {
		tmux,
		start: (width, height, command) => void tmux('new-session', '-d', '-s', session, '-x', String(width), '-y', String(height), command),
		screen,
		keys: (...k) => tmux('send-keys', '-t', session, ...k),
		async waitFor(check, what, timeoutMs = 30_000) {
			const deadline = Date.now() + timeoutMs;
			let text = '';
			while (Date.now() < deadline) {
				text = screen();
				if (check(text)) return text;
				await sleep(pollMs);
			}
			throw new Error(`waited ${timeoutMs} ms for ${what}; screen:\n${text}`);
		},
		close() {
			if (!hasTmux) return;
			const socketPath = spawnSync('tmux', ['-L', socket, 'display-message', '-p', '#{socket_path}'], {encoding: 'utf8'}).stdout.trim();
			spawnSync('tmux', ['-L', socket, 'kill-server']);
			if (socketPath) rmSync(socketPath, {force: true});
		},
	};
}
