/**
 * Loads the console (Ink, React, widgets) once. The CLI starts this as soon as
 * it knows the screen will be used, so the slowest import overlaps with
 * starting the launch; headless runs never call it.
 */
import type * as ConsoleModule from './tui.js';

let loading: Promise<typeof ConsoleModule> | null = null;

export function loadConsole(): Promise<typeof ConsoleModule> {
	// The console runs because stdout is a terminal. Ink reads CI at import and, when set, stops
	// redrawing (it assumes a log): an operator's shell that exports CI must not blank the screen.
	delete process.env.CI;
	delete process.env.CONTINUOUS_INTEGRATION;
	loading ??= import('./tui.js');
	return loading;
}
