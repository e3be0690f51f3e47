/**
 * The console's only stateful component: the newest snapshot (at a bounded
 * frame rate), the terminal size, and the UI state. One `useInput` turns keys
 * into UI events through the keymap; the reducer in `app-state.ts` decides what
 * they mean; this component only sends the resulting command.
 */
import React, {useCallback, useEffect, useRef, useState} from 'react';
import {useInput, useStdout} from 'ink';
import type {EngineHandle} from './core/operator-commands.js';
import type {Snapshot} from './core/snapshot.js';
import type {LaunchEnd} from './core/console-view.js';
import {initialUiState, uiReducer, type UiEvent, type UiState} from './app-state.js';
import {isLiveKey} from './live-keys.js';
import {decodeKey, splitKeys} from './key-decoding.js';
import {dialogView} from './dialog-text.js';
import {filterLog, markIndex} from './log-cursor.js';
import {helpItems} from './keymap.js';
import {Dashboard} from '../widgets/dashboard.js';
import {ColorProvider, colorEnabled} from '../widgets/theme.js';

export type AppProps = {
	engine: EngineHandle;
	/** Called once when the operator quits (after the confirmation while a canary is live). */
	onQuit(): void;
	/**
	 * Minimum time between frames. Snapshots arriving faster are coalesced: only
	 * the newest is drawn, so a burst of ticks never costs a burst of renders.
	 * @default 100 (at most 10 frames per second)
	 */
	frameIntervalMs?: number;
	/**
	 * Colors on or off; off still shows every status as a symbol and a word.
	 * @default colorEnabled(process.env) — off when NO_COLOR is set or TERM=dumb
	 */
	color?: boolean;
	/** How long a notice ("ignored: …", "read-only: …") stays. @default 5000 */
	flashMs?: number;
	/**
	 * Ink's last output-pass time in ms (from its `onRender`). The frame interval
	 * stretches to 20× that (the output pass is about half a frame), so drawing
	 * stays near 10 % of a core on a slow or busy machine.
	 * @default none: only `frameIntervalMs` bounds the rate
	 */
	renderCostMs?: () => number;
	/**
	 * Resolves when the launch has ended and its report is written: the console
	 * then shows the end banner and stays until the operator quits.
	 * @default never: the console ends only when the operator quits
	 */
	ended?: Promise<LaunchEnd>;
};

/** However slow the machine, a new snapshot is drawn within this long. */
const maxFrameIntervalMs = 1000;

/** The newest snapshot, re-rendered at most once per `intervalMs` (leading and trailing edge). */
function useThrottledSnapshot(engine: EngineHandle, intervalMs: number, renderCostMs?: () => number): Snapshot {
	const [snapshot, setSnapshot] = useState<Snapshot>(() => engine.getSnapshot());
	useEffect(() => {
		let lastFrameAt = 0;
		let timer: ReturnType<typeof setTimeout> | null = null;
		let pending: Snapshot | null = null;
		const flush = () => {
			timer = null;
			lastFrameAt = Date.now();
			if (pending) setSnapshot(pending);
			pending = null;
		};
		const unsubscribe = engine.subscribe((next) => {
			pending = next;
			if (timer) return;
			// Stretched on a slow machine, but never past maxFrameIntervalMs: a screen seconds behind the launch misleads more than it saves.
			const interval = Math.min(maxFrameIntervalMs, Math.max(intervalMs, 20 * (renderCostMs?.() ?? 0)));
			timer = setTimeout(flush, Math.max(0, interval - (Date.now() - lastFrameAt)));
		});
		// A snapshot published between the first render and the subscription is not lost.
		setSnapshot(engine.getSnapshot());
		return () => {
			unsubscribe();
			if (timer) clearTimeout(timer);
		};
	}, [engine, intervalMs, renderCostMs]);
	return snapshot;
}

/** Columns and rows, updated on the terminal's resize event. */
function useTerminalSize(): {columns: number; rows: number} {
	const {stdout} = useStdout();
	const read = useCallback(() => ({columns: stdout.columns || 80, rows: stdout.rows || 24}), [stdout]);
	const [size, setSize] = useState(read);
	useEffect(() => {
		const onResize = () => setSize(read());
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout, read]);
	return size;
}

export function App({engine, onQuit, frameIntervalMs = 100, color, flashMs = 5000, renderCostMs, ended}: AppProps) {
	const snapshot = useThrottledSnapshot(engine, frameIntervalMs, renderCostMs);
	const {columns, rows} = useTerminalSize();
	const [ui, setUi] = useState<UiState>(initialUiState);
	// Key presses can arrive faster than React re-renders: the reducer always sees the latest state.
	const uiRef = useRef<UiState>(initialUiState);
	const quitRef = useRef(false);

	const dispatch = useCallback(
		(event: UiEvent) => {
			// The freshest snapshot, not the throttled frame: "in flight" must not be 100 ms late.
			const result = uiReducer(uiRef.current, event, engine.getSnapshot());
			uiRef.current = result.state;
			setUi(result.state);
			if (result.send) engine.send(result.send);
			if (result.quit && !quitRef.current) {
				quitRef.current = true;
				onQuit();
			}
		},
		[engine, onQuit],
	);

	useInput((input, key) => {
		// A burst of keys is handled one by one, each against the state the previous one left.
		for (const press of splitKeys(input, key)) {
			const event = decodeKey(uiRef.current, press.input, press.key);
			if (event) dispatch(event);
		}
	});

	useEffect(() => {
		let active = true;
		ended?.then(
			(end) => active && dispatch({type: 'ended', end}),
			() => undefined,
		);
		return () => {
			active = false;
		};
	}, [ended, dispatch]);

	useEffect(() => {
		if (!ui.flash) return;
		const timer = setTimeout(() => dispatch({type: 'clear_flash'}), flashMs);
		return () => clearTimeout(timer);
	}, [ui.flash, flashMs, dispatch]);

	return (
		<ColorProvider enabled={color ?? colorEnabled(process.env)}>
			<Dashboard
				snapshot={snapshot}
				width={columns}
				// One row short of the terminal, on purpose: Ink 6.8 treats a frame as tall as the terminal as
				// "fullscreen" and then writes clearTerminal (erase screen and scrollback) before every frame
				// (ink/build/ink.js: `lastOutputHeight >= stdout.rows`); measured in tmux at 80×24: a full-height
				// frame sent \e[2J\e[3J on each of 9 redraws in 3 s, this one none (line erases only). Ink 7
				// redraws a full-height frame in place (upstream commit 32d96a6, `>` instead of `>=`) but needs
				// Node 22; neither <Static> nor `incrementalRendering` reaches that branch in 6.8. So the last row stays blank.
				height={Math.max(10, rows - 1)}
				help={helpItems()}
				liveHelp={helpItems((action) => isLiveKey(action, snapshot, Boolean(ui.ended)))}
				dialog={dialogView(ui.overlay, snapshot)}
				showHelp={ui.overlay.kind === 'help'}
				zoom={ui.overlay.kind === 'zoom'}
				flash={ui.flash}
				log={logView(snapshot, ui)}
				ended={ui.ended ?? null}
			/>
		</ColorProvider>
	);
}

/** The event log as the widget draws it: filtered, and the selected line (null: following the newest). */
function logView(snapshot: Snapshot, ui: UiState): {entries: Snapshot['log']; selected: number | null; filter: string} {
	const filter = ui.logFilter ?? '';
	const entries = filterLog(snapshot.log, filter);
	const mark = ui.logMark ?? null;
	return {entries, selected: mark === null ? null : markIndex(entries, mark), filter};
}
