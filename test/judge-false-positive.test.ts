/**
 * The judge's false-positive rate on a recorded healthy stream: 400 s of the
 * embedded service's board (scenario healthy, flag at 30 %), probed at 50 req/s by
 * golive's own probe engine (test/fixtures/record-healthy-board.mjs). Cut into 20
 * runs of 20 s, each replayed through the probe's real windows (ProbeState, HDR)
 * and judged every second as the demo plan does (8 s windows, alpha 0.001, three
 * checks in a row). No run may reach a HIGH. The same replay with V2 made 35 %
 * slower must reach one, so the harness can fail.
 */
import {readFileSync} from 'node:fs';
import {gunzipSync} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {judgeCheck, type JudgeTracks} from '../source/core/judge/judge-tracking.js';
import {evaluateRule} from '../source/core/rules.js';
import {demoPlan} from '../source/plan/demo-plan.js';
import type {RequestOutcome} from '../probes/http-client.js';
import {ProbeState} from '../probes/probe-state.js';

type Sample = [ms: number, latencyMicros: number, variant: 0 | 1 | 2, error: 0 | 1];
const recording = JSON.parse(gunzipSync(readFileSync(new URL('fixtures/healthy-board-samples.json.gz', import.meta.url))).toString()) as {
	samples: Sample[];
	rolloutPercent: number;
};
const plan = demoPlan({serviceUrl: 'http://127.0.0.1:9', cloudwatchUrl: 'http://127.0.0.1:9', judge: true});
const judged = plan.slos.filter((r) => r.compare?.enabled);
const board = plan.probes.find((p) => p.id === 'board')!;
const runMs = 20_000;
/** The recording's first seconds are the probe's own cold start, which the live probe leaves out too. */
const warmupMs = 5000;

type RunResult = {confirmedHigh: number; rawHigh: number; verdicts: number; minP: number};

function replay(run: number, v2Scale: number): RunResult {
	const from = run * runMs;
	const state = new ProbeState(board, {windowsMs: plan.windowsMs!, slots: 60, origin: from, keepTotals: false, maxLagMs: 250, variantWarmupMs: 0});
	const samples = recording.samples.filter(([ms]) => ms >= Math.max(from, warmupMs) && ms < from + runMs);
	let next = 0;
	let tracks: JudgeTracks = {};
	const result: RunResult = {confirmedHigh: 0, rawHigh: 0, verdicts: 0, minP: 1};
	for (let at = from + plan.windowsMs!['1m']; at <= from + runMs; at += plan.canary.checkIntervalMs) {
		for (; next < samples.length && samples[next]![0] <= at; next++) {
			const [ms, micros, variant, error] = samples[next]!;
			const outcome: RequestOutcome = {
				status: error ? 500 : 200,
				error: null,
				errorMessage: null,
				retryAfter: undefined,
				variant: variant === 0 ? undefined : `v${variant}`,
				json: undefined,
				bytes: 0,
			};
			state.record(outcome, variant === 2 ? micros * v2Scale : micros, ms);
		}
		const snapshot = state.snapshot(at, 0);
		const rules = judged.map((rule) => evaluateRule(rule, {probes: [snapshot], cloudwatch: null}, at));
		for (const r of rules) {
			if (r.comparison && r.comparison.verdict !== 'NO_DATA') {
				result.verdicts++;
				result.minP = Math.min(result.minP, r.comparison.pValue);
			}
			if (r.comparison?.verdict === 'HIGH') result.rawHigh++;
		}
		const check = judgeCheck(plan, tracks, rules, at, recording.rolloutPercent);
		tracks = check.tracks;
		if (check.rollback || check.blockers.some((b) => /V2 worse than V1$/.test(b.cause))) result.confirmedHigh++;
	}
	state.destroy();
	return result;
}

describe('judge false positives on a recorded healthy stream', () => {
	it('20 consecutive runs: no HIGH at all', () => {
		const runs = Array.from({length: 20}, (_, run) => replay(run, 1));
		const summary = runs.map((r) => `${r.confirmedHigh}/${r.rawHigh}/${r.verdicts}/${r.minP.toExponential(1)}`).join(' ');
		expect(
			runs.every((r) => r.verdicts >= 13),
			summary,
		).toBe(true);
		expect(
			runs.reduce((s, r) => s + r.confirmedHigh, 0),
			summary,
		).toBe(0);
	});

	it('the same recording with V2 35 % slower is caught in every run', () => {
		const runs = Array.from({length: 20}, (_, run) => replay(run, 1.35));
		expect(runs.filter((r) => r.confirmedHigh > 0).length).toBe(20);
	});
});
