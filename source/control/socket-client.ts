/**
 * The command line's end of the control socket: one request, one response,
 * bounded in size and time. "Nobody listens" is an answer of its own (the
 * commands then read the journal or act themselves), distinct from an owner
 * that listens but does not answer.
 */
import os from 'node:os';
import net from 'node:net';
import {
	controlTimeoutMs,
	maxControlMessageBytes,
	parseControlResponse,
	type ControlCommand,
	type ControlRequest,
	type ControlResponse,
	type Requester,
} from './protocol.js';

export type ControlReply = {kind: 'answered'; response: ControlResponse} | {kind: 'no_owner'; why: string} | {kind: 'unreachable'; why: string};

export type ControlClientOptions = {
	/** @default controlTimeoutMs (5000) */
	timeoutMs?: number;
};

/** This process as the one asking: `by: cli`, the OS user. */
export function cliRequester(): Requester {
	let user = process.env.USER ?? 'unknown';
	try {
		user = os.userInfo().username;
	} catch {
		// No passwd entry (containers): keep $USER.
	}
	return {by: 'cli', user, pid: process.pid};
}

export function sendControl(socketPath: string, command: ControlCommand, options: ControlClientOptions = {}): Promise<ControlReply> {
	const timeoutMs = options.timeoutMs ?? controlTimeoutMs;
	const request: ControlRequest = {...command, v: 1, requester: cliRequester()};
	return new Promise((resolve) => {
		let settled = false;
		let buffered = '';
		const socket = net.connect(socketPath);
		const finish = (reply: ControlReply): void => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			socket.destroy();
			resolve(reply);
		};
		const timer = setTimeout(() => finish({kind: 'unreachable', why: `the owner did not answer within ${timeoutMs} ms`}), timeoutMs);
		socket.setEncoding('utf8');
		socket.once('connect', () => socket.write(`${JSON.stringify(request)}\n`));
		socket.on('data', (chunk: string) => {
			buffered += chunk;
			const newline = buffered.indexOf('\n');
			if (newline >= 0) finish({kind: 'answered', response: parseControlResponse(buffered.slice(0, newline))});
			else if (Buffer.byteLength(buffered) > maxControlMessageBytes)
				finish({kind: 'unreachable', why: `the owner's answer is longer than ${maxControlMessageBytes} bytes`});
		});
		socket.on('end', () => finish({kind: 'unreachable', why: 'the owner closed the connection without an answer'}));
		socket.on('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED')
				finish({kind: 'no_owner', why: `no golive owns this launch (${error.code === 'ENOENT' ? 'no control socket' : 'socket left by a stopped owner'})`});
			else finish({kind: 'unreachable', why: `control socket: ${error.code ?? error.message}`});
		});
	});
}
