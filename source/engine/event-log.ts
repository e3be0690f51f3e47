/**
 * The event log and the journal as the engine writes them: a bounded,
 * sanitized log for the screen and the stream, write-ahead journal records
 * whose failure stops the action, and explanatory records whose failure is
 * only logged.
 */
import {sanitize} from '../core/sanitize.js';
import type {LogEntry, LogLevel} from '../core/snapshot.js';
import type {JournalInput} from '../journal/records.js';
import type {EngineEvent} from './engine-types.js';
import type {JournalPort} from './ports.js';

const maxLogEntries = 200;

export type EventLog = {
	/** Newest last, at most 200. */
	readonly entries: LogEntry[];
	add(level: LogLevel, text: string, message?: string): void;
	/** Write-ahead records: a failure propagates, so the action does not run. */
	journalAppend(entry: JournalInput): Promise<void>;
	/** Records that explain but gate nothing: a failed write is logged, never fatal. */
	journalNote(entry: JournalInput): void;
};

export function createEventLog(now: () => number, journal: JournalPort, emit: (event: EngineEvent) => void): EventLog {
	const entries: LogEntry[] = [];
	function add(level: LogLevel, text: string, message?: string): void {
		const entry: LogEntry = {at: now(), level, text: sanitize(text, 300), ...(message ? {message} : {})};
		entries.push(entry);
		if (entries.length > maxLogEntries) entries.splice(0, entries.length - maxLogEntries);
		emit({kind: 'log', entry});
	}
	return {
		entries,
		add,
		async journalAppend(entry) {
			try {
				await journal.append(entry);
			} catch (error) {
				add('error', `journal write failed: ${String(error)}`);
				throw error;
			}
		},
		journalNote(entry) {
			journal.append(entry).catch((error: unknown) => add('error', `journal write failed: ${String(error)}`));
		},
	};
}
