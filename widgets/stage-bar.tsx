/** The canary's road: 10 → 30 → 50 → 100 → G, the current step highlighted. */
import React from 'react';
import {Box, Text} from 'ink';
import type {Snapshot} from '../source/core/snapshot.js';
import {formatTimer} from '../source/core/format.js';
import {Colored} from './theme.js';

export type StageStep = {label: string; state: 'done' | 'current' | 'todo' | 'failed'};

/** Steps of the bar, from the canary phase (pure, tested without rendering). */
export function stageSteps(snapshot: Snapshot): StageStep[] {
	const {phase} = snapshot.canary;
	const labels = [...snapshot.stages.map((p) => `${p}%`), 'G'];
	const current = (() => {
		switch (phase.kind) {
			case 'pre':
				return -1;
			case 'stage':
				return phase.index;
			case 'stabilizing':
				return snapshot.stages.length;
			case 'succeeded':
				return labels.length;
			case 'rolled_back':
			case 'aborted': {
				// The stage reached before it stopped: the last one at or below the percent left.
				const from = phase.kind === 'rolled_back' ? (phase.decision.fromPercent ?? null) : null;
				const i = from === null ? -1 : snapshot.stages.indexOf(from);
				return i;
			}
			default: {
				const _never: never = phase;
				return _never;
			}
		}
	})();
	const stopped = phase.kind === 'rolled_back' || phase.kind === 'aborted';
	return labels.map((label, i) => ({
		label,
		state: i < current ? 'done' : i === current ? (stopped ? 'failed' : 'current') : 'todo',
	}));
}

export type StageBarProps = {snapshot: Snapshot; width: number};

export function StageBar({snapshot, width}: StageBarProps) {
	const steps = stageSteps(snapshot);
	const {phase} = snapshot.canary;
	const inStage =
		phase.kind === 'stage' || phase.kind === 'stabilizing'
			? ` in stage ${formatTimer(snapshot.at - phase.enteredAt)} / ${formatTimer(phase.kind === 'stage' ? snapshot.stageDurationMs : snapshot.stabilizationMs)}`
			: '';
	const action = snapshot.action;
	const act =
		action.kind === 'in_flight'
			? ` · ⟳ ${action.action.replace('_', ' ')}${action.targetPercent === null ? '' : ` → ${action.targetPercent} %`} in flight`
			: action.kind === 'done'
				? ` · last action: ${action.action.replace('_', ' ')} ${action.ok ? '✓ ok' : '✗ FAILED'} (${action.detail})`
				: '';
	return (
		<Box width={width}>
			<Text wrap="truncate-end">
				{'Canary '}
				{steps.map((s, i) => (
					<React.Fragment key={s.label}>
						{i > 0 ? <Text>{s.state === 'todo' ? ' ─ ' : ' ━ '}</Text> : null}
						{s.state === 'current' ? (
							<Colored tone="cyan" bold inverse>{`[${s.label}]`}</Colored>
						) : s.state === 'failed' ? (
							<Colored tone="red" bold inverse>{`✗${s.label}`}</Colored>
						) : s.state === 'done' ? (
							<Colored tone="green">{`✓${s.label}`}</Colored>
						) : (
							<Colored tone="gray">{s.label}</Colored>
						)}
					</React.Fragment>
				))}
				{inStage}
				{act}
			</Text>
		</Box>
	);
}
