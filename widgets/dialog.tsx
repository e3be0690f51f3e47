/** The one dialog frame: what will happen, the field being typed, the keys. */
import React from 'react';
import {Box, Text} from 'ink';
import type {DialogView} from '../source/core/console-view.js';
import {Colored, useBorderTone} from './theme.js';

export type {DialogView};

export function Dialog({view, width}: {view: DialogView; width: number}) {
	const tone = view.danger ? 'red' : 'cyan';
	const border = useBorderTone(tone);
	return (
		<Box flexDirection="column" borderStyle="double" borderColor={border} width={width} paddingX={1} flexShrink={0}>
			<Colored tone={tone} bold inverse={view.danger}>
				{` ${view.danger ? '⚠ ' : ''}${view.title} `}
			</Colored>
			{view.lines.map((line, i) => (
				<Text key={i} wrap="wrap">
					{line}
				</Text>
			))}
			{(view.choices ?? []).map((c, i) => (
				<Text key={`c${i}`} wrap="truncate-end" inverse={c.selected}>
					{c.selected ? '› ' : '  '}
					{c.label}
				</Text>
			))}
			{view.input ? (
				<Text wrap="truncate-start">
					<Text bold>{view.input.label}: </Text>
					{view.input.value}
					<Text inverse> </Text>
				</Text>
			) : null}
			<Colored tone="gray">{view.hint}</Colored>
		</Box>
	);
}
