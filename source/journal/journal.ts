/**
 * The write-ahead journal: append-only JSONL, one record per line. `append`
 * resolves only after the line is written and fsynced (and, for a new file,
 * its directory), so an intent the engine awaited is on disk before the
 * action runs. A line is committed only with its newline: a torn last line
 * (power loss, SIGKILL mid-write) is dropped on read and cut off on reopen.
 */
import {open, mkdir, readFile, type FileHandle} from 'node:fs/promises';
import path from 'node:path';
import {createRedactor, type Redactor} from '../core/redact.js';
import {journalRecordTypes, type JournalInput, type JournalRecord} from './records.js';

type JournalReadError = {line: number; error: string};

export type JournalRead = {
	records: JournalRecord[];
	/** The last line had no newline (an unfinished write) and was dropped. */
	torn: boolean;
	/** Bytes of the dropped torn line. */
	tornBytes: number;
	/** Lines in the middle that did not parse (corruption); skipped. */
	errors: JournalReadError[];
};

const knownTypes = new Set<string>(journalRecordTypes);

/** Parses journal text (pure). */
export function parseJournal(text: string): JournalRead {
	const lines = text.split('\n');
	// After the last newline: '' when the file ends cleanly, a torn line otherwise.
	const rest = lines.pop() ?? '';
	const records: JournalRecord[] = [];
	const errors: JournalReadError[] = [];
	lines.forEach((line, index) => {
		if (line.trim() === '') {
			return;
		}
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch (error) {
			errors.push({line: index + 1, error: error instanceof Error ? error.message : String(error)});
			return;
		}
		if (value === null || typeof value !== 'object' || Array.isArray(value)) {
			errors.push({line: index + 1, error: 'not a JSON object'});
			return;
		}
		const rec = value as Record<string, unknown>;
		if (typeof rec.type !== 'string' || !knownTypes.has(rec.type) || typeof rec.seq !== 'number' || typeof rec.ts !== 'string') {
			errors.push({line: index + 1, error: `not a journal record (type ${JSON.stringify(rec.type) ?? 'missing'})`});
			return;
		}
		records.push(value as JournalRecord);
	});
	return {records, torn: rest.length > 0, tornBytes: Buffer.byteLength(rest), errors};
}

/** Reads and parses a journal file. Rejects when the file cannot be read. */
export async function readJournal(file: string): Promise<JournalRead> {
	return parseJournal(await readFile(file, 'utf8'));
}

export type JournalOptions = {
	/** Epoch ms clock for `ts`. @default Date.now */
	now?: () => number;
	/** Every record passes through it before it is written. @default built-in rules only */
	redactor?: Redactor;
};

export type Journal = {
	readonly path: string;
	/** What was in the file when it was opened (a reopened launch). */
	readonly recovered: {records: number; lastSeq: number; tornBytesDropped: number; errors: JournalReadError[]};
	/** Writes one line and fsyncs before resolving; returns the record as written. */
	append(record: JournalInput): Promise<JournalRecord>;
	/** Waits for pending appends, then closes the file. */
	close(): Promise<void>;
};

async function fsyncDir(dir: string): Promise<void> {
	const handle = await open(dir, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
	let offset = 0;
	while (offset < data.length) {
		const {bytesWritten} = await handle.write(data, offset, data.length - offset);
		offset += bytesWritten;
	}
}

/**
 * Opens (creating if needed) the journal at `file` for appending. An existing
 * file continues its `seq`; a torn last line is cut off first. Call it only
 * while holding the flag lock (`acquireFlagLock`): a watcher must not cut
 * off the line a live writer is finishing.
 */
export async function openJournal(file: string, options: JournalOptions = {}): Promise<Journal> {
	const now = options.now ?? Date.now;
	const redactor = options.redactor ?? createRedactor();
	const dir = path.dirname(path.resolve(file));
	const firstCreated = await mkdir(dir, {recursive: true});
	if (firstCreated !== undefined) {
		await fsyncDir(path.dirname(firstCreated));
	}

	let existing: JournalRead | null = null;
	try {
		existing = await readJournal(file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			throw error;
		}
	}
	if (existing !== null && existing.torn) {
		const handle = await open(file, 'r+');
		try {
			const {size} = await handle.stat();
			await handle.truncate(size - existing.tornBytes);
			await handle.sync();
		} finally {
			await handle.close();
		}
	}
	const handle = await open(file, 'a');
	if (existing === null) {
		await handle.sync();
		await fsyncDir(dir);
	}
	let seq = existing?.records.reduce((max, r) => Math.max(max, r.seq), 0) ?? 0;
	let chain: Promise<unknown> = Promise.resolve();
	let broken: Error | null = null;
	let closed = false;

	function append(input: JournalInput): Promise<JournalRecord> {
		const step = chain.then(async () => {
			if (closed) {
				throw new Error('journal is closed');
			}
			if (broken !== null) {
				// After a failed write the file's tail is unknown: stop rather than interleave.
				throw new Error(`journal unusable after an earlier write error: ${broken.message}`);
			}
			const record = {seq: seq + 1, ts: new Date(now()).toISOString(), ...redactor.redact(input)} as JournalRecord;
			const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
			try {
				await writeAll(handle, line);
				await handle.sync();
			} catch (error) {
				broken = error instanceof Error ? error : new Error(String(error));
				throw broken;
			}
			seq += 1;
			return record;
		});
		chain = step.catch(() => undefined);
		return step;
	}

	return {
		path: file,
		recovered: {
			records: existing?.records.length ?? 0,
			lastSeq: seq,
			tornBytesDropped: existing?.torn ? existing.tornBytes : 0,
			errors: existing?.errors ?? [],
		},
		append,
		async close() {
			if (closed) {
				return;
			}
			await chain;
			closed = true;
			await handle.close();
		},
	};
}
