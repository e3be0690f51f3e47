/** The top lines: where are we, for how long, can the data be trusted, and the rollback's verified state. */
import React from 'react';
import {Box, Text} from 'ink';
import type {Snapshot} from '../source/core/snapshot.js';
import type {SourceState} from '../source/core/measurements.js';
import {formatTimer} from '../source/core/format.js';
import {sourceBadge} from './badges.js';
import {flagText, modeText, rollbackText, stageText} from './launch-state-text.js';
import {Colored} from './theme.js';

/** Stage name and what comes next (kept for callers that want both as text). */
export function stageClock(snapshot: Snapshot): {stage: string; left: string} {
	const {stage, next} = stageText(snapshot);
	return {stage, left: next};
}

/** Lines the header takes: the status line, the rollback line when a rollback was decided, sources, the resume notice. */
export function headerLines(snapshot: Snapshot): number {
	return 2 + (rollbackText(snapshot) ? 1 : 0) + (snapshot.resumeNotice ? 1 : 0);
}

function Source({name, state, extra}: {name: string; state: SourceState; extra?: string}) {
	const b = sourceBadge(state);
	return (
		<Colored tone={b.tone}>
			{name} {b.symbol} {b.word}
			{/* Beside an error's words the extra needs a mark of its own: "unreachable: … · last read 30 %". */}
			{extra ? `${state.kind === 'ok' ? ' ' : ' · '}${extra}` : ''}
		</Colored>
	);
}

function Row({children}: {children: React.ReactNode}) {
	return (
		<Box height={1} flexShrink={0} overflowY="hidden">
			{children}
		</Box>
	);
}

export type HeaderProps = {snapshot: Snapshot; width: number};

export function Header({snapshot, width}: HeaderProps) {
	const mode = modeText(snapshot);
	const rollback = rollbackText(snapshot);
	const {stage, next} = stageText(snapshot);
	const cw = snapshot.cloudwatch;
	const shortStage = rollback ? (stage.split(' — ')[0] ?? stage) : stage;
	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			<Row>
				<Text wrap="truncate-end">
					<Text bold>{snapshot.service}</Text> · {snapshot.environment} · T+{formatTimer(snapshot.at - snapshot.startedAt)} ·{' '}
					<Colored tone={mode.tone} inverse={mode.loud}>
						{mode.text}
					</Colored>{' '}
					· <Text bold>{snapshot.postLaunchWatch ?? shortStage}</Text>
					{next ? ` · ${next}` : ''}
				</Text>
			</Row>
			{rollback ? (
				<Row>
					<Colored tone={rollback.tone} bold inverse={rollback.loud}>
						{` ${rollback.text} `}
					</Colored>
				</Row>
			) : null}
			<Row>
				<Text wrap="truncate-end">
					<Source name="probes" state={snapshot.sources.probes} /> ·{' '}
					<Source name="CloudWatch" state={snapshot.sources.cloudwatch} extra={cw ? `(${cw.callsLastHour} calls/h)` : ''} /> ·{' '}
					<Source name="flag" state={snapshot.sources.flag} extra={flagText(snapshot)} />
					{snapshot.sources.notify ? (
						<>
							{' · '}
							<Source name="notify" state={snapshot.sources.notify} />
						</>
					) : null}
				</Text>
			</Row>
			{snapshot.resumeNotice ? (
				<Row>
					<Colored tone="yellow" inverse>
						⚠ {snapshot.resumeNotice}
					</Colored>
				</Row>
			) : null}
		</Box>
	);
}
