/**
 * Console view models as plain data, built on the app side and drawn by the
 * widgets, so neither imports the other: what an open dialog says
 * (`source/dialog-text.ts` builds it) and how the launch ended.
 */
export type DialogView = {
	title: string;
	/** Exactly what will happen, e.g. "Set STATUS_BOARD_V2_ENABLED to 50 %". */
	lines: string[];
	/** The text field, when the dialog has one. */
	input: {label: string; value: string} | null;
	hint: string;
	danger: boolean;
	/** A list to choose from, the chosen one marked. */
	choices?: {label: string; selected: boolean}[];
};

/** The launch's end as the console's banner states it; the report is already written when this exists. */
export type LaunchEnd = {
	outcome: 'success' | 'rolled_back' | 'rollback_failed' | 'aborted' | 'inconclusive' | 'interrupted';
	exitCode: number;
	reason: string;
	/** Absolute paths; null when not written (a read-only watcher writes neither). */
	reportFile: string | null;
	journalFile: string | null;
};
