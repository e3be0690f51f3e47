/**
 * Charts from `SloView.history`. asciichart throws on NaN (its min/max turn
 * NaN), so gaps are plotted at the floor and then blanked: a missing check
 * shows as a hole with `·` on the base line, never as a value.
 */
import {plot} from 'asciichart';

const blocks = '▁▂▃▄▅▆▇█';

/** One-row sparkline of the last `width` points; NaN → `·`. */
export function blockSparkline(history: readonly number[], width: number): string {
	const points = history.slice(-Math.max(0, width));
	const finite = points.filter((v) => Number.isFinite(v));
	if (finite.length === 0) return '·'.repeat(points.length);
	const min = Math.min(...finite);
	const max = Math.max(...finite);
	const span = max - min;
	return points
		.map((v) => {
			if (!Number.isFinite(v)) return '·';
			const i = span === 0 ? 3 : Math.round(((v - min) / span) * (blocks.length - 1));
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
	/** @default 5 */
	labelWidth?: number;
};

/**
 * A multi-row asciichart of the newest points that fit `width`, always
 * `height + 1` lines of exactly `width` columns or fewer. Fewer than two finite
 * points → a "no data" line padded to the same height, so tiles do not jump.
 */
export function lineChart(history: readonly number[], options: ChartOptions): string[] {
	const height = options.height ?? 4;
	const labelWidth = options.labelWidth ?? 5;
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
	const min = Math.min(...finite);
	const max = Math.max(...finite);
	const series = points.map((v) => (Number.isFinite(v) ? v : min));
	const text = plot(series, {
		height,
		min,
		max,
		offset: 2,
		padding: ' '.repeat(labelWidth),
		format: (x: number) => options.label(x).padStart(labelWidth).slice(-labelWidth),
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
