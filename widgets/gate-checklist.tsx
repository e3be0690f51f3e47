/** Gates A–G with their items, and why the engine decided what it decided. */
import React from 'react';
import {Box, Text} from 'ink';
import type {Decision, GateView} from '../source/core/decision-types.js';
import {fit, gateBadge, gateItemBadge} from './format.js';
import {Colored} from './theme.js';

export type GateChecklistProps = {
	gates: GateView[];
	decision: Decision | null;
	width: number;
	/**
	 * `compact`: one summary line for all gates plus the items of the gates that
	 * need attention (active, failing, no data, waiting). `full`: every item.
	 * @default 'full'
	 */
	mode?: 'compact' | 'full';
	/** Item lines at most (compact mode). @default 4 */
	maxItems?: number;
};

/** Lines the compact checklist needs: summary, attention items (up to `maxItems`), the reason (1–2 lines). */
export function compactGateLines(gates: readonly GateView[], decision: Decision | null, width: number, maxItems: number): number {
	const items = gates.filter(needsAttention).reduce((n, g) => n + g.items.length, 0);
	const reason = decision ? `Why (${decision.kind.toUpperCase()}): ${decision.reason}` : '';
	return 1 + Math.min(items, maxItems) + (reason.length > width ? 2 : 1);
}

function needsAttention(g: GateView): boolean {
	return g.status === 'active' || g.status === 'fail' || g.status === 'no_data' || g.items.some((i) => i.status === 'waiting_sign_off' || i.status === 'fail' || i.status === 'no_data');
}

/** A step's detail with the last line of its output (already sanitized and redacted). */
function withOutput(item: {detail: string; output?: string}): string {
	const last = item.output?.trimEnd().split('\n').at(-1);
	return last ? `${item.detail} · ${last}` : item.detail;
}

function ItemLine({gate, label, status, detail, width}: {gate: string; label: string; status: Parameters<typeof gateItemBadge>[0]; detail: string; width: number}) {
	const b = gateItemBadge(status);
	// Cut here, by characters: Ink's own truncation re-tokenizes the styled line on every frame.
	const rest = fit(`${label}${detail ? ` — ${detail}` : ''}`, width - 20 - (gate ? 2 : 0));
	const cut = Math.min(label.length, rest.length);
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

export function DecisionReason({decision, wrap = false}: {decision: Decision | null; wrap?: boolean}) {
	if (!decision) return <Text wrap="truncate-end">Why: no decision yet (waiting for the first check)</Text>;
	const tone = decision.kind === 'rollback' || decision.kind === 'abort' ? 'red' : decision.kind === 'hold' ? 'yellow' : 'green';
	return (
		<Text wrap={wrap ? 'wrap' : 'truncate-end'}>
			<Colored tone={tone} bold>
				{`Why (${decision.kind.toUpperCase()}): `}
			</Colored>
			{decision.reason}
		</Text>
	);
}

export function GateChecklist({gates, decision, width, mode = 'full', maxItems = 4}: GateChecklistProps) {
	if (mode === 'compact') {
		const items = gates.filter(needsAttention).flatMap((g) => g.items.map((i) => ({gate: g.gate, ...i})));
		return (
			<Box flexDirection="column" width={width}>
				<Text wrap="truncate-end">
					{'Gates '}
					{gates.map((g) => {
						const b = gateBadge(g.status);
						return (
							<Colored key={g.gate} tone={b.tone} inverse={g.status === 'active'}>
								{` ${g.gate} ${b.symbol}${b.word}`}
							</Colored>
						);
					})}
				</Text>
				{items.slice(0, maxItems).map((i) => (
					<ItemLine key={i.id} gate={i.gate} label={i.label} status={i.status} detail={withOutput(i)} width={width} />
				))}
				<DecisionReason decision={decision} wrap />
			</Box>
		);
	}
	return (
		<Box flexDirection="column" width={width}>
			<DecisionReason decision={decision} wrap />
			{gates.map((g) => {
				const b = gateBadge(g.status);
				return (
					<Box key={g.gate} flexDirection="column" flexShrink={0}>
						<Text wrap="truncate-end">
							<Colored tone={b.tone} bold inverse={g.status === 'active'}>
								{`Gate ${g.gate} ${b.symbol} ${b.word}`}
							</Colored>{' '}
							{g.title}
						</Text>
						{g.items.map((i) => (
							<ItemLine key={i.id} gate="" label={i.label} status={i.status} detail={withOutput(i)} width={width} />
						))}
					</Box>
				);
			})}
		</Box>
	);
}
