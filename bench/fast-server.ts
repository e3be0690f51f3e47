/**
 * A fast HTTP/1.1 server for the bench: a raw `net` server that answers every request
 * head with a canned keep-alive response. node:http costs more per request than the
 * clients being compared, so it would cap them all at the same number.
 *
 * Run as a process: `node dist/bench/fast-server.js MODE [ARG…]` prints `{"port":N}` on stdout.
 *   fast              answer at once
 *   delay MS          answer each request MS ms after it arrives
 *   stall AFTER MS    answer at once, except requests arriving in [first+AFTER, first+AFTER+MS) wait for its end
 *   variants N        answer at once with `X-Served-By: v1`, every Nth with `v2` (a canary at 100/N %)
 */
import net from 'node:net';
import {pathToFileURL} from 'node:url';

export type ServerMode =
	{kind: 'fast'} | {kind: 'delay'; ms: number} | {kind: 'stall'; afterMs: number; stallMs: number} | {kind: 'variants'; canaryEvery: number};

const body = 'ok\n';
const responseFrom = (extraHeader: string): Buffer =>
	Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n${extraHeader}\r\n${body}`);
const response = responseFrom('');
const servedBy = {v1: responseFrom('X-Served-By: v1\r\n'), v2: responseFrom('X-Served-By: v2\r\n')};

/** Counts request heads in a GET-only stream (no request bodies), keeping a partial terminator across chunks. */
function headCounter(): (chunk: Buffer) => number {
	let tail = '';
	return (chunk) => {
		const text = tail + chunk.toString('latin1');
		let count = 0;
		let from = 0;
		for (;;) {
			const i = text.indexOf('\r\n\r\n', from);
			if (i < 0) break;
			count++;
			from = i + 4;
		}
		tail = text.slice(Math.max(from, text.length - 3));
		return count;
	};
}

export function startFastServer(mode: ServerMode, port = 0): Promise<net.Server> {
	let first = 0;
	let served = 0;
	const server = net.createServer((socket) => {
		socket.setNoDelay(true);
		socket.on('error', () => {});
		const count = headCounter();
		socket.on('data', (chunk) => {
			const n = count(chunk);
			if (n === 0) return;
			const write = () => {
				if (socket.destroyed) return;
				if (n === 1) socket.write(response);
				else socket.write(Buffer.concat(Array.from({length: n}, () => response)));
			};
			switch (mode.kind) {
				case 'fast':
					write();
					return;
				case 'delay':
					setTimeout(write, mode.ms);
					return;
				case 'variants': {
					if (socket.destroyed) return;
					const answers = Array.from({length: n}, () => (++served % mode.canaryEvery === 0 ? servedBy.v2 : servedBy.v1));
					socket.write(n === 1 ? answers[0]! : Buffer.concat(answers));
					return;
				}
				case 'stall': {
					const t = performance.now();
					if (first === 0) first = t;
					const stallStart = first + mode.afterMs;
					const stallEnd = stallStart + mode.stallMs;
					if (t >= stallStart && t < stallEnd) setTimeout(write, stallEnd - t);
					else write();
					return;
				}
				default: {
					const _never: never = mode;
					return _never;
				}
			}
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve(server));
	});
}

function parseMode(argv: string[]): ServerMode {
	const [kind, a, b] = argv;
	if (kind === 'delay') return {kind: 'delay', ms: Number(a)};
	if (kind === 'stall') return {kind: 'stall', afterMs: Number(a), stallMs: Number(b)};
	if (kind === 'variants') return {kind: 'variants', canaryEvery: Math.max(1, Number(a) || 10)};
	return {kind: 'fast'};
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const server = await startFastServer(parseMode(process.argv.slice(2)));
	const address = server.address() as net.AddressInfo;
	process.stdout.write(`${JSON.stringify({port: address.port})}\n`);
	// Exit at once: server.close() would wait for the clients' keep-alive sockets.
	process.on('SIGTERM', () => process.exit(0));
}
