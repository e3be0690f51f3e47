/**
 * Where a launch's journal lives: the plan's `journalDir`, else a `journals`
 * directory next to conf's config for project `golive`
 * (e.g. ~/.config/golive-nodejs/journals on Linux).
 */
import {createHash, randomBytes} from 'node:crypto';
import path from 'node:path';
import type {Plan} from '../core/plan-types.js';

/** conf is loaded only when a plan names no `journalDir` (it costs a noticeable share of start-up). */
export async function defaultJournalDir(): Promise<string> {
	const {default: Conf} = await import('conf');
	const conf = new Conf({projectName: 'golive'});
	return path.join(path.dirname(conf.path), 'journals');
}

export async function journalDirFor(plan: Pick<Plan, 'journalDir'>): Promise<string> {
	return plan.journalDir ?? (await defaultJournalDir());
}

function safeName(text: string): string {
	const s = text
		.replace(/[^A-Za-z0-9._-]+/g, '-')
		.replace(/\.{2,}/g, '-')
		.replace(/-{2,}/g, '-')
		.replace(/^[.-]+/, '');
	return s.slice(0, 80) || 'launch';
}

/** `<service>-<launchId>.jsonl`, with both made file-name safe. */
export function journalFileName(service: string, launchId: string): string {
	return `${safeName(service)}-${safeName(launchId)}.jsonl`;
}

/** `20261123T091500Z-3f9a`: sorts by time, unique enough per host. */
export function newLaunchId(nowMs: number): string {
	const iso = new Date(nowMs)
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d+Z$/, 'Z');
	return `${iso}-${randomBytes(2).toString('hex')}`;
}

function canonical(value: unknown): unknown {
	if (Array.isArray(value)) {
		return value.map(canonical);
	}
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(
			Object.keys(value)
				.sort()
				.map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
		);
	}
	return value;
}

/** sha256 of the plan with sorted keys: the same plan gives the same hash. */
export function planHash(plan: unknown): string {
	return `sha256:${createHash('sha256')
		.update(JSON.stringify(canonical(plan)))
		.digest('hex')}`;
}
