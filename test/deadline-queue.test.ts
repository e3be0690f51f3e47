/**
 * The deadline queue keeps one timer at its oldest unfinished deadline instead of a sweep every
 * few ms: a deadline still fires (and on time, not up to a sweep period late), finished requests
 * leave the queue as new ones arrive, and a queue with nothing in flight has no timer at all.
 */
import {describe, expect, it} from 'vitest';
import type {Pool} from 'undici';
import type {InFlightRequest, RequestSpec} from '../probes/http-client.js';
import {DeadlineQueue, dispatchRequest} from '../probes/http-client.js';

const spec = (timeoutMs: number): RequestSpec => ({
	method: 'GET',
	path: '/',
	headers: {},
	body: undefined,
	timeoutMs,
	maxResponseBytes: 1024,
	wantJson: false,
	variantHeader: undefined,
});

/** A pool that never answers: only a deadline can finish its requests. */
const silentPool = {dispatch: () => true} as unknown as Pool;

describe('deadline queue: one timer at the oldest deadline', () => {
	it('expires a request at its deadline with no periodic sweep, and names the phase', async () => {
		const finished: Array<{request: InFlightRequest; afterMs: number}> = [];
		const started = performance.now();
		const queue: DeadlineQueue = new DeadlineQueue(() => queue.sweep(performance.now()));
		dispatchRequest(silentPool, spec(60), queue, performance.now(), (request) => finished.push({request, afterMs: performance.now() - started}));
		dispatchRequest(silentPool, spec(120), queue, performance.now(), (request) => finished.push({request, afterMs: performance.now() - started}));
		for (let waited = 0; waited < 5000 && finished.length < 2; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
		expect(finished.map((f) => f.request.error)).toEqual(['headers_timeout', 'headers_timeout']);
		// Never early; late only by what a loaded machine adds to a timer.
		expect(finished[0]!.afterMs).toBeGreaterThanOrEqual(59);
		expect(finished[1]!.afterMs).toBeGreaterThanOrEqual(119);
		expect(queue.size).toBe(0);
	});

	it('finished requests leave the head as new ones are pushed, so the queue holds only what is in flight', () => {
		const queue = new DeadlineQueue();
		const answering = {
			dispatch(
				_options: unknown,
				handler: {onRequestStart(c: unknown): void; onResponseStart(c: unknown, s: number, h: unknown): void; onResponseEnd(): void},
			) {
				handler.onRequestStart({abort() {}});
				handler.onResponseStart({}, 200, {});
				handler.onResponseEnd();
				return true;
			},
		} as unknown as Pool;
		for (let i = 0; i < 5000; i++) dispatchRequest(answering, spec(10_000), queue, performance.now(), () => undefined);
		// Only the last one pushed can still be in the queue: every earlier one had finished when the next arrived.
		expect(queue.size).toBe(1);
		queue.expireAll();
		expect(queue.size).toBe(0);
	});
});
