/**
 * CloudWatch metrics and alarms with their age. The rich view is a bordered
 * grid drawn as one text line per row; the compact view is one line per row
 * because the grid's borders cost two lines a row.
 */
import React from 'react';
import {Box, Text} from 'ink';
import type {CloudWatchSnapshot} from '../source/core/measurements.js';
import {formatDuration} from '../source/core/format.js';
import {alarmBadge, fit, sourceBadge} from './badges.js';
import {Colored} from './theme.js';

export type CloudWatchRow = {kind: 'metric' | 'alarm'; name: string; value: string; status: string; age: string};

function metricValue(v: number): string {
	if (!Number.isFinite(v)) return '—';
	return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2);
}

/**
 * Rows of the table, problems first. While the source is not ok every value
 * is the last one seen: it reads `? STALE` with its age, never `✓`.
 */
export function cloudWatchRows(cw: CloudWatchSnapshot, now: number): CloudWatchRow[] {
	const current = cw.state.kind === 'ok';
	const polledAge = formatDuration(cw.lastSuccessAt === null ? null : now - cw.lastSuccessAt);
	const stale = `? STALE ${polledAge}`;
	const metrics = cw.metrics.map((m) => ({
		kind: 'metric' as const,
		name: m.label,
		value: metricValue(m.value),
		status: !current ? stale : !Number.isFinite(m.value) ? '? NO DATA' : m.statusCode === 'Complete' ? '✓ Complete' : `? ${m.statusCode}`,
		age: formatDuration(m.timestamp === null ? null : now - m.timestamp),
	}));
	const order = {ALARM: 0, INSUFFICIENT_DATA: 1, OK: 2} as const;
	const alarms = [...cw.alarms]
		.sort((a, b) => order[a.state] - order[b.state])
		.map((a) => {
			const b = alarmBadge(a.state);
			// The age is the data's (the last successful poll), not the state change's: an OK read a minute ago is not OK now.
			return {kind: 'alarm' as const, name: a.name, value: a.reason, status: current || a.state === 'ALARM' ? `${b.symbol} ${b.word}` : stale, age: polledAge};
		});
	const missing = cw.missingAlarms.map((name) => ({kind: 'alarm' as const, name, value: 'not found in CloudWatch', status: '✗ MISSING', age: '—'}));
	// Problems first: in 80 columns only two or three rows fit.
	const rank = (r: CloudWatchRow) => (r.status.startsWith('✗') ? 0 : r.status.startsWith('?') ? 1 : 2);
	return [...missing, ...alarms, ...metrics]
		.map((r, i) => ({r, i}))
		.sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
		.map(({r}) => r);
}

/** `0 ALARM · 1 INSUFFICIENT · 2 OK`: the alarm picture in one phrase. */
export function alarmSummary(cw: CloudWatchSnapshot): string {
	const count = (state: string) => cw.alarms.filter((a) => a.state === state).length;
	const missing = cw.missingAlarms.length > 0 ? ` · ${cw.missingAlarms.length} MISSING` : '';
	return `alarms ✗${count('ALARM')} ALARM ?${count('INSUFFICIENT_DATA')} INSUFF ✓${count('OK')} OK${missing}`;
}

/** A bordered table as plain lines (ink-table's look, one Ink node per line). */
function gridLines(header: readonly string[], rows: readonly (readonly string[])[], maxWidths: readonly number[], total: number, flexColumn: number): string[] {
	const natural = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
	const widths = natural.map((n, c) => Math.min(maxWidths[c] ?? 40, n));
	// The flexible column (the alarm reason) gets whatever the others leave.
	const others = widths.reduce((sum, w, c) => (c === flexColumn ? sum : sum + w), 0);
	widths[flexColumn] = Math.max(4, Math.min(natural[flexColumn] ?? 0, total - others - (3 * header.length + 1)));
	const cell = (text: string, c: number) => ` ${fitCell(text, widths[c]!)} `;
	const rule = (l: string, m: string, r: string) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
	return [rule('┌', '┬', '┐'), `│${header.map(cell).join('│')}│`, rule('├', '┼', '┤'), ...rows.map((r) => `│${r.map(cell).join('│')}│`), rule('└', '┴', '┘')];
}

function fitCell(text: string, width: number): string {
	return (text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text).padEnd(width);
}

export type CloudWatchTableProps = {
	cloudwatch: CloudWatchSnapshot | null;
	now: number;
	width: number;
	/** Data rows at most. @default 6 */
	maxRows?: number;
	/**
	 * `lines`: one line per row. `grid`: a bordered table drawn as one text line
	 * per row (an Ink node per cell, as @alcalzone/ink-table draws it, cost ~50 ms
	 * a frame at 160×48).
	 * @default 'lines'
	 */
	mode?: 'grid' | 'lines';
};

export function CloudWatchTable({cloudwatch, now, width, maxRows = 6, mode = 'lines'}: CloudWatchTableProps) {
	if (!cloudwatch) return <Text wrap="truncate-end">CloudWatch - off: not configured in the plan</Text>;
	const state = sourceBadge(cloudwatch.state);
	const last = cloudwatch.lastSuccessAt === null ? 'never' : `${formatDuration(now - cloudwatch.lastSuccessAt)} ago`;
	const rows = cloudWatchRows(cloudwatch, now);
	// The "… N more" line counts against maxRows in the line view, so the section's height holds.
	const fitRows = mode === 'lines' && rows.length > maxRows ? Math.max(0, maxRows - 1) : maxRows;
	const shown = rows.slice(0, fitRows);
	const more = rows.length - shown.length;
	return (
		<Box flexDirection="column" width={width}>
			<Text wrap="truncate-end">
				<Text bold>CloudWatch</Text>{' '}
				<Colored tone={state.tone}>
					{state.symbol} {state.word}
				</Colored>
				{` · polled ${last} · ${cloudwatch.callsLastHour} calls/h · ${alarmSummary(cloudwatch)}`}
			</Text>
			{rows.length === 0 ? <Colored tone="yellow">? NO DATA: no metrics or alarms received</Colored> : null}
			{mode === 'grid' && shown.length > 0
				? gridLines(
						['Name', 'Status', 'Value', 'Age'],
						shown.map((r) => [r.name, r.status, r.value, r.age]),
						// The name gives way first, so the value keeps at least a few words at 120 columns.
						[Math.max(12, Math.min(30, Math.floor(width * 0.35))), 14, 200, 5],
						width,
						2,
					).map((line, i) => (
						<Text key={`g${i}`} wrap="truncate-end">
							{line}
						</Text>
					))
				: null}
			{mode === 'lines'
				? shown.map((r, i) => (
						<Text key={`${r.kind}-${r.name}-${i}`} wrap="truncate-end">
							{'  '}
							<Colored tone={r.status.startsWith('✗') ? 'red' : r.status.startsWith('?') ? 'yellow' : 'green'}>{r.status.padEnd(14)}</Colored>
							{fit(` ${r.name.padEnd(28)} ${r.value.padStart(6)}  ${r.age}`, width - 16)}
						</Text>
					))
				: null}
			{more > 0 && maxRows > 0 ? <Colored tone="gray">{`  … ${more} more`}</Colored> : null}
		</Box>
	);
}
