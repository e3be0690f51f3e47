/**
 * The owner's end of the control socket. The socket lives in a directory only
 * the owner's user may enter (0700) and is itself 0600: the file system is the
 * access check. Each connection carries one request line and gets one response
 * line; oversized, slow or malformed requests are answered with an error and
 * closed, never crash the launch.
 */
import {chmod, lstat, mkdir, unlink} from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {controlTimeoutMs, maxControlMessageBytes, parseControlRequest, type ControlRequest, type ControlResponse} from './protocol.js';

export type ControlServer = {path: string; close(): Promise<void>};

export type ControlServerOptions = {
	socketPath: string;
	handle: (request: ControlRequest) => Promise<ControlResponse>;
	/** @default controlTimeoutMs (5000) */
	timeoutMs?: number;
	/** @default maxControlMessageBytes (64 KiB) */
	maxBytes?: number;
};

/** Connecting succeeds only when someone listens: a leftover socket file from a dead owner refuses. */
function someoneListens(socketPath: string): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect(socketPath);
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
		socket.setTimeout(1000, () => {
			socket.destroy();
			resolve(true);
		});
	});
}

/** The directory exists, is ours, is a directory (not a link), and nobody else may enter it. */
async function privateDirectory(dir: string): Promise<void> {
	await mkdir(dir, {recursive: true, mode: 0o700});
	const info = await lstat(dir);
	if (!info.isDirectory()) throw new Error(`${dir} is not a directory`);
	if (typeof process.getuid === 'function' && info.uid !== process.getuid()) throw new Error(`${dir} belongs to another user`);
	await chmod(dir, 0o700);
}

function respond(socket: net.Socket, response: ControlResponse): void {
	if (!socket.destroyed) socket.end(`${JSON.stringify(response)}\n`);
}

/** Listens on `socketPath`; throws when another live owner already does. */
export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
	const {socketPath, handle} = options;
	const timeoutMs = options.timeoutMs ?? controlTimeoutMs;
	const maxBytes = options.maxBytes ?? maxControlMessageBytes;
	await privateDirectory(path.dirname(socketPath));
	const existing = await lstat(socketPath).catch(() => null);
	if (existing) {
		if (!existing.isSocket()) throw new Error(`${socketPath} exists and is not a socket`);
		if (await someoneListens(socketPath)) throw new Error(`another golive already listens on ${socketPath}`);
		await unlink(socketPath);
	}
	const server = net.createServer((socket) => {
		let buffered = '';
		let answered = false;
		socket.setEncoding('utf8');
		socket.setTimeout(timeoutMs, () => {
			if (!answered) respond(socket, {ok: false, error: `no complete request within ${timeoutMs} ms`});
			socket.destroy();
		});
		socket.on('error', () => socket.destroy());
		socket.on('data', (chunk: string) => {
			if (answered) return;
			buffered += chunk;
			const newline = buffered.indexOf('\n');
			if (newline < 0) {
				if (Buffer.byteLength(buffered) > maxBytes) {
					answered = true;
					respond(socket, {ok: false, error: `request longer than ${maxBytes} bytes`});
				}
				return;
			}
			answered = true;
			const parsed = parseControlRequest(buffered.slice(0, newline));
			if (!parsed.ok) {
				respond(socket, {ok: false, error: parsed.error});
				return;
			}
			handle(parsed.request).then(
				(response) => respond(socket, response),
				(error: unknown) => respond(socket, {ok: false, error: `the owner could not handle it: ${error instanceof Error ? error.message : String(error)}`}),
			);
		});
	});
	server.maxConnections = 16;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(socketPath, () => {
			server.off('error', reject);
			resolve();
		});
	});
	await chmod(socketPath, 0o600);
	return {
		path: socketPath,
		async close() {
			await new Promise<void>((resolve) => server.close(() => resolve()));
			await unlink(socketPath).catch(() => undefined);
		},
	};
}
