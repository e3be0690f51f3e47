/**
 * The control socket on its own: private directory and socket modes, one
 * request per connection, bad, oversized and slow requests answered or closed
 * (never a crash), a second owner refused, a silent owner timed out.
 */
import {mkdtemp, stat} from 'node:fs/promises';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {controlSocketPath, parseControlRequest, type ControlRequest, type ControlResponse, type StatusView} from '../source/control/protocol.js';
import {sendControl} from '../source/control/socket-client.js';
import {startControlServer, type ControlServer} from '../source/control/socket-server.js';

const servers: ControlServer[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map((s) => s.close()));
});

const status: StatusView = {
	source: 'owner',
	at: new Date(0).toISOString(),
	service: 's',
	environment: 'e',
	flag: 'F',
	flagPercent: 10,
	phase: 'stage',
	stage: {percent: 10, index: 0},
	paused: false,
	armed: true,
	rules: [],
	decision: null,
	rollback: null,
	outcome: null,
	journal: null,
	ownerPid: 1,
};

async function serve(handle: (r: ControlRequest) => Promise<ControlResponse>, timeoutMs = 2000): Promise<ControlServer> {
	const dir = await mkdtemp(path.join(tmpdir(), 'golive-sock-'));
	const server = await startControlServer({
		socketPath: controlSocketPath(dir, {service: 'StatusBoardV2', environment: 'production', canary: {flag: 'F'}}),
		handle,
		timeoutMs,
		maxBytes: 1024,
	});
	servers.push(server);
	return server;
}

/** Sends raw bytes and returns everything the server says before it closes. */
function raw(socketPath: string, data: string | null): Promise<{text: string; ms: number}> {
	const started = Date.now();
	return new Promise((resolve) => {
		let text = '';
		const socket = net.connect(socketPath, () => {
			if (data !== null) socket.write(data);
		});
		socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
		socket.on('close', () => resolve({text, ms: Date.now() - started}));
		socket.on('error', () => undefined);
	});
}

it('listens in a directory only its user may enter, on a socket only its user may open', async () => {
	const server = await serve(async () => ({ok: true, accepted: true, detail: 'status', status}));
	expect((await stat(path.dirname(server.path))).mode & 0o777).toBe(0o700);
	expect((await stat(server.path)).mode & 0o777).toBe(0o600);
	const reply = await sendControl(server.path, {command: 'status'});
	expect(reply).toMatchObject({kind: 'answered', response: {ok: true, status: {flagPercent: 10}}});
});

it('hands the handler a validated request with who asked', async () => {
	let seen: ControlRequest | null = null;
	const server = await serve(async (r) => {
		seen = r;
		return {ok: true, accepted: false, detail: 'refused', status};
	});
	await sendControl(server.path, {command: 'rollback', reason: 'drill \u001b[31mred', full: false});
	expect(seen).toMatchObject({command: 'rollback', full: false, requester: {by: 'cli', pid: process.pid}});
	expect((seen as unknown as {reason: string}).reason).not.toContain('\u001b');
});

it('answers bad, oversized and silent requests with an error and closes; the server keeps serving', async () => {
	const server = await serve(async () => ({ok: true, accepted: true, detail: 'status', status}), 300);
	expect(JSON.parse((await raw(server.path, 'not json\n')).text)).toEqual({ok: false, error: 'request is not JSON'});
	expect(JSON.parse((await raw(server.path, `${JSON.stringify({v: 2})}\n`)).text).error).toContain('version');
	expect(JSON.parse((await raw(server.path, 'x'.repeat(5000))).text).error).toContain('longer than 1024 bytes');
	const silent = await raw(server.path, null);
	expect(JSON.parse(silent.text).error).toContain('no complete request within 300 ms');
	expect(silent.ms).toBeLessThan(5000);
	expect(await sendControl(server.path, {command: 'status'})).toMatchObject({kind: 'answered'});
});

it('refuses a second owner on the same socket', async () => {
	const server = await serve(async () => ({ok: true, accepted: true, detail: 'status', status}));
	await expect(startControlServer({socketPath: server.path, handle: async () => ({ok: false, error: 'x'})})).rejects.toThrow(/another golive already listens/);
});

it('the client tells "no owner" from "owner not answering"', async () => {
	const dir = await mkdtemp(path.join(tmpdir(), 'golive-sock-'));
	expect(await sendControl(path.join(dir, 'none.sock'), {command: 'status'})).toMatchObject({kind: 'no_owner'});
	const server = await serve(() => new Promise(() => undefined));
	const started = Date.now();
	expect(await sendControl(server.path, {command: 'status'}, {timeoutMs: 300})).toMatchObject({
		kind: 'unreachable',
		why: expect.stringContaining('did not answer') as unknown,
	});
	expect(Date.now() - started).toBeLessThan(5000);
});

it('validates every field of a request', () => {
	const requester = {by: 'cli', user: 'ana', pid: 42};
	const parse = (r: object) => parseControlRequest(JSON.stringify({v: 1, requester, ...r}));
	expect(parse({command: 'promote', to: 30})).toMatchObject({ok: true, request: {command: 'promote', to: 30, skipSoak: false}});
	expect(parse({command: 'promote', to: 1e9})).toMatchObject({ok: false});
	expect(parse({command: 'rollback'})).toMatchObject({ok: false, error: expect.stringContaining('reason') as unknown});
	expect(parse({command: 'sign_off', gate: 'A', itemId: 'a_uat', role: 'qa_lead'})).toMatchObject({ok: false});
	expect(parse({command: 'rm -rf'})).toMatchObject({ok: false});
	expect(parseControlRequest(JSON.stringify({v: 1, command: 'status'}))).toMatchObject({ok: false, error: expect.stringContaining('requester') as unknown});
	expect(parseControlRequest('[1]')).toMatchObject({ok: false});
});
