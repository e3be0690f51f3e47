/**
 * Where the operator is in the event log: an optional text filter and a
 * selected line. The selection is a line's identity (time and text), not a
 * position, so new lines arriving at the bottom do not move what is selected;
 * no selection means "follow the newest".
 */
import type {LogEntry} from './core/snapshot.js';

export type LogMark = {at: number; text: string};

/** Lines containing `filter` in their text or message, case-insensitive; all when empty. */
export function filterLog(log: readonly LogEntry[], filter: string): LogEntry[] {
	const needle = filter.trim().toLowerCase();
	return needle === '' ? [...log] : log.filter((e) => `${e.text} ${e.message ?? ''}`.toLowerCase().includes(needle));
}

/** Index of the marked line in `entries`; the newest when unmarked or when the line has scrolled out. */
export function markIndex(entries: readonly LogEntry[], mark: LogMark | null): number {
	if (mark === null) return entries.length - 1;
	const i = entries.findIndex((e) => e.at === mark.at && e.text === mark.text);
	return i < 0 ? entries.length - 1 : i;
}

/** Moves the selection by `delta` lines; reaching the newest line goes back to following. */
export function moveLogMark(log: readonly LogEntry[], filter: string, mark: LogMark | null, delta: number): LogMark | null {
	const entries = filterLog(log, filter);
	if (entries.length === 0) return null;
	const next = Math.max(0, Math.min(entries.length - 1, markIndex(entries, mark) + delta));
	const entry = entries[next];
	return entry === undefined || next === entries.length - 1 ? null : {at: entry.at, text: entry.text};
}

/** The selected line, or the newest when following. */
export function selectedLogEntry(log: readonly LogEntry[], filter: string, mark: LogMark | null): LogEntry | undefined {
	const entries = filterLog(log, filter);
	return entries[markIndex(entries, mark)];
}
