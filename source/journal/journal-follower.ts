/**
 * Follows another process's journal as it grows (`tail -f` with real file
 * reads): each `poll` reads from where the last one stopped and returns the
 * records whose line is complete. A line still being written stays for the
 * next poll. A missing file (the owner has not created it yet) is no records;
 * a file that got shorter (the owner cut a torn line on reopen) is read again
 * from the start, skipping records already returned (by `seq`).
 */
import {open} from 'node:fs/promises';
import {parseJournal} from './journal.js';
import type {JournalRecord} from './records.js';

export type JournalFollower = {
	readonly file: string;
	/** New complete records since the last poll, oldest first. */
	poll(): Promise<JournalRecord[]>;
};

/** Bytes read per poll at most: a huge journal is caught up with over several polls. */
const maxReadBytes = 4 * 1024 * 1024;

export function followJournal(file: string): JournalFollower {
	let offset = 0;
	let lastSeq = 0;
	return {
		file,
		async poll() {
			let handle;
			try {
				handle = await open(file, 'r');
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
				throw error;
			}
			try {
				const {size} = await handle.stat();
				if (size < offset) offset = 0;
				if (size === offset) return [];
				const length = Math.min(size - offset, maxReadBytes);
				const buffer = Buffer.alloc(length);
				const {bytesRead} = await handle.read(buffer, 0, length, offset);
				const complete = buffer.subarray(0, bytesRead).lastIndexOf(0x0a) + 1;
				if (complete === 0) return [];
				offset += complete;
				const records = parseJournal(buffer.subarray(0, complete).toString('utf8')).records.filter((r) => r.seq > lastSeq);
				for (const r of records) lastSeq = Math.max(lastSeq, r.seq);
				return records;
			} finally {
				await handle.close();
			}
		},
	};
}
