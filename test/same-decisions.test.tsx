/**
 * The screen and `--json` run the same engine, so the same recorded sample
 * stream must give the same decisions whether the console is drawing it or
 * the headless writer is streaming it.
 */
import {PassThrough} from 'node:stream';
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

type Step = {kind: string; trigger?: string; from?: number; to?: number};

function toSteps(decisions: Array<{kind: string; trigger?: string; fromPercent?: number; toPercent?: number}>): Step[] {
	return decisions.filter((d) => d.kind !== 'hold').map((d) => ({kind: d.kind, trigger: d.trigger, from: d.fromPercent, to: d.toPercent}));
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
		.map((l) => JSON.parse(l) as {type: string; kind: string; trigger?: string; fromPercent?: number; toPercent?: number})
		.filter((e) => e.type === 'decision');
	return {steps: toSteps(decisions), writes: h.writes};
}

async function runOnScreen(): Promise<{steps: Step[]; writes: number[]; frame: string}> {
	const h = scriptedEngine({}, recorded);
	const decisions: Array<{kind: string; trigger?: string; fromPercent?: number; toPercent?: number}> = [];
	h.engine.onEvent((e) => {
		if (e.kind === 'decision') decisions.push(e.decision);
	});
	const screen = renderAtSize(<App engine={h.engine} onQuit={() => undefined} frameIntervalMs={50} />, 160, 48);
	await h.engine.start();
	await vi.advanceTimersByTimeAsync(60_000);
	const frame = screen.lastFrame();
	screen.instance.unmount();
	await h.engine.stop();
	return {steps: toSteps(decisions), writes: h.writes, frame};
}

it('gives the same decisions on the screen and in --json for one recorded stream', async () => {
	const headless = await runHeadless();
	vi.setSystemTime(start);
	const screen = await runOnScreen();
	expect(headless.writes).toEqual([10, 30, 0]);
	expect(screen.writes).toEqual(headless.writes);
	expect(screen.steps).toEqual(headless.steps);
	expect(headless.steps.some((s) => s.kind === 'rollback' && s.from === 30)).toBe(true);
	// The screen shows the why of the rollback.
	expect(screen.frame).toMatch(/ROLLED BACK/);
	expect(screen.frame).toMatch(/board_p95|Board/);
});
