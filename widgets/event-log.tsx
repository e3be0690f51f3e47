/** Decisions, actions and ready-to-paste status messages, newest at the bottom. */
import React from 'react';
import {Box, Text} from 'ink';
import type {LogEntry, LogLevel} from '../source/core/snapshot.js';
import {fit, formatClock, type Tone} from './format.js';
import {Colored} from './theme.js';

const levels: Record<LogLevel, {symbol: string; tone: Tone}> = {
	info: {symbol: '·', tone: undefined},
	warn: {symbol: '!', tone: 'yellow'},
	error: {symbol: '✗', tone: 'red'},
	success: {symbol: '✓', tone: 'green'},
};

type Line = {key: string; kind: 'entry' | 'message'; entry: LogEntry};

/** The newest lines that fit in `maxLines`; a status message takes its own line. */
export function logLines(log: readonly LogEntry[], maxLines: number): Line[] {
	const lines: Line[] = log.flatMap((entry, i) => {
		const own: Line = {key: `${i}-e`, kind: 'entry', entry};
		return entry.message ? [own, {key: `${i}-m`, kind: 'message', entry}] : [own];
	});
	return maxLines <= 0 ? [] : lines.slice(-maxLines);
}

export type EventLogProps = {log: readonly LogEntry[]; width: number; maxLines: number};

export function EventLog({log, width, maxLines}: EventLogProps) {
	const lines = logLines(log, maxLines);
	return (
		<Box flexDirection="column" width={width}>
			{lines.length === 0 ? <Colored tone="gray">(no events yet)</Colored> : null}
			{lines.map((l) => {
				if (l.kind === 'message') {
					return (
						<Text key={l.key} wrap="truncate-end">
							{'         📋 '}
							<Colored tone="cyan">{fit(l.entry.message ?? '', width - 13)}</Colored>
						</Text>
					);
				}
				const lv = levels[l.entry.level];
				return (
					<Text key={l.key} wrap="truncate-end">
						<Colored tone="gray">{formatClock(l.entry.at)}</Colored>{' '}
						<Colored tone={lv.tone}>
							{lv.symbol} {fit(l.entry.text, width - 12)}
						</Colored>
					</Text>
				);
			})}
		</Box>
	);
}
