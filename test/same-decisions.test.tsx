/**
 * The screen and `--json` run the same engine, so the same recorded sample
 * stream must give the same decisions whether the console is drawing it or
 * the headless writer is streaming it. The screen's decisions are read from
 * the frames it drew (its event log), not from the engine.
 */
import {PassThrough} from 'node:stream';
import {stripVTControlCharacters} from 'node:util';
import React from 'react';
import {afterEach, beforeEach, expect, it, vi} from 'vitest';
import {App} from '../source/app.js';
import {attachHeadless} from '../source/headless.js';
import {renderAtSize} from './helpers/render-at-size.js';
import {scriptedEngine, type ProbeScript} from './helpers/scripted-engine.js';

const start = Date.parse('2026-11-23T10:00:00Z');

/** Healthy until 30 % has been live for 4 s, then the board regresses (the demo's regression, recorded as a function of time and flag). */
const recorded: ProbeScript = (() => {
	let thirtySince: number | null = null;
	return (at, percent) => {
		if (percent >= 30) thirtySince ??= at;
		if (percent < 30) thirtySince = null;
		if (thirtySince !== null && at - thirtySince >= 4000) return {board: {requests: 200, p95: 1900, mean: 700, errors: 9}};
		return {};
	};
})();

type Step = {kind: string; reason: string};

function toSteps(decisions: Array<{kind: string; reason: string}>): Step[] {
	return decisions.filter((d) => d.kind !== 'hold').map((d) => ({kind: d.kind, reason: d.reason}));
}

/** Every decision line the screen's event log drew, once each: `10:00:11 ✓ PROMOTE: auto: 10% → 30% (…)`. */
function stepsOnScreen(frames: string[]): Step[] {
	const seen = new Set<string>();
	const steps: Step[] = [];
	for (const line of frames.flatMap((f) => stripVTControlCharacters(f).split('\n'))) {
		const match = /^\s*(\d\d:\d\d:\d\d) [✓✗!·] (PROMOTE|ROLLBACK|SUCCEED|ABORT): (.+?)\s*$/.exec(line);
		if (!match || seen.has(line.trim())) continue;
		seen.add(line.trim());
		steps.push({kind: match[2]!.toLowerCase(), reason: match[3]!});
	}
	return steps;
}

/** A reason drawn truncated (`…`) matches the full one it starts. */
function sameReason(drawn: string, full: string): boolean {
	return drawn.endsWith('…') ? full.startsWith(drawn.slice(0, -1)) : drawn === full;
}

beforeEach(() => {
	vi.useFakeTimers({now: start});
});
afterEach(() => {
	vi.useRealTimers();
});

async function runHeadless(): Promise<{steps: Step[]; writes: number[]}> {
	const h = scriptedEngine({}, recorded);
	const out = new PassThrough();
	let text = '';
	out.on('data', (chunk: Buffer) => (text += chunk.toString()));
	attachHeadless(h.engine, {stdout: out, stderr: new PassThrough(), now: () => Date.now(), logToStderr: false});
	await h.engine.start();
	await vi.advanceTimersByTimeAsync(60_000);
	await h.engine.stop();
	const decisions = text
		.split('\n')
		.filter(Boolean)
		.map((l) => JSON.parse(l) as {type: string; kind: string; reason: string})
		.filter((e) => e.type === 'decision');
	return {steps: toSteps(decisions), writes: h.writes};
}

async function runOnScreen(): Promise<{steps: Step[]; writes: number[]; frame: string}> {
	const h = scriptedEngine({}, recorded);
	const screen = renderAtSize(<App engine={h.engine} onQuit={() => undefined} frameIntervalMs={50} />, 160, 48);
	await h.engine.start();
	await vi.advanceTimersByTimeAsync(60_000);
	const frame = screen.lastFrame();
	screen.instance.unmount();
	await h.engine.stop();
	return {steps: stepsOnScreen(screen.stdout.frames), writes: h.writes, frame};
}

it('gives the same decisions on the screen and in --json for one recorded stream', async () => {
	const headless = await runHeadless();
	vi.setSystemTime(start);
	const screen = await runOnScreen();
	expect(headless.writes).toEqual([10, 30, 0]);
	expect(screen.writes).toEqual(headless.writes);
	expect(screen.steps.map((s) => s.kind)).toEqual(headless.steps.map((s) => s.kind));
	for (const [i, drawn] of screen.steps.entries())
		expect(sameReason(drawn.reason, headless.steps[i]!.reason), `${drawn.reason} vs ${headless.steps[i]!.reason}`).toBe(true);
	expect(headless.steps.map((s) => s.kind)).toEqual(['promote', 'promote', 'rollback']);
	expect(headless.steps[2]!.reason).toMatch(/at 30%/);
	// The screen shows the why of the rollback.
	expect(screen.frame).toMatch(/ROLLED BACK/);
	expect(screen.frame).toMatch(/board_p95|Board/);
});
