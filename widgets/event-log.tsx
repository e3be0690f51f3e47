/**
 * Decisions, actions and ready-to-paste status messages, newest at the bottom.
 * The operator can scroll back (a selected line is marked `›`), filter, and
 * open a line in full; a line is cut to the width here, never lost.
 */
import React from 'react';
import {Box, Text} from 'ink';
import type {LogEntry, LogLevel} from '../source/core/snapshot.js';
import {formatWallClock} from '../source/core/format.js';
import {fit, type Tone} from './badges.js';
import {Colored} from './theme.js';

const levels: Record<LogLevel, {symbol: string; tone: Tone}> = {
	info: {symbol: '·', tone: undefined},
	warn: {symbol: '!', tone: 'yellow'},
	error: {symbol: '✗', tone: 'red'},
	success: {symbol: '✓', tone: 'green'},
};

type Line = {key: string; kind: 'entry' | 'message'; entry: LogEntry; selected: boolean};

/**
 * The lines that fit in `maxLines`, ending at the selected entry (or the
 * newest when following); a status message takes its own line.
 */
export function logLines(log: readonly LogEntry[], maxLines: number, selected: number | null = null): Line[] {
	if (maxLines <= 0) return [];
	const end = selected === null ? log.length - 1 : Math.min(selected, log.length - 1);
	const lines: Line[] = log.slice(0, end + 1).flatMap((entry, i) => {
		const own: Line = {key: `${i}-e`, kind: 'entry', entry, selected: i === selected};
		return entry.message ? [own, {key: `${i}-m`, kind: 'message', entry, selected: false}] : [own];
	});
	return lines.slice(-maxLines);
}

export type EventLogProps = {
	log: readonly LogEntry[];
	width: number;
	maxLines: number;
	/** Index in `log` of the selected line; null: follow the newest. @default null */
	selected?: number | null;
	/** The filter in force, shown in the log's title line. @default '' */
	filter?: string;
};

/** The title line, only when scrolled back or filtered: the log says where it is and how to get back. */
function logTitle(count: number, selected: number | null, filter: string): string | null {
	if (selected === null && filter === '') return null;
	const where = selected === null ? 'newest' : `line ${selected + 1} of ${count}`;
	const filtered = filter === '' ? '' : ` · filter "${filter}" (/ to change, Esc clears)`;
	return `Event log: ${where}${filtered} · ↑/↓ PgUp/PgDn scroll · Enter opens the line${selected === null ? '' : ' · PgDn to the newest'}`;
}

export function EventLog({log, width, maxLines, selected = null, filter = ''}: EventLogProps) {
	const title = logTitle(log.length, selected, filter);
	const lines = logLines(log, maxLines - (title ? 1 : 0), selected);
	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			{title ? (
				<Box height={1} flexShrink={0}>
					<Colored tone="cyan">{fit(title, width)}</Colored>
				</Box>
			) : null}
			{lines.length === 0 ? <Colored tone="gray">{filter === '' ? '(no events yet)' : `(no line contains "${filter}")`}</Colored> : null}
			{lines.map((l) => {
				if (l.kind === 'message') {
					return (
						<Box key={l.key} height={1} flexShrink={0}>
							<Text wrap="truncate-end">
								{'         📋 '}
								<Colored tone="cyan">{fit(l.entry.message ?? '', width - 13)}</Colored>
							</Text>
						</Box>
					);
				}
				const lv = levels[l.entry.level];
				return (
					<Box key={l.key} height={1} flexShrink={0}>
						<Text wrap="truncate-end" inverse={l.selected}>
							{l.selected ? '›' : ' '}
							<Colored tone="gray">{formatWallClock(l.entry.at)}</Colored>{' '}
							<Colored tone={lv.tone}>
								{lv.symbol} {fit(l.entry.text, width - 13)}
							</Colored>
						</Text>
					</Box>
				);
			})}
		</Box>
	);
}
