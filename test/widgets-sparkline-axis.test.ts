import {describe, expect, test} from 'vitest';
import {chartAxis, lineChart} from '../widgets/sparkline.js';

describe('lineChart axis labels', () => {
	test('a flat 0 % series on a 0-based axis never labels a row "-0.00%" (asciichart float error)', () => {
		const history = Array.from({length: 20}, () => 0);
		for (const height of [3, 4, 5, 7]) {
			const lines = lineChart(history, {width: 28, height, label: (v) => `${(v * 100).toFixed(2)}%`, axis: chartAxis(history, 0.01), threshold: 0.01});
			expect(lines.join('\n')).not.toContain('-0.00%');
			// Every label column has the same width, so the axis is one straight column.
			const axisColumns = new Set(lines.map((l) => l.search(/[┼┤]/)).filter((c) => c >= 0));
			expect(axisColumns.size).toBe(1);
		}
	});
});
