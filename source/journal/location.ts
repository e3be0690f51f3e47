/**
 * Where a launch's journal lives: the plan's `journalDir`, else a `journals`
 * directory in golive's configuration directory, the one conf and env-paths name
 * for project `golive` (~/.config/golive-nodejs/journals on Linux), so journals stay
 * where earlier versions wrote them.
 */
import {createHash, randomBytes} from 'node:crypto';
import {homedir} from 'node:os';
import path from 'node:path';
import type {Plan} from '../core/plan-types.js';

/**
 * env-paths' `config` for `golive-nodejs` (what conf used), without importing conf to learn a
 * path: it cost ~120 ms before `golive run`'s first frame. Linux honours $XDG_CONFIG_HOME.
 */
export function configDirFor(platform: NodeJS.Platform, env: Record<string, string | undefined>, home: string): string {
	const name = 'golive-nodejs';
	const join = platform === 'win32' ? path.win32.join : path.posix.join;
	if (platform === 'darwin') return join(home, 'Library', 'Preferences', name);
	if (platform === 'win32') return join(env['APPDATA'] || join(home, 'AppData', 'Roaming'), name, 'Config');
	return join(env['XDG_CONFIG_HOME'] || join(home, '.config'), name);
}

export function defaultJournalDir(): string {
	return path.join(configDirFor(process.platform, process.env, homedir()), 'journals');
}

export function journalDirFor(plan: Pick<Plan, 'journalDir'>): string {
	return plan.journalDir ?? defaultJournalDir();
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
