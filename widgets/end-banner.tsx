/** When the launch has ended: the outcome, where the report and journal are, and how to leave. */
import React from 'react';
import {Box, Text} from 'ink';
import type {LaunchEnd} from '../source/core/console-view.js';
import type {Tone} from './badges.js';
import {Colored} from './theme.js';

const outcomes: Record<LaunchEnd['outcome'], {word: string; tone: Tone}> = {
	success: {word: 'SUCCEEDED', tone: 'green'},
	rolled_back: {word: 'ROLLED BACK', tone: 'red'},
	rollback_failed: {word: 'ROLLBACK FAILED — act by hand', tone: 'red'},
	aborted: {word: 'ABORTED', tone: 'red'},
	inconclusive: {word: 'INCONCLUSIVE', tone: 'yellow'},
	interrupted: {word: 'INTERRUPTED', tone: 'yellow'},
};

export const endBannerLines = 2;

export function EndBanner({end, width}: {end: LaunchEnd; width: number}) {
	const o = outcomes[end.outcome];
	const files = end.reportFile || end.journalFile ? `report: ${end.reportFile ?? '(not written)'} · journal: ${end.journalFile ?? '(none)'} · ` : '';
	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			<Box height={1} flexShrink={0} overflowY="hidden">
				<Colored tone={o.tone} bold inverse>
					{` ■ LAUNCH ENDED: ${o.word} (exit ${end.exitCode}) — ${end.reason} `}
				</Colored>
			</Box>
			<Box height={1} flexShrink={0} overflowY="hidden">
				<Text wrap="truncate-start">
					{files}
					<Text bold>q to exit</Text>
				</Text>
			</Box>
		</Box>
	);
}
