/** Loopback servers and a bounded engine run, shared by the probe tests. */
import net from 'node:net';
import http from 'node:http';
import type {ProbeSpec} from '../source/core/plan-types.js';
import type {ProbeEngineOptions, ProbeTotals} from '../probes/probe-engine.js';
import {createProbeEngine} from '../probes/probe-engine.js';
import type {ProbeSnapshot} from '../source/core/measurements.js';

export function listen(server: net.Server): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
	});
}

/** Closes a server and every socket it holds (a stalled test server would keep it open). */
export function closeServer(server: net.Server, sockets: Set<{destroy(): void}>): Promise<void> {
	for (const s of sockets) s.destroy();
	return new Promise((resolve) => server.close(() => resolve()));
}

/** A raw TCP server; `onSocket` decides what the "HTTP server" does. Tracks sockets for cleanup. */
export async function rawServer(onSocket: (socket: net.Socket) => void): Promise<{port: number; close(): Promise<void>; sockets: Set<net.Socket>}> {
	const sockets = new Set<net.Socket>();
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => {});
		onSocket(socket);
	});
	const port = await listen(server);
	return {port, sockets, close: () => closeServer(server, sockets)};
}

export async function httpServer(handler: http.RequestListener): Promise<{port: number; close(): Promise<void>; server: http.Server}> {
	const sockets = new Set<net.Socket>();
	const server = http.createServer(handler);
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	const port = await listen(server);
	return {port, server, close: () => closeServer(server, sockets)};
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
	const server = net.createServer();
	const port = await listen(server);
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

export function probe(overrides: Partial<ProbeSpec> = {}): ProbeSpec {
	return {id: 'p', label: 'p', method: 'GET', path: '/', ratePerSec: 20, timeoutMs: 1000, maxResponseBytes: 1_048_576, kind: 'read', ...overrides};
}

/** Runs an engine for `ms`, returns its whole-run totals and final snapshot. */
export async function runFor(options: ProbeEngineOptions, ms: number): Promise<{totals: ProbeTotals; snapshot: ProbeSnapshot}> {
	const engine = createProbeEngine({keepTotals: true, ...options});
	engine.start();
	await new Promise((resolve) => setTimeout(resolve, ms));
	await engine.stop();
	return {totals: engine.totals()[0]!, snapshot: engine.snapshot()[0]!};
}
