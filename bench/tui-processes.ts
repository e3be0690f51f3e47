/**
 * The processes the console bench measures: CPU time from /proc, reaping, and the bench's own
 * tmux server with one 160×48 pane per measured program.
 */
import {execFile, execFileSync} from 'node:child_process';
import {readFileSync, rmSync} from 'node:fs';
import {promisify} from 'node:util';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Clock ticks per second of /proc stat times; 100 on every Linux we run on. */
const clockTicks = (() => {
	try {
		const n = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8', timeout: 2000}).trim());
		return Number.isFinite(n) && n > 0 ? n : 100;
	} catch {
		return 100;
	}
})();

/** utime + stime of a process (all its threads, the probe worker included), seconds. */
export function cpuSeconds(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// Fields after the command name, which may itself hold spaces and parentheses.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// utime and stime are fields 14 and 15 of the whole line, 12 and 13 after "pid (comm) ".
	return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

export function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Waits (bounded) for `pid` to go; SIGKILLs it past the deadline. */
export async function reap(pid: number, timeoutMs = 3000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (alive(pid) && Date.now() < deadline) await sleep(25);
	if (alive(pid)) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// Already gone.
		}
	}
}

/** The bench's own tmux server (own socket), one pane per measured program. */
export class Tmux {
	readonly socket = `golive-tui-bench-${process.pid}`;

	async cmd(...args: string[]): Promise<string> {
		const {stdout} = await run('tmux', ['-L', this.socket, ...args], {encoding: 'utf8', timeout: 5000});
		return stdout;
	}

	/** Starts `command` in a detached 160×48 session; returns the pane's pid (the program: `exec`). */
	async start(session: string, command: string): Promise<number> {
		const out = await this.cmd('new-session', '-d', '-P', '-F', '#{pane_pid}', '-s', session, '-x', '160', '-y', '48', `exec ${command}`);
		return Number(out.trim());
	}

	async screen(session: string): Promise<string> {
		return this.cmd('capture-pane', '-p', '-t', session);
	}

	async stop(session: string, pid: number): Promise<void> {
		await this.cmd('kill-session', '-t', session).catch(() => '');
		await reap(pid);
	}

	async close(): Promise<void> {
		const socketPath = (await this.cmd('display-message', '-p', '#{socket_path}').catch(() => '')).trim();
		await this.cmd('kill-server').catch(() => '');
		// kill-server leaves the socket file behind.
		if (socketPath) rmSync(socketPath, {force: true});
	}
}
