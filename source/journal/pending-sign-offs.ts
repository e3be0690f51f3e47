/**
 * Sign-offs given before the launch (`golive check --gate A --sign-off …`) wait
 * in `<journalDir>/<service>.sign-offs.jsonl`; the next launch of that service
 * journals them as its own and empties the file, so an approval is given once
 * and counted once. Entries older than a day are dropped: an approval is for a
 * launch, not for ever.
 */
import {appendFile, readFile, rm} from 'node:fs/promises';
import path from 'node:path';
import type {SignOff} from '../core/decision-types.js';
import {sanitize} from '../core/sanitize.js';

/** How long a recorded sign-off waits for its launch. @default one day */
const pendingSignOffMaxAgeMs = 86_400_000;

export function pendingSignOffsFile(dir: string, service: string): string {
	const safe =
		service
			.replace(/[^A-Za-z0-9._-]+/g, '-')
			.replace(/^[.-]+/, '')
			.slice(0, 80) || 'launch';
	return path.join(dir, `${safe}.sign-offs.jsonl`);
}

export async function recordSignOffs(file: string, signOffs: readonly SignOff[]): Promise<void> {
	if (signOffs.length === 0) return;
	await appendFile(file, signOffs.map((s) => `${JSON.stringify(s)}\n`).join(''), {mode: 0o600});
}

function parse(line: string): SignOff | null {
	try {
		const v = JSON.parse(line) as Partial<SignOff>;
		if (typeof v.itemId !== 'string' || typeof v.role !== 'string' || typeof v.name !== 'string' || typeof v.at !== 'number') return null;
		const decision = v.decision === 'reject' ? ({decision: 'reject'} as const) : {};
		const note = typeof v.note === 'string' && v.note !== '' ? {note: sanitize(v.note, 300)} : {};
		return {itemId: sanitize(v.itemId, 80), role: sanitize(v.role, 80), name: sanitize(v.name, 120), at: v.at, ...decision, ...note};
	} catch {
		return null;
	}
}

/** The recorded sign-offs still fresh at `now`; the file is removed once read (`consume`). */
export async function takeSignOffs(file: string, now: number, consume: boolean): Promise<SignOff[]> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch {
		return [];
	}
	if (consume) await rm(file, {force: true});
	return text
		.split('\n')
		.map(parse)
		.filter((s): s is SignOff => s !== null && now - s.at >= 0 && now - s.at <= pendingSignOffMaxAgeMs);
}
