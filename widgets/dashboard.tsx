/**
 * The whole screen for one snapshot at one terminal size. Pure: the app passes
 * the size, the dialog, the help entries and the log view. Every section is a
 * box of a computed height that does not shrink, and every row in it is one
 * line, so the sections add up to the frame and no row can draw over another
 * (a squeezed Ink column shrinks its children and wrapped text then spills
 * into the next row). Tall screens give the extra rows to the gates and the log.
 */
import React from 'react';
import {Box, Text} from 'ink';
import type {Snapshot, LogEntry} from '../source/core/snapshot.js';
import type {Decision} from '../source/core/decision-types.js';
import type {LaunchEnd} from '../source/core/console-view.js';
import {Header, headerLines} from './header.js';
import {StageBar} from './stage-bar.js';
import {SloTiles} from './slo-tiles.js';
import {GateChecklist, decisionTone, gateLinesWanted, whyLines} from './gate-checklist.js';
import {CloudWatchTable, cloudWatchRows} from './cloudwatch-table.js';
import {EventLog} from './event-log.js';
import {FleetPanel, fleetLines} from './fleet-panel.js';
import {HelpBar, HelpOverlay, type HelpEntry} from './help-bar.js';
import {Dialog, type DialogView} from './dialog.js';
import {EndBanner, endBannerLines} from './end-banner.js';
import {ZoomView} from './zoom-view.js';
import {stageText} from './launch-state-text.js';
import {Colored} from './theme.js';
import {isManual} from '../source/core/soak.js';

type LogViewProps = {entries: readonly LogEntry[]; selected: number | null; filter: string};

export type DashboardProps = {
	snapshot: Snapshot;
	/** Terminal columns. */
	width: number;
	/** Lines the frame may use (the app passes rows − 1: a frame as tall as the terminal makes Ink clear the screen on every frame). */
	height: number;
	/** Every key, for the `?` overlay. */
	help: readonly HelpEntry[];
	/** The keys that do something now, for the help bar. @default help */
	liveHelp?: readonly HelpEntry[];
	/** The open dialog, shown in place of the lower sections so the numbers stay visible. */
	dialog?: DialogView | null;
	showHelp?: boolean;
	/** Zoom: the Why and every gate item in full. @default false */
	zoom?: boolean;
	/** A one-line notice: "ignored: promote already in flight", "x: unknown key — ? for help". */
	flash?: string | null;
	/** The event log as scrolled and filtered. @default the snapshot's log, following the newest */
	log?: LogViewProps;
	/** The launch has ended: the banner with the outcome, the report and "q to exit". @default null */
	ended?: LaunchEnd | null;
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

type Layout = {
	mode: 'rich' | 'compact';
	chartHeight: number;
	header: number;
	banner: number;
	slos: number;
	why: number;
	gates: number;
	cloudwatch: number;
	log: number;
	flash: number;
	/** Lines for a dialog, the help or the zoom: everything between the SLOs and the flash line. */
	lower: number;
};

/** In `--manual`, a hold's Why also says what the operator can do next. */
/** The Why with no decision: before the first check, or in --manual where golive starts and promotes nothing by itself. */
function whyIdle(snapshot: Snapshot): string {
	if ((snapshot.canary.lastCheckAt ?? null) === null) return 'Why: no decision yet (waiting for the first check)';
	return isManual(snapshot.canary) ? 'Why: --manual: golive starts and promotes nothing by itself, it only rolls back' : 'Why: no decision yet';
}

function whySuffix(snapshot: Snapshot): string {
	const decision = whyDecision(snapshot);
	if (!isManual(snapshot.canary) || (decision && decision.kind !== 'hold')) return '';
	const {next} = stageText(snapshot);
	return next ? ` — ${next}` : '';
}

/** Section heights for a frame of `width` × `height`; they add up to `height` exactly (or less on a tiny screen). */
function planLayout(snapshot: Snapshot, width: number, height: number, options: {flash: boolean; ended: boolean}): Layout {
	const {mode, chartHeight} = layoutFor(width, height);
	const header = headerLines(snapshot);
	const banner = options.ended ? endBannerLines : 0;
	const flash = options.flash ? 1 : 0;
	const fixed = header + 1 + banner + flash + 1;
	const slos = mode === 'rich' ? 2 + 4 + chartHeight + 1 : Math.max(1, snapshot.slos.length);
	let rest = Math.max(0, height - fixed - slos);
	const lower = rest;
	const whyWanted = whyLines(whyDecision(snapshot), width, 99, whySuffix(snapshot), whyIdle(snapshot)).length;
	const why = Math.min(rest, whyWanted, height >= 30 ? 3 : 2);
	rest -= why;
	const cwCount = snapshot.cloudwatch ? Math.max(1, cloudWatchRows(snapshot.cloudwatch, snapshot.at).length) : 0;
	if (mode === 'rich') {
		// Gates left, CloudWatch right; the log keeps at least 4 lines, and the rest of a tall screen.
		const wanted = Math.max(gateLinesWanted(snapshot.gates), 1 + cwCount + 4);
		const gates = Math.max(0, Math.min(wanted, rest - 4));
		return {mode, chartHeight, header, banner, slos, why, gates, cloudwatch: gates, log: rest - gates, flash, lower};
	}
	// Compact: the gate summary and the items needing attention, CloudWatch's worst rows, the log the rest (at least 3 lines when there is room).
	const gates = Math.min(rest, rest >= 14 ? Math.min(gateLinesWanted(snapshot.gates), 3 + Math.floor((rest - 14) / 3)) : rest >= 8 ? 3 : Math.min(rest, 1));
	rest -= gates;
	const cloudwatch = snapshot.cloudwatch ? Math.min(Math.max(0, rest - 3), 1 + Math.min(cwCount, rest >= 12 ? 4 : 2)) : 0;
	rest -= cloudwatch;
	return {mode, chartHeight, header, banner, slos, why, gates, cloudwatch, log: rest, flash, lower};
}

/**
 * A band of the screen with a fixed height. It clips rows only: every widget fits its text to
 * the width it is given, and clipping columns too made Ink slice every line of the frame
 * (slice-ansi, ~35 ms of the first frame's ~200 at 160×48).
 */
function Section({height, width, children}: {height: number; width: number; children: React.ReactNode}) {
	if (height <= 0) return null;
	return (
		<Box height={height} width={width} overflowY="hidden" flexDirection="column" flexShrink={0}>
			{children}
		</Box>
	);
}

function WhyLines({snapshot, width, lines}: {snapshot: Snapshot; width: number; lines: number}) {
	const decision = whyDecision(snapshot);
	const tone = decisionTone(decision);
	return (
		<>
			{whyLines(decision, width, lines, whySuffix(snapshot), whyIdle(snapshot)).map((line, i) => (
				<Box key={i} height={1} flexShrink={0}>
					{i === 0 && decision ? (
						<Text wrap="truncate-end">
							<Colored tone={tone} bold>
								{line.slice(0, line.indexOf(':') + 1)}
							</Colored>
							{line.slice(line.indexOf(':') + 1)}
						</Text>
					) : (
						<Text wrap="truncate-end">{line}</Text>
					)}
				</Box>
			))}
		</>
	);
}

export function Dashboard({
	snapshot,
	width,
	height,
	help,
	liveHelp,
	dialog = null,
	showHelp = false,
	zoom = false,
	flash = null,
	log,
	ended = null,
}: DashboardProps) {
	const layout = planLayout(snapshot, width, height, {flash: Boolean(flash), ended: Boolean(ended)});
	const logView = log ?? {entries: snapshot.log, selected: null, filter: ''};
	const overlayWidth = layout.mode === 'rich' ? Math.min(width, 110) : width;
	const overlay = showHelp ? (
		<HelpOverlay items={help} width={overlayWidth} />
	) : zoom ? (
		<ZoomView decision={whyDecision(snapshot)} gates={snapshot.gates} width={width} height={layout.lower} />
	) : dialog ? (
		<Dialog view={dialog} width={overlayWidth} />
	) : null;
	const half = Math.floor(width / 2);
	// The probe agents' panel shares the right column with CloudWatch: at most half of it.
	const fleetRows = snapshot.fleet
		? Math.min(fleetLines(snapshot.fleet, snapshot.probes, snapshot.at, snapshot.syntheticFailures ?? []).length, Math.floor(layout.gates / 2))
		: 0;
	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			<Section height={layout.header} width={width}>
				<Header snapshot={snapshot} width={width} />
			</Section>
			<Section height={1} width={width}>
				<StageBar snapshot={snapshot} width={width} />
			</Section>
			<Section height={layout.banner} width={width}>
				{ended ? <EndBanner end={ended} width={width} /> : null}
			</Section>
			<Section height={layout.slos} width={width}>
				<SloTiles
					slos={snapshot.slos}
					width={width}
					mode={layout.mode === 'rich' ? 'tiles' : 'rows'}
					chartHeight={layout.chartHeight}
					judge={snapshot.canary.judge}
				/>
			</Section>
			{overlay ? (
				<Section height={layout.lower} width={width}>
					{overlay}
				</Section>
			) : (
				<>
					<Section height={layout.why} width={width}>
						<WhyLines snapshot={snapshot} width={width} lines={layout.why} />
					</Section>
					{layout.mode === 'rich' ? (
						<Section height={layout.gates} width={width}>
							<Box width={width} height={layout.gates} flexShrink={0}>
								<Box width={half} height={layout.gates} flexDirection="column" overflowY="hidden" paddingRight={1} flexShrink={0}>
									<GateChecklist gates={snapshot.gates} width={half - 1} maxLines={layout.gates} />
								</Box>
								<Box width={width - half} height={layout.gates} flexDirection="column" overflowY="hidden" flexShrink={0}>
									{fleetRows > 0 ? (
										<Box height={fleetRows} flexShrink={0} overflowY="hidden" flexDirection="column">
											<FleetPanel
												fleet={snapshot.fleet}
												probes={snapshot.probes}
												now={snapshot.at}
												failing={snapshot.syntheticFailures ?? []}
												width={width - half}
												maxRows={fleetRows}
											/>
										</Box>
									) : null}
									<CloudWatchTable
										cloudwatch={snapshot.cloudwatch}
										now={snapshot.at}
										width={width - half}
										mode="grid"
										maxRows={Math.max(1, layout.gates - fleetRows - 5)}
									/>
								</Box>
							</Box>
						</Section>
					) : (
						<>
							<Section height={layout.gates} width={width}>
								<GateChecklist gates={snapshot.gates} width={width} maxLines={layout.gates} />
							</Section>
							<Section height={layout.cloudwatch} width={width}>
								<CloudWatchTable cloudwatch={snapshot.cloudwatch} now={snapshot.at} width={width} mode="lines" maxRows={Math.max(0, layout.cloudwatch - 1)} />
							</Section>
						</>
					)}
					<Section height={layout.log} width={width}>
						<EventLog log={logView.entries} width={width} maxLines={layout.log} selected={logView.selected} filter={logView.filter} />
					</Section>
				</>
			)}
			<Section height={layout.flash} width={width}>
				<Colored tone="yellow" inverse>{` ${flash ?? ''} `}</Colored>
			</Section>
			<Section height={1} width={width}>
				<HelpBar items={liveHelp ?? help} width={width} />
			</Section>
		</Box>
	);
}
