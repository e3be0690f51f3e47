/**
 * The four SLO guards. Compact (80 columns): one row each with a block
 * sparkline. Rich: bordered tiles side by side with an asciichart of the
 * history. Value, threshold, status, samples and data age are always shown.
 */
import React from 'react';
import {Box, Text} from 'ink';
import type {JudgeTracks} from '../source/core/judge/judge-tracking.js';
import {streakAfter} from '../source/core/judge/judge-tracking.js';
import {formatComparisonLine} from '../source/core/judge/format-comparison.js';
import {windowText} from '../source/core/format.js';
import type {SloView} from '../source/core/snapshot.js';
import {formatDuration, formatAxisLabel, formatRuleValue} from '../source/core/format.js';
import {fit, ruleBadge} from './badges.js';
import {blockSparkline, chartAxis, lineChart} from './sparkline.js';
import {Colored, useBorderTone} from './theme.js';

/** The window's real length: a time-compressed plan's "1m" is said as `8s`, not `1m` (as every message says it). */
function windowLabel(slo: SloView): string {
	return windowText(slo.window, slo.windowMs);
}

/** `✓ PASS`, `? STALE 45s`: a stale value says how old it is. */
function statusText(slo: SloView): string {
	const b = ruleBadge(slo.status);
	return slo.status === 'STALE' ? `${b.symbol} ${b.word} ${formatDuration(slo.ageMs)}` : `${b.symbol} ${b.word}`;
}

/** Only a current value is drawn bold; a stale or missing one is dim, so an old number never reads as now. */
function isCurrent(slo: SloView): boolean {
	return slo.status === 'PASS' || slo.status === 'BREACH';
}

/** `P1 Board p95` when the plan gives the rule a severity. */
function severityLabel(slo: SloView): string {
	return slo.severity ? `${slo.severity} ${slo.label}` : slo.label;
}

/**
 * V2 against V1 for a rule with `compare`, in one line: `V1 371 ms · V2 512 ms +38 % HIGH ×2`
 * (×N: consecutive checks that said HIGH, this one included). Empty without a comparison.
 */
function comparisonLine(slo: SloView, judge: JudgeTracks | undefined): string {
	const c = slo.comparison;
	if (!c) return '';
	const streak = streakAfter(judge?.[slo.ruleId] ?? 0, c.verdict);
	return formatComparisonLine(c, c.verdict === 'HIGH' ? `HIGH ×${streak}` : c.verdict);
}

/** `need < 800 ms`: the rule, worded so "912 ms need < 800 ms" cannot be read as a claim that 912 < 800. */
function threshold(slo: SloView): string {
	return `need ${slo.op} ${formatRuleValue(slo.threshold, slo.unit)}`;
}

/** One line per SLO: `✓ PASS    Board p95   413 ms need < 800 ms  n=3120  age 1s  ▂▃▅`. */
export function SloRow({slo, width, judge}: {slo: SloView; width: number; judge?: JudgeTracks}) {
	const b = ruleBadge(slo.status);
	// A STALE status carries its age (`? STALE 3min10s`): always a space before the label.
	const status = `${statusText(slo).padEnd(9)} `;
	// Wider terminals give the label the room first: "API error rate (5m)" should not need an ellipsis at 100 columns.
	const labelWidth = Math.max(17, Math.min(28, width - 63));
	const label = fit(severityLabel(slo), labelWidth).padEnd(labelWidth + 1);
	const value = formatRuleValue(slo.value, slo.unit).padStart(9);
	const limit = ` ${threshold(slo)}`.padEnd(16);
	// A judged row needs its room for V2 against V1; the tile and the zoom still name the window.
	const tail = `${slo.comparison ? '' : ` ${windowLabel(slo).padStart(3)}`} n=${String(slo.samples).padEnd(5)} age ${formatDuration(slo.ageMs).padEnd(5)}`;
	const used = status.length + label.length + value.length + limit.length + tail.length + 1;
	// A judged rule shows V2 against V1 where the sparkline would be: the verdict matters more than the trend.
	const versus = slo.comparison
		? ` ${comparisonLine(slo, judge)
				.replace(/^V1 .* · V2 [^+−-]*/, 'V2 ')
				.replace(' %', '%')}`
		: '';
	const spark = versus !== '' ? versus : width - used > 4 ? ` ${blockSparkline(slo.history, width - used - 1, chartAxis(slo.history, slo.threshold))}` : '';
	return (
		<Text wrap="truncate-end">
			<Colored tone={b.tone} bold>
				{status}
			</Colored>
			{label}
			<Text bold={isCurrent(slo)} dimColor={!isCurrent(slo)}>
				{value}
			</Text>
			{limit}
			{tail}
			<Colored tone="gray">{spark}</Colored>
		</Text>
	);
}

export type SloTileProps = {
	slo: SloView;
	/** Outer width including the border. */
	width: number;
	/** Plot rows of the chart; 0 drops it. @default 4 */
	chartHeight?: number;
	/** The canary's consecutive-HIGH counts (`snapshot.canary.judge`). */
	judge?: JudgeTracks;
};

export function SloTile({slo, width, chartHeight = 4, judge}: SloTileProps) {
	const b = ruleBadge(slo.status);
	const border = useBorderTone(b.tone);
	const inner = Math.max(10, width - 4);
	const chart =
		chartHeight > 0
			? lineChart(slo.history, {
					width: inner,
					height: chartHeight,
					label: (v) => formatAxisLabel(v, slo.unit),
					axis: chartAxis(slo.history, slo.threshold),
					threshold: slo.threshold,
				})
			: [];
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={border} width={width} paddingX={1} flexShrink={0}>
			<Text wrap="truncate-end">
				<Text bold>{fit(severityLabel(slo), inner - statusText(slo).length - 3)}</Text>{' '}
				<Colored tone={b.tone} bold inverse={isCurrent(slo)}>{` ${statusText(slo)} `}</Colored>
			</Text>
			<Text wrap="truncate-end">
				<Text bold={isCurrent(slo)} dimColor={!isCurrent(slo)}>
					{formatRuleValue(slo.value, slo.unit)}
				</Text>{' '}
				{threshold(slo)}
			</Text>
			<Text wrap="truncate-end">
				{windowLabel(slo)} window · {slo.samples} samples · age {formatDuration(slo.ageMs)}
			</Text>
			{slo.note || !slo.comparison ? (
				<Colored tone="yellow">{slo.note ? fit(slo.note, inner) : ' '}</Colored>
			) : (
				<Colored tone={slo.comparison.verdict === 'HIGH' ? 'red' : slo.comparison.verdict === 'NO_DATA' ? 'yellow' : 'gray'}>
					{fit(comparisonLine(slo, judge), inner)}
				</Colored>
			)}
			{chart.map((line, i) => (
				<Text key={i} wrap="truncate-end">
					{line === '' ? ' ' : line}
				</Text>
			))}
		</Box>
	);
}

export type SloTilesProps = {
	slos: SloView[];
	width: number;
	/** `rows`: one line per SLO (80 columns); `tiles`: bordered tiles with charts. */
	mode: 'rows' | 'tiles';
	/** @default 4 */
	chartHeight?: number;
	/** The canary's consecutive-HIGH counts (`snapshot.canary.judge`). */
	judge?: JudgeTracks;
};

export function SloTiles({slos, width, mode, chartHeight = 4, judge}: SloTilesProps) {
	if (slos.length === 0) return <Text>? NO DATA: no SLO rules in the plan</Text>;
	if (mode === 'rows') {
		return (
			<Box flexDirection="column" width={width}>
				{slos.map((s) => (
					<SloRow key={s.ruleId} slo={s} width={width} judge={judge} />
				))}
			</Box>
		);
	}
	const tileWidth = Math.floor(width / slos.length);
	return (
		<Box width={width}>
			{slos.map((s) => (
				<SloTile key={s.ruleId} slo={s} width={tileWidth} chartHeight={chartHeight} judge={judge} />
			))}
		</Box>
	);
}
