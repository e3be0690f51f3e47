/**
 * The whole screen for one snapshot at one terminal size. Pure: the app passes
 * the size, the dialog to show and the help entries. Every section has a fixed
 * height with overflow hidden, so the frame never grows past the terminal and
 * never scrolls (a scrolling full-screen app flickers and loses its header).
 */
import React from 'react';
import {Box} from 'ink';
import type {Snapshot} from '../source/core/snapshot.js';
import type {Decision} from '../source/core/decision-types.js';
import {Header} from './header.js';
import {StageBar} from './stage-bar.js';
import {SloTiles} from './slo-tiles.js';
import {GateChecklist, compactGateLines} from './gate-checklist.js';
import {CloudWatchTable, cloudWatchRows} from './cloudwatch-table.js';
import {EventLog} from './event-log.js';
import {FleetPanel} from './fleet-panel.js';
import {HelpBar, HelpOverlay, type HelpEntry} from './help-bar.js';
import {Dialog, type DialogView} from './dialog.js';
import {Colored} from './theme.js';

export type DashboardProps = {
	snapshot: Snapshot;
	/** Terminal columns. */
	width: number;
	/** Lines the frame may use (the app passes rows − 1: a frame as tall as the terminal makes Ink clear it every time). */
	height: number;
	help: readonly HelpEntry[];
	/** The open dialog, shown in place of the lower sections so the numbers stay visible. */
	dialog?: DialogView | null;
	showHelp?: boolean;
	/** A one-line notice: "ignored: promote already in flight", "read-only: …". */
	flash?: string | null;
};

/**
 * The decision whose reason the screen explains. While rolled back, that is the
 * rollback itself: the engine's later holds ("waiting for the probes") are in
 * the log, but "why are we at 0 %" is the question on the operator's mind.
 */
export function whyDecision(snapshot: Snapshot): Decision | null {
	const {phase} = snapshot.canary;
	if (phase.kind === 'rolled_back') return phase.decision;
	return snapshot.decision ?? snapshot.canary.lastDecision;
}

/** Which layout a size gets: rich tiles with charts from 120×36, one line per SLO below. */
export function layoutFor(width: number, height: number): {mode: 'rich' | 'compact'; chartHeight: number} {
	if (width >= 120 && height >= 36) return {mode: 'rich', chartHeight: height >= 46 ? 5 : 3};
	return {mode: 'compact', chartHeight: 0};
}

function Section({height, width, children}: {height: number; width: number; children: React.ReactNode}) {
	if (height <= 0) return null;
	return (
		<Box height={height} width={width} overflow="hidden" flexDirection="column" flexShrink={0}>
			{children}
		</Box>
	);
}

export function Dashboard({snapshot, width, height, help, dialog = null, showHelp = false, flash = null}: DashboardProps) {
	const {mode, chartHeight} = layoutFor(width, height);
	const why = whyDecision(snapshot);
	const headerH = snapshot.resumeNotice ? 3 : 2;
	const flashH = flash ? 1 : 0;
	const helpH = 1;
	const fixed = headerH + 1 + flashH + helpH;
	let body: React.ReactNode;
	if (mode === 'rich') {
		const tilesH = 2 + 4 + chartHeight + 1;
		const logH = Math.min(10, Math.max(4, Math.floor((height - fixed - tilesH) / 3)));
		const midH = Math.max(0, height - fixed - tilesH - logH);
		const half = Math.floor(width / 2);
		const lower = showHelp ? (
			<HelpOverlay items={help} width={Math.min(width, 110)} readOnly={snapshot.readOnly} />
		) : dialog ? (
			<Dialog view={dialog} width={Math.min(width, 110)} />
		) : (
			<Box width={width}>
				<Box width={half} flexDirection="column" overflow="hidden" paddingRight={1}>
					<GateChecklist gates={snapshot.gates} decision={why} width={half - 1} mode="full" />
				</Box>
				<Box width={width - half} flexDirection="column" overflow="hidden">
					<FleetPanel fleet={snapshot.fleet} probes={snapshot.probes} now={snapshot.at} width={width - half} maxRows={Math.max(2, Math.floor(midH / 2))} />
					<CloudWatchTable cloudwatch={snapshot.cloudwatch} now={snapshot.at} width={width - half} mode="grid" maxRows={Math.max(1, midH - 5)} />
				</Box>
			</Box>
		);
		body = (
			<>
				<Section height={tilesH} width={width}>
					<SloTiles slos={snapshot.slos} width={width} mode="tiles" chartHeight={chartHeight} judge={snapshot.canary.judge} />
				</Section>
				<Section height={midH} width={width}>
					{lower}
				</Section>
				<Section height={logH} width={width}>
					<EventLog log={snapshot.log} width={width} maxLines={logH} />
				</Section>
			</>
		);
	} else {
		const sloH = Math.max(1, snapshot.slos.length);
		const rest = height - fixed - sloH;
		if (showHelp || dialog) {
			body = (
				<>
					<Section height={sloH} width={width}>
						<SloTiles slos={snapshot.slos} width={width} mode="rows" judge={snapshot.canary.judge} />
					</Section>
					<Section height={rest} width={width}>
						{showHelp ? <HelpOverlay items={help} width={width} readOnly={snapshot.readOnly} /> : dialog ? <Dialog view={dialog} width={width} /> : null}
					</Section>
				</>
			);
		} else {
			// Caps grow with the height; each section then takes only the lines it fills, the log gets the rest.
			const gateItems = rest >= 14 ? Math.min(6, 3 + Math.floor((rest - 14) / 4)) : rest >= 10 ? 2 : 1;
			const gatesH = Math.min(rest, compactGateLines(snapshot.gates, why, width, gateItems));
			const cwRows = rest >= 16 ? Math.min(6, 3 + Math.floor((rest - 16) / 4)) : rest >= 12 ? 2 : 0;
			const cwCount = snapshot.cloudwatch ? cloudWatchRows(snapshot.cloudwatch, snapshot.at).length : 0;
			const cwH = Math.min(Math.max(0, rest - gatesH), 1 + Math.min(cwRows, Math.max(cwCount, snapshot.cloudwatch && cwCount === 0 ? 1 : 0)));
			const logH = Math.max(0, rest - gatesH - cwH);
			body = (
				<>
					<Section height={sloH} width={width}>
						<SloTiles slos={snapshot.slos} width={width} mode="rows" judge={snapshot.canary.judge} />
					</Section>
					<Section height={gatesH} width={width}>
						<GateChecklist gates={snapshot.gates} decision={why} width={width} mode="compact" maxItems={gateItems} />
					</Section>
					<Section height={cwH} width={width}>
						<CloudWatchTable cloudwatch={snapshot.cloudwatch} now={snapshot.at} width={width} mode="lines" maxRows={cwRows} />
					</Section>
					<Section height={logH} width={width}>
						<EventLog log={snapshot.log} width={width} maxLines={logH} />
					</Section>
				</>
			);
		}
	}
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Section height={headerH} width={width}>
				<Header snapshot={snapshot} width={width} />
			</Section>
			<Section height={1} width={width}>
				<StageBar snapshot={snapshot} width={width} />
			</Section>
			{body}
			{flash ? (
				<Box height={1} flexShrink={0}>
					<Colored tone="yellow" inverse>{` ${flash} `}</Colored>
				</Box>
			) : null}
			<Section height={helpH} width={width}>
				<HelpBar items={help} width={width} />
			</Section>
		</Box>
	);
}
