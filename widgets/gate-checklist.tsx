/**
 * Gates A–G with their items, one row per line so a section's height is
 * exactly its line count (a wrapped row in a squeezed Ink column draws over
 * its neighbour). When the rows do not fit, items of gates that need no
 * attention go first; `z` (zoom) shows everything.
 */
import React from 'react';
import {Box, Text} from 'ink';
import type {Decision, GateItemView, GateView} from '../source/core/decision-types.js';
import {fit, gateBadge, gateItemBadge} from './badges.js';
import {Colored} from './theme.js';

/** Wraps `text` to `width` columns at spaces (hard-breaking longer words). */
/** A paragraph's words, a unit kept with its number ("10 %", "800 ms"), so no line ends in a bare number. */
function unitWords(paragraph: string): string[] {
	const words: string[] = [];
	for (const word of paragraph.split(' ')) {
		const previous = words.at(-1);
		if (previous !== undefined && /\d$/.test(previous) && /^(%|ms|s|min|h)[,.;:)]*$/.test(word)) words[words.length - 1] = `${previous} ${word}`;
		else words.push(word);
	}
	return words;
}

export function wrapText(text: string, width: number): string[] {
	if (width <= 0) return [];
	const out: string[] = [];
	for (const paragraph of text.split('\n')) {
		let line = '';
		for (const word of unitWords(paragraph)) {
			let rest = word;
			while (Array.from(rest).length > width) {
				if (line !== '') out.push(line);
				line = '';
				out.push(Array.from(rest).slice(0, width).join(''));
				rest = Array.from(rest).slice(width).join('');
			}
			const candidate = line === '' ? rest : `${line} ${rest}`;
			if (Array.from(candidate).length > width) {
				out.push(line);
				line = rest;
			} else {
				line = candidate;
			}
		}
		out.push(line);
	}
	return out;
}

/** `Why (HOLD): …` as wrapped lines; the last kept line ends `… (z: zoom)` when cut. */
/** `idle`: what the line says with no decision. @default 'Why: no decision yet (waiting for the first check)' */
export function whyLines(
	decision: Decision | null,
	width: number,
	maxLines: number,
	suffix = '',
	idle = 'Why: no decision yet (waiting for the first check)',
): string[] {
	const text = decision ? `Why (${decision.kind.toUpperCase()}): ${decision.reason}${suffix}` : `${idle}${suffix}`;
	const lines = wrapText(text, width);
	if (lines.length <= maxLines) return lines;
	const kept = lines.slice(0, Math.max(1, maxLines));
	const marker = ' … (z: zoom)';
	const last = kept.at(-1) ?? '';
	kept[kept.length - 1] = `${Array.from(last)
		.slice(0, Math.max(0, width - marker.length))
		.join('')}${marker}`;
	return kept;
}

export function decisionTone(decision: Decision | null): 'red' | 'yellow' | 'green' | undefined {
	if (!decision) return undefined;
	return decision.kind === 'rollback' || decision.kind === 'abort' ? 'red' : decision.kind === 'hold' ? 'yellow' : 'green';
}

export type GateRow =
	| {key: string; kind: 'gate'; gate: GateView}
	| {key: string; kind: 'item'; gate: GateView; item: GateItemView; withGate?: boolean}
	| {key: string; kind: 'summary'; gates: GateView[]};

function needsAttention(g: GateView): boolean {
	return (
		g.status === 'active' ||
		g.status === 'fail' ||
		g.status === 'no_data' ||
		g.status === 'skipped' ||
		g.items.some((i) => i.status === 'waiting_sign_off' || i.status === 'fail' || i.status === 'no_data')
	);
}

/**
 * Rows for `maxLines`: every gate with every item when they fit; else every
 * gate row with the items of gates needing attention; else (compact) one
 * summary row and as many attention items as fit.
 */
function gateRows(gates: readonly GateView[], maxLines: number): GateRow[] {
	const full: GateRow[] = gates.flatMap((g) => [
		{key: g.gate, kind: 'gate' as const, gate: g},
		...g.items.map((item) => ({key: `${g.gate}-${item.id}`, kind: 'item' as const, gate: g, item})),
	]);
	if (full.length <= maxLines) return full;
	const focused: GateRow[] = gates.flatMap((g) => [
		{key: g.gate, kind: 'gate' as const, gate: g},
		...(needsAttention(g) ? g.items.map((item) => ({key: `${g.gate}-${item.id}`, kind: 'item' as const, gate: g, item})) : []),
	]);
	if (focused.length <= maxLines) return focused;
	const attention: GateRow[] = gates
		.filter(needsAttention)
		.flatMap((g) => g.items.map((item) => ({key: `${g.gate}-${item.id}`, kind: 'item' as const, gate: g, item, withGate: true})));
	return maxLines <= 0 ? [] : [{key: 'summary', kind: 'summary', gates: [...gates]}, ...attention.slice(0, maxLines - 1)];
}

function ItemLine({gate, item, width}: {gate: string; item: GateItemView; width: number}) {
	const b = gateItemBadge(item.status);
	// Cut here, by characters: Ink's own truncation re-tokenizes the styled line on every frame.
	// A step shows the last line of its output (sanitized and redacted where it entered).
	const last = item.output?.trimEnd().split('\n').at(-1);
	const detail = last ? `${item.detail} · ${last}` : item.detail;
	const rest = fit(`${item.label}${detail ? ` — ${detail}` : ''}`, width - 20 - (gate ? 2 : 0));
	const cut = Math.min(item.label.length, rest.length);
	return (
		<Text wrap="truncate-end">
			{'  '}
			{gate ? `${gate} ` : ''}
			<Colored tone={b.tone}>
				{b.symbol} {b.word.padEnd(13)}
			</Colored>{' '}
			{rest.slice(0, cut)}
			<Colored tone="gray">{rest.slice(cut)}</Colored>
		</Text>
	);
}

function RowView({row, width}: {row: GateRow; width: number}) {
	switch (row.kind) {
		case 'summary':
			return (
				<Text wrap="truncate-end">
					{'Gates '}
					{row.gates.map((g) => {
						const b = gateBadge(g.status);
						return (
							<Colored key={g.gate} tone={b.tone} inverse={g.status === 'active'}>
								{` ${g.gate} ${b.symbol}${b.word}`}
							</Colored>
						);
					})}
				</Text>
			);
		case 'gate': {
			const b = gateBadge(row.gate.status);
			return (
				<Text wrap="truncate-end">
					<Colored tone={b.tone} bold inverse={row.gate.status === 'active'}>
						{`Gate ${row.gate.gate} ${b.symbol} ${b.word}`}
					</Colored>{' '}
					{row.gate.title}
				</Text>
			);
		}
		case 'item':
			return <ItemLine gate={row.withGate ? row.gate.gate : ''} item={row.item} width={width} />;
		default: {
			const _never: never = row;
			return _never;
		}
	}
}

export type GateChecklistProps = {gates: GateView[]; width: number; maxLines: number};

export function GateChecklist({gates, width, maxLines}: GateChecklistProps) {
	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			{gateRows(gates, maxLines).map((row) => (
				<Box key={row.key} height={1} flexShrink={0} overflowY="hidden">
					<RowView row={row} width={width} />
				</Box>
			))}
		</Box>
	);
}

/** Lines the checklist would like: every gate and item. */
export function gateLinesWanted(gates: readonly GateView[]): number {
	return gates.reduce((n, g) => n + 1 + g.items.length, 0);
}
