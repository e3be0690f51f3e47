/** The key help, generated from the keymap by the caller (widgets do not import it). */
import React from 'react';
import {Box, Text} from 'ink';
import {Colored} from './theme.js';

export type HelpEntry = {
	keys: string;
	label: string;
	/** Shorter label for narrow terminals. @default label */
	short?: string;
	description: string;
	dangerous: boolean;
};

function compactKey(keys: string): string {
	const first = keys.split('/')[0] ?? '';
	return first === 'space' ? 'spc' : first;
}

/**
 * The entries that fit in `width`: from the front, always keeping the last
 * `keepLast` (help and quit: the way to learn the rest and the way out).
 * `compact` spells each as `p promote` (first key only) instead of ` p  promote`.
 */
function fitHelp(items: readonly HelpEntry[], width: number, compact: boolean, keepLast = 2): {shown: HelpEntry[]; dropped: number} {
	const cost = (it: HelpEntry) => (compact ? compactKey(it.keys).length + (it.short ?? it.label).length + 2 : it.keys.length + it.label.length + 4);
	if (items.reduce((n, it) => n + cost(it), 0) - 1 <= width) return {shown: [...items], dropped: 0};
	const tail = items.slice(-keepLast);
	const head = items.slice(0, Math.max(0, items.length - keepLast));
	let budget = width - tail.reduce((n, it) => n + cost(it), 0) - 2;
	const shown: HelpEntry[] = [];
	for (const it of head) {
		if (cost(it) > budget) break;
		budget -= cost(it);
		shown.push(it);
	}
	return {shown: [...shown, ...tail], dropped: head.length - shown.length};
}

export function HelpBar({items, width}: {items: readonly HelpEntry[]; width: number}) {
	const full = fitHelp(items, width, false);
	const compact = full.dropped > 0;
	const {shown, dropped} = compact ? fitHelp(items, width, true) : full;
	return (
		<Box width={width}>
			<Text wrap="truncate-end">
				{shown.map((it, i) => (
					<React.Fragment key={it.keys}>
						{i > 0 ? ' ' : ''}
						{dropped > 0 && i === shown.length - 2 ? '… ' : ''}
						<Colored tone={it.dangerous ? 'red' : 'cyan'} inverse>
							{compact ? compactKey(it.keys) : ` ${it.keys} `}
						</Colored>
						{` ${compact ? (it.short ?? it.label) : it.label}`}
					</React.Fragment>
				))}
			</Text>
		</Box>
	);
}

export function HelpOverlay({items, width}: {items: readonly HelpEntry[]; width: number}) {
	const keyWidth = Math.max(...items.map((i) => i.keys.length)) + 2;
	return (
		<Box flexDirection="column" borderStyle="double" width={width} paddingX={1} flexShrink={0}>
			<Text bold>Keys</Text>
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
