/**
 * golive's own per-request cost, piece by piece, without the network: each piece of the probe
 * hot path (clock calls, one HDR record, recording a finished request, recording lag, one
 * request's handler lifecycle through a synchronous fake dispatcher) run many times and timed
 * in CPU time, median of rounds. CPU time per operation survives a loaded machine far better
 * than requests per second do, and the sum says how much of a request's total CPU (undici's
 * and the kernel's included, from the closed-loop rows) is golive's to lower.
 *
 * `node dist/bench/hot-path-costs.js` prints one line per piece; `npm run bench` includes them.
 */
import {pathToFileURL} from 'node:url';
import type {Pool} from 'undici';
import {createHistogram, destroyHistogram, recordMicros} from '../probes/histograms.js';
import type {RequestOutcome, RequestSpec} from '../probes/http-client.js';
import {DeadlineQueue, dispatchRequest} from '../probes/http-client.js';
import {ProbeState} from '../probes/probe-state.js';
import {median} from './bench-stats.js';

export type PieceCost = {piece: string; nsPerOp: number[]};

/** CPU ns per call of `fn`, one value per round. */
function timeCpu(fn: (i: number) => void, iterations: number, rounds: number): number[] {
	for (let i = 0; i < Math.min(iterations, 20_000); i++) fn(i); // warm-up: JIT
	const out: number[] = [];
	for (let r = 0; r < rounds; r++) {
		const c0 = process.cpuUsage();
		for (let i = 0; i < iterations; i++) fn(i);
		const c = process.cpuUsage(c0);
		out.push(((c.user + c.system) * 1000) / iterations);
	}
	return out;
}

const spec: RequestSpec = {
	method: 'GET',
	path: '/',
	headers: {},
	body: undefined,
	timeoutMs: 10_000,
	maxResponseBytes: 1_048_576,
	wantJson: false,
	variantHeader: undefined,
};
const body = Buffer.from('ok\n');
const headers = {'content-type': 'text/plain', 'content-length': '3'};
const controller = {abort() {}, pause() {}, resume() {}};

/** A dispatcher that answers at once, calling the handler as undici does (v7 handler API). */
const instantPool = {
	dispatch(
		_options: unknown,
		handler: {
			onRequestStart(c: unknown): void;
			onResponseStart(c: unknown, s: number, h: unknown): void;
			onResponseData(c: unknown, b: Buffer): void;
			onResponseEnd(c: unknown, t: unknown): void;
		},
	) {
		handler.onRequestStart(controller);
		handler.onResponseStart(controller, 200, headers);
		handler.onResponseData(controller, body);
		handler.onResponseEnd(controller, {});
		return true;
	},
} as unknown as Pool;

export function hotPathCosts(rounds = 5, iterations = 200_000): PieceCost[] {
	const state = new ProbeState(
		{id: 'p', label: 'p', method: 'GET', path: '/', ratePerSec: 1000, timeoutMs: 10_000, maxResponseBytes: 1_048_576, kind: 'read'},
		{windowsMs: {'1m': 60_000, '5m': 300_000}, slots: 60, origin: Date.now(), keepTotals: true, maxLagMs: 10},
	);
	const h = createHistogram();
	const deadlines = new DeadlineQueue();
	let sink = 0;
	const outcome: RequestOutcome = {status: 200, error: null, errorMessage: null, retryAfter: undefined, variant: undefined, json: undefined, bytes: 3};
	const at = Date.now();
	const pieces: Array<[string, (i: number) => void]> = [
		['performance.now()', () => void (sink += performance.now())],
		['Date.now()', () => void (sink += Date.now())],
		['one HDR record (WASM)', (i) => recordMicros(h, 100 + (i & 1023))],
		['record a finished request (2 windows + totals)', (i) => void state.record(outcome, 100 + (i & 1023), at)],
		['record scheduler lag', (i) => state.recordLag(i & 255, at)],
		[
			'request lifecycle: handler, deadline entry, outcome',
			(i) => {
				dispatchRequest(instantPool, spec, deadlines, i, (o) => void (sink += o.bytes));
				if ((i & 255) === 0) deadlines.sweep(0);
			},
		],
	];
	const costs = pieces.map(([piece, fn]) => ({piece, nsPerOp: timeCpu(fn, iterations, rounds)}));
	state.destroy();
	destroyHistogram(h);
	if (sink === -1) process.stdout.write('');
	return costs;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	for (const c of hotPathCosts())
		process.stdout.write(`${c.piece.padEnd(52)} ${median(c.nsPerOp).toFixed(0).padStart(6)} ns  (${c.nsPerOp.map((v) => v.toFixed(0)).join(' ')})\n`);
}
