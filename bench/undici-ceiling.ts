/**
 * The ceiling golive's closed loop is held against: a bare undici `Pool.dispatch` loop with
 * the same pool settings as the probe engine (pipelining 1, one connection per loop) and a
 * handler that does nothing but count. No histogram, no deadline, no clock: whatever golive
 * spends above this is golive's own cost per request.
 *
 * Run as a process: `node dist/bench/undici-ceiling.js '{"url":…,"connections":10,"durationMs":4000}'`
 * prints one JSON `CeilingResult` line.
 */
import {pathToFileURL} from 'node:url';
import {Client, Pool} from 'undici';
import type {Dispatcher} from 'undici';

export type CeilingConfig = {
	url: string;
	connections: number;
	durationMs: number;
	/** 'pool': one Pool of `connections` (what golive's engine uses); 'client': one Client per loop. @default 'pool' */
	dispatcher?: 'pool' | 'client';
};

export type CeilingResult = {requests: number; rps: number; errors: number; cpuUsPerRequest: number};

export async function runUndiciCeiling(config: CeilingConfig): Promise<CeilingResult> {
	const url = new URL(config.url);
	const dispatchers: Dispatcher[] =
		config.dispatcher === 'client'
			? Array.from({length: config.connections}, () => new Client(url.origin, {pipelining: 1, keepAliveTimeout: 10_000}))
			: [new Pool(url.origin, {connections: config.connections, pipelining: 1, keepAliveTimeout: 10_000})];
	const options: Dispatcher.DispatchOptions = {method: 'GET', path: url.pathname, headers: {}};
	let requests = 0;
	let errors = 0;
	let running = true;
	const loop = (pool: Dispatcher): void => {
		if (!running) return;
		pool.dispatch(options, {
			onRequestStart() {},
			onResponseStart() {},
			onResponseData() {},
			onResponseEnd() {
				requests++;
				process.nextTick(loop, pool);
			},
			onResponseError() {
				errors++;
				process.nextTick(loop, pool);
			},
		});
	};
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	for (let i = 0; i < config.connections; i++) loop(dispatchers[i % dispatchers.length]!);
	await new Promise((resolve) => setTimeout(resolve, config.durationMs));
	running = false;
	const elapsed = performance.now() - t0;
	const cpu = process.cpuUsage(cpu0);
	await Promise.all(dispatchers.map((d) => d.destroy()));
	return {requests, rps: (requests / elapsed) * 1000, errors, cpuUsPerRequest: requests > 0 ? (cpu.user + cpu.system) / requests : Number.NaN};
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const result = await runUndiciCeiling(JSON.parse(process.argv[2] ?? '{}') as CeilingConfig);
	process.stdout.write(`${JSON.stringify(result)}\n`);
}
