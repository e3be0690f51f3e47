/** The top lines: where are we, for how long, and can the data be trusted. */
import React from 'react';
import {Box, Text} from 'ink';
import type {Snapshot} from '../source/core/snapshot.js';
import type {SourceState} from '../source/core/measurements.js';
import {formatDuration, sourceBadge} from './format.js';
import {Colored} from './theme.js';

/** Stage name and the time left before auto-advance (empty when not counting down). */
export function stageClock(snapshot: Snapshot): {stage: string; left: string} {
	const {phase} = snapshot.canary;
	switch (phase.kind) {
		case 'pre':
			return {stage: 'pre-launch (gates A–B)', left: ''};
		case 'stage': {
			const left = phase.greenSince === null ? 'held: not green' : `${formatDuration(snapshot.stageDurationMs - (snapshot.at - phase.greenSince))} left`;
			return {stage: `stage ${phase.percent} %`, left};
		}
		case 'stabilizing': {
			const left = phase.greenSince === null ? 'held: not green' : `${formatDuration(snapshot.stabilizationMs - (snapshot.at - phase.greenSince))} left`;
			return {stage: 'Gate G at 100 %', left};
		}
		case 'succeeded':
			return {stage: 'SUCCEEDED at 100 %', left: ''};
		case 'rolled_back':
			return {stage: `ROLLED BACK (${phase.rollback})`, left: ''};
		case 'aborted':
			return {stage: `ABORTED: ${phase.reason}`, left: ''};
		default: {
			const _never: never = phase;
			return _never;
		}
	}
}

function Source({name, state, extra}: {name: string; state: SourceState; extra?: string}) {
	const b = sourceBadge(state);
	return (
		<Colored tone={b.tone}>
			{name} {b.symbol} {b.word}
			{extra ? ` ${extra}` : ''}
		</Colored>
	);
}

export type HeaderProps = {snapshot: Snapshot; width: number};

export function Header({snapshot, width}: HeaderProps) {
	const {stage, left} = stageClock(snapshot);
	const mode = snapshot.canary.paused ? 'PAUSED' : snapshot.canary.armed ? 'AUTO' : 'DISARMED';
	const cw = snapshot.cloudwatch;
	const flag = snapshot.flagPercent === null ? 'unknown' : `${snapshot.flagPercent} %`;
	const m = snapshot.mitigation;
	return (
		<Box flexDirection="column" width={width}>
			<Text wrap="truncate-end">
				<Text bold>{snapshot.service}</Text> · {snapshot.environment} · T+{formatDuration(snapshot.at - snapshot.startedAt)} ·{' '}
				<Colored tone={mode === 'AUTO' ? 'green' : 'yellow'} inverse={mode !== 'AUTO'}>
					{mode === 'PAUSED' ? '⏸ PAUSED' : mode === 'AUTO' ? '▶ AUTO' : '⛔ DISARMED'}
				</Colored>
				{snapshot.readOnly ? ' · READ-ONLY' : ''} · <Text bold>{snapshot.postLaunchWatch ?? stage}</Text>
				{left && !snapshot.postLaunchWatch ? ` · ${left}` : ''}
			</Text>
			<Text wrap="truncate-end">
				<Source name="probes" state={snapshot.sources.probes} /> · <Source name="CloudWatch" state={snapshot.sources.cloudwatch} extra={cw ? `(${cw.callsLastHour} calls/h)` : ''} /> ·{' '}
				<Source name="flag" state={snapshot.sources.flag} extra={flag} />
				{m ? ` · rollback ${m.confirmedAt === null ? `confirming… ${formatDuration(snapshot.at - m.triggeredAt)}` : `confirmed in ${((m.confirmedAt - m.triggeredAt) / 1000).toFixed(1)} s`}` : ''}
			</Text>
			{snapshot.resumeNotice ? (
				<Colored tone="yellow" inverse>
					⚠ {snapshot.resumeNotice}
				</Colored>
			) : null}
		</Box>
	);
}
