/**
 * A rollback whose writes fail, in the engine with an injected clock: once a
 * try has failed, the mitigation reads `failing` — between tries and while
 * the next try is being written — until a read-back says 0 %; it never falls
 * back to `writing` as if nothing had failed.
 */
import {afterEach, beforeEach, expect, it, vi} from 'vitest';
import type {FlagPort, FlagWriteResult} from '../source/engine/ports.js';
import {scriptedEngine} from './helpers/scripted-engine.js';

beforeEach(() => {
	vi.useFakeTimers({now: new Date('2026-11-23T10:00:00Z')});
});
afterEach(() => {
	vi.useRealTimers();
});

/**
 * A flag API whose first `failures` rollback writes (to 0 %) each take `tryMs` and fail with
 * `detail`; `afterTry(n)` runs after the n-th failed try; reads slow down while `hung()`.
 */
function failingRollbackFlag(options: {failures: number; tryMs: number; detail: string; hung?: () => boolean; afterTry?: (n: number) => void}) {
	const state = {percent: 0, reads: 0, failed: 0};
	const flag: FlagPort = {
		async read() {
			state.reads++;
			if (options.hung?.()) {
				await new Promise((resolve) => setTimeout(resolve, 2500));
				return {ok: false, error: 'timed out after 2500 ms'};
			}
			return {ok: true, percent: state.percent, version: 1};
		},
		async setPercent(target, _expect, onSend): Promise<FlagWriteResult> {
			await onSend?.({kind: 'http', method: 'PUT', url: 'flag', body: {rolloutPercent: target}});
			if (target === 0 && state.failed < options.failures) {
				await new Promise((resolve) => setTimeout(resolve, options.tryMs));
				state.failed++;
				options.afterTry?.(state.failed);
				return {kind: 'failed', detail: options.detail};
			}
			state.percent = target;
			return {kind: 'ok', percent: target, version: 1, detail: `read back ${target} %`};
		},
	};
	return {flag, state};
}

it('failing between tries and during the next one, with the tries that failed; applied only on a read-back of 0 %', async () => {
	// Each failing try takes 1.5 s (a slow 503): long enough to be seen in flight.
	const {flag, state} = failingRollbackFlag({failures: 3, tryMs: 1500, detail: 'HTTP 503'});
	const h = scriptedEngine({flag});
	await h.engine.start();
	for (let i = 0; i < 60 && state.percent !== 30; i++) await vi.advanceTimersByTimeAsync(1000);
	expect(state.percent).toBe(30);
	h.setProbes({board: {requests: 200, p95: 2600, mean: 900, errors: 12}});
	const seen: string[] = [];
	for (let i = 0; i < 400 && state.percent !== 0; i++) {
		await vi.advanceTimersByTimeAsync(100);
		const r = h.engine.getSnapshot().mitigation?.rollback;
		if (!r) continue;
		const text =
			r.phase === 'failing' ? `failing ${r.tries} ${r.nextTryAt === null ? 'now' : 'later'}` : r.phase === 'writing' ? `writing ${r.tries}` : r.phase;
		if (seen.at(-1) !== text) seen.push(text);
	}
	await vi.advanceTimersByTimeAsync(1000);
	seen.push(h.engine.getSnapshot().mitigation?.rollback.phase ?? 'none');
	expect(state.failed).toBe(3);
	// Writing only before the first failure; from then on failing (waiting, then the next try going out) until applied.
	const firstFailing = seen.findIndex((t) => t.startsWith('failing'));
	expect(
		seen.slice(0, firstFailing).every((t) => t.startsWith('writing')),
		seen.join(' | '),
	).toBe(true);
	const after = seen.slice(firstFailing);
	expect(
		after.some((t) => t.startsWith('writing')),
		seen.join(' | '),
	).toBe(false);
	expect(after, seen.join(' | ')).toContain('failing 1 later');
	expect(after, seen.join(' | ')).toContain('failing 1 now');
	expect(after, seen.join(' | ')).toContain('failing 3 later');
	expect(seen.at(-1)).toMatch(/applied|verified/);
	await h.engine.stop();
});

it('a hung flag API does not starve the rollback: check reads never queue up ahead of its next try', async () => {
	let hung = false;
	// Hung: every read runs into its 2.5 s timeout, longer than the demo plan's 1 s between checks; the API recovers after the second failed try.
	const {flag, state} = failingRollbackFlag({
		failures: 2,
		tryMs: 2500,
		detail: 'timed out after 2500 ms',
		hung: () => hung,
		afterTry: (n) => {
			if (n === 2) hung = false;
		},
	});
	const h = scriptedEngine({flag});
	await h.engine.start();
	for (let i = 0; i < 60 && state.percent !== 30; i++) await vi.advanceTimersByTimeAsync(1000);
	expect(state.percent).toBe(30);
	hung = true;
	h.setProbes({board: {requests: 200, p95: 2600, mean: 900, errors: 12}});
	const readsBefore = state.reads;
	let waited = 0;
	for (; waited < 60_000 && state.percent !== 0; waited += 500) await vi.advanceTimersByTimeAsync(500);
	// Two failed tries (2.5 s each), backoffs under 10 s, at most one read (2.5 s) ahead of each try.
	expect(state.failed).toBe(2);
	expect(state.percent).toBe(0);
	expect(waited).toBeLessThan(30_000);
	// At most one read per check interval could be pending; far fewer ran than checks came.
	expect(state.reads - readsBefore).toBeLessThan(waited / 1000);
	await h.engine.stop();
});

it('a failed try and the rollback agree in every snapshot: never "✗ FAILED" beside a rollback still writing its try', async () => {
	let hung = false;
	// The try fails at once; the read after it runs into its 2.5 s timeout (a hung flag API), then the API recovers.
	const {flag, state} = failingRollbackFlag({failures: 1, tryMs: 100, detail: 'HTTP 503', hung: () => hung});
	const h = scriptedEngine({flag});
	await h.engine.start();
	for (let i = 0; i < 60 && state.percent !== 30; i++) await vi.advanceTimersByTimeAsync(1000);
	hung = true;
	h.setProbes({board: {requests: 200, p95: 2600, mean: 900, errors: 12}});
	const contradictions: string[] = [];
	let sawFailed = false;
	for (let i = 0; i < 300 && state.percent !== 0; i++) {
		await vi.advanceTimersByTimeAsync(100);
		if (state.failed === 1) hung = false;
		const s = h.engine.getSnapshot();
		const failed = s.action.kind === 'done' && !s.action.ok && s.action.action !== 'promote';
		sawFailed ||= failed;
		if (failed && s.mitigation?.rollback.phase === 'writing') contradictions.push(`${s.at}: action failed, rollback writing`);
	}
	expect(sawFailed).toBe(true);
	expect(contradictions).toEqual([]);
	expect(state.percent).toBe(0);
	await h.engine.stop();
});

it.each([
	['headless', false],
	['the console', true],
] as const)('a rollback past its retry budget: %s', async (_who, operatorPresent) => {
	// Ten failed tries of 2 s with backoff run far past the demo plan's 20 s budget; the eleventh holds.
	const {flag, state} = failingRollbackFlag({failures: 10, tryMs: 2000, detail: 'HTTP 503'});
	const h = scriptedEngine({flag, operatorPresent});
	let ended = false;
	void h.engine.done.then(() => {
		ended = true;
	});
	await h.engine.start();
	for (let i = 0; i < 60 && state.percent !== 30; i++) await vi.advanceTimersByTimeAsync(1000);
	h.setProbes({board: {requests: 200, p95: 2600, mean: 900, errors: 12}});
	let gaveUp = false;
	for (let i = 0; i < 400 && !ended && state.percent !== 0; i++) {
		await vi.advanceTimersByTimeAsync(500);
		gaveUp ||= h.engine.getSnapshot().mitigation?.rollback.phase === 'gave_up';
	}
	expect(gaveUp).toBe(true);
	if (operatorPresent) {
		// Still trying after the give-up, as it tells the operator: the eleventh try holds.
		expect(state.percent).toBe(0);
		expect(state.failed).toBe(10);
	} else {
		expect(ended).toBe(true);
		expect((await h.engine.done).outcome).toBe('rollback_failed');
		expect(state.percent).toBe(30);
	}
	await h.engine.stop();
});
