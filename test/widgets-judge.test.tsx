/** Frames of the judge on screen: the tile's V1-vs-V2 line and the row's verdict, from real comparisons. */
import React from 'react';
import {render} from 'ink-testing-library';
import {describe, expect, test} from 'vitest';
import {compareLatency} from '../source/core/judge/compare-latency.js';
import {bucketsOf} from '../source/core/judge/buckets.js';
import {formatComparisonWhy} from '../source/core/judge/format-comparison.js';
import {SloRow, SloTile} from '../widgets/slo-tiles.js';
import {ColorProvider} from '../widgets/theme.js';
import * as fx from './helpers/snapshot-fixtures.js';
import {latencySamples, seeded} from './helpers/variant-fixture.js';

function mono(node: React.ReactElement): string {
	const {lastFrame, unmount} = render(<ColorProvider enabled={false}>{node}</ColorProvider>);
	const frame = lastFrame() ?? '';
	unmount();
	return frame;
}

const random = seeded(3);
const v1 = bucketsOf(latencySamples(random, 900, 150, 0.5));
const v2 = bucketsOf(latencySamples(random, 100, 205, 0.5));
const settings = {minEffectPct: 10, minEffectAbs: 20, minSamples: 50, alpha: 0.001};
const slower = compareLatency({buckets: v1, valueMs: 371}, {buckets: v2, valueMs: 512}, settings);
const board = fx.slo({ruleId: 'board_p95', label: 'Board load p95', value: 390, comparison: slower});

describe('the judge on screen', () => {
	test('a tile shows V1 vs V2, Δ % and the verdict with its consecutive count', () => {
		expect(slower.verdict).toBe('HIGH');
		const frame = mono(<SloTile slo={board} width={48} chartHeight={0} judge={{board_p95: 1}} />);
		expect(frame).toContain('V1 371 ms · V2 512 ms +38 % HIGH ×2');
	});

	test('a row puts V2 and the verdict where the sparkline was', () => {
		const frame = mono(<SloRow slo={board} width={100} judge={{}} />);
		// The test renderer is 100 columns wide: the row ends in V2 and the verdict, cut there.
		expect(frame).toMatch(/Board load p95 .* V2 \+38% HIGH/);
	});

	test('the Why names the comparison with its interval, p-value and checks', () => {
		expect(formatComparisonWhy('board', 'p95', slower, 4)).toMatch(/^V2 board p95 512 ms vs V1 371 ms, \+\d+ % \[CI \+\d+…\+\d+ %\], p < 0\.001, 4 checks$/);
	});

	test('too few V2 samples reads as no verdict, never as a pass', () => {
		const few = compareLatency({buckets: v1, valueMs: 371}, {buckets: bucketsOf(latencySamples(random, 20, 150, 0.5)), valueMs: 360}, settings);
		const frame = mono(<SloTile slo={{...board, comparison: few}} width={48} chartHeight={0} />);
		expect(frame).toContain('NO_DATA');
		expect(formatComparisonWhy('board', 'p95', few)).toContain('no verdict (too few samples (V1 900, V2 20; 50 each needed))');
	});
});
