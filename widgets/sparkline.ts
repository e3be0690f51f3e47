/**
 * Charts from `SloView.history`. asciichart throws on NaN (its min/max turn
 * NaN), so gaps are plotted at the floor and then blanked: a missing check
 * shows as a hole with `·` on the base line, never as a value.
 */
import {plot} from 'asciichart';

const blocks = '▁▂▃▄▅▆▇█';

/**
 * A fixed axis for a rule's chart: from 0 (or the lowest value, if negative)
 * to the higher of the values and 1.25 × the threshold, so the threshold is
 * always on the chart and a flat 0 % and a flat 100 % do not draw alike.
 */
export function chartAxis(history: readonly number[], threshold: number): {min: number; max: number} {
	const finite = history.filter((v) => Number.isFinite(v));
	const min = Math.min(0, ...finite);
	const top = Math.max(...finite, Number.isFinite(threshold) ? threshold * 1.25 : 0);
	return {min, max: top > min ? top : min + 1};
}

/** One-row sparkline of the last `width` points on `axis` (default: the points' own range); NaN → `·`. */
export function blockSparkline(history: readonly number[], width: number, axis?: {min: number; max: number}): string {
	const points = history.slice(-Math.max(0, width));
	const finite = points.filter((v) => Number.isFinite(v));
	if (finite.length === 0) return '·'.repeat(points.length);
	const min = axis?.min ?? Math.min(...finite);
	const max = axis?.max ?? Math.max(...finite);
	const span = max - min;
	return points
		.map((v) => {
			if (!Number.isFinite(v)) return '·';
			const i = span === 0 ? 3 : Math.round(((Math.min(max, Math.max(min, v)) - min) / span) * (blocks.length - 1));
			return blocks[i] ?? '·';
		})
		.join('');
}

export type ChartOptions = {
	/** Total columns including the axis labels. */
	width: number;
	/** Rows of the plot area. @default 4 */
	height?: number;
	/** Axis label, e.g. `(v) => '812'`; padded to `labelWidth`. */
	label: (value: number) => string;
	/** Minimum label columns; widened so the longest axis label is never cut. @default 5 */
	labelWidth?: number;
	/** A fixed axis (see `chartAxis`); default: the points' own range. */
	axis?: {min: number; max: number};
	/** Drawn as a second, flat line (the rule's threshold). */
	threshold?: number;
};

/**
 * A multi-row asciichart of the newest points that fit `width`, always
 * `height + 1` lines of exactly `width` columns or fewer. Fewer than two finite
 * points → a "no data" line padded to the same height, so tiles do not jump.
 */
export function lineChart(history: readonly number[], options: ChartOptions): string[] {
	const height = options.height ?? 4;
	const axisMin = options.axis?.min;
	const axisMax = options.axis?.max;
	const labelWidth = Math.max(options.labelWidth ?? 5, ...[axisMin, axisMax].filter((v): v is number => v !== undefined).map((v) => options.label(v).length));
	// asciichart puts the label in cell 0 and the axis in cell 1 (offset 2): prefix = label + 1 column.
	const prefix = labelWidth + 1;
	const capacity = Math.max(2, options.width - prefix + 1);
	const points = history.slice(-capacity);
	const finite = points.filter((v) => Number.isFinite(v));
	const rows = height + 1;
	if (finite.length < 2) {
		const empty = Array.from({length: rows}, () => '');
		empty[Math.floor(rows / 2)] = `${' '.repeat(prefix)}? no data yet (${finite.length} point${finite.length === 1 ? '' : 's'})`.slice(0, options.width);
		return empty;
	}
	const min = axisMin ?? Math.min(...finite);
	const max = axisMax ?? Math.max(...finite);
	const series = points.map((v) => (Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : min));
	const threshold = options.threshold;
	const withThreshold = threshold !== undefined && Number.isFinite(threshold) && threshold >= min && threshold <= max;
	const text = plot(withThreshold ? [series, points.map(() => threshold)] : series, {
		height,
		min,
		max,
		offset: 2,
		padding: ' '.repeat(labelWidth),
		// asciichart's row labels carry float error: the bottom label of a 0-based axis can come out as -1e-17 ("-0.00%").
		format: (x: number) => options.label(Math.abs(x) < (max - min) * 1e-9 ? 0 : x).padStart(labelWidth),
	});
	const lines = text.split('\n').map((line) => Array.from(line));
	// Segment x (drawn in column prefix + x) joins points x and x+1: a gap on either end blanks it.
	for (let x = 0; x < points.length - 1; x++) {
		if (Number.isFinite(points[x]) && Number.isFinite(points[x + 1])) continue;
		const col = prefix + x;
		lines.forEach((chars, row) => {
			if (col < chars.length) chars[col] = row === lines.length - 1 ? '·' : ' ';
		});
	}
	const out = lines.map((chars) => chars.join('').slice(0, options.width));
	while (out.length < rows) out.unshift('');
	return out.slice(-rows);
}
