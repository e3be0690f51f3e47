/** The key help, generated from the keymap by the caller (widgets do not import it). */
import React from 'react';
import {Box, Text} from 'ink';
import {Colored} from './theme.js';

export type HelpEntry = {keys: string; label: string; description: string; dangerous: boolean};

export function HelpBar({items, width}: {items: readonly HelpEntry[]; width: number}) {
	return (
		<Box width={width}>
			<Text wrap="truncate-end">
				{items.map((it, i) => (
					<React.Fragment key={it.keys}>
						{i > 0 ? ' ' : ''}
						<Colored tone={it.dangerous ? 'red' : 'cyan'} inverse>{` ${it.keys} `}</Colored>
						{` ${it.label}`}
					</React.Fragment>
				))}
			</Text>
		</Box>
	);
}

export function HelpOverlay({items, width, readOnly}: {items: readonly HelpEntry[]; width: number; readOnly: boolean}) {
	const keyWidth = Math.max(...items.map((i) => i.keys.length)) + 2;
	return (
		<Box flexDirection="column" borderStyle="double" width={width} paddingX={1}>
			<Text bold>Keys{readOnly ? ' (read-only watcher: only viewing keys)' : ''}</Text>
			{items.map((it) => (
				<Text key={it.keys} wrap="truncate-end">
					<Colored tone={it.dangerous ? 'red' : 'cyan'} bold>
						{it.keys.padEnd(keyWidth)}
					</Colored>
					{it.description}
					{it.dangerous ? ' [dangerous: confirms]' : ''}
				</Text>
			))}
			<Colored tone="gray">? / Esc: close</Colored>
		</Box>
	);
}
