/** Zoom: the Why and every gate item in full, wrapped (k9s' describe view), clipped to the space it has. */
import React from 'react';
import {Box, Text} from 'ink';
import type {Decision, GateView} from '../source/core/decision-types.js';
import {gateBadge, gateItemBadge} from './badges.js';
import {wrapText} from './gate-checklist.js';
import {Colored} from './theme.js';

/** Every line of the zoom, wrapped to `width`. */
function zoomLines(decision: Decision | null, gates: readonly GateView[], width: number): string[] {
	const why = decision ? `Why (${decision.kind.toUpperCase()}): ${decision.reason}` : 'Why: no decision yet';
	const lines = [...wrapText(why, width), ''];
	for (const g of gates) {
		const b = gateBadge(g.status);
		lines.push(`Gate ${g.gate} ${b.symbol} ${b.word} ${g.title}`);
		for (const item of g.items) {
			const ib = gateItemBadge(item.status);
			lines.push(...wrapText(`${ib.symbol} ${ib.word} ${item.label}${item.detail ? ` — ${item.detail}` : ''}`, width - 2).map((l) => `  ${l}`));
		}
	}
	return lines;
}

export function ZoomView({decision, gates, width, height}: {decision: Decision | null; gates: readonly GateView[]; width: number; height: number}) {
	const all = zoomLines(decision, gates, width);
	const room = Math.max(0, height - 1);
	const shown = all.slice(0, room);
	const more = all.length - shown.length;
	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			<Box height={1} flexShrink={0}>
				<Colored tone="cyan" bold inverse>
					{` Zoom — z/Esc: close${more > 0 ? ` · ${more} more lines: a taller terminal shows them` : ''} `}
				</Colored>
			</Box>
			{shown.map((line, i) => (
				<Box key={i} height={1} flexShrink={0} overflowY="hidden">
					<Text wrap="truncate-end">{line === '' ? ' ' : line}</Text>
				</Box>
			))}
		</Box>
	);
}
