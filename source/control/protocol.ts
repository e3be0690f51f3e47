/**
 * The control protocol between `golive status|promote|rollback|…` and the
 * launch's owner: one newline-terminated JSON request per connection, one
 * newline-terminated JSON response, over a Unix socket beside the journal.
 * Everything that arrives is bounded (size, time) and validated here, once.
 */
import {createHash} from 'node:crypto';
import path from 'node:path';
import {sanitize} from '../core/sanitize.js';

/** A request or response longer than this is refused (and the connection closed). */
export const maxControlMessageBytes = 64 * 1024;

/** A connection that has not completed its exchange within this long is closed. */
export const controlTimeoutMs = 5000;

/** Unix socket paths are limited to 107 bytes on Linux (104 on macOS). */
const maxSocketPathBytes = 100;

/** Who asked: the command line, as the OS user that ran it. */
export type Requester = {by: 'cli'; user: string; pid: number};

export type ControlCommand =
	| {command: 'status'}
	| {command: 'promote'; to: number | null; skipSoak: boolean}
	| {command: 'rollback'; reason: string; full: boolean}
	| {command: 'pause'}
	| {command: 'resume'}
	| {command: 'acknowledge'}
	| {command: 'sign_off'; gate: string; itemId: string; role: string; name: string; reject: boolean; note: string | null}
	| {command: 'note'; text: string};

export type ControlRequest = ControlCommand & {v: 1; requester: Requester};

/** One rule as `golive status` shows it. Unknown numbers are null. */
export type StatusRule = {
	id: string;
	label: string;
	value: number | null;
	threshold: number;
	op: string;
	unit: string;
	status: string;
	samples: number | null;
	window: string;
	ageMs: number | null;
};

/** The launch as `golive status --json` prints it: from the owner, or from the newest journal. */
export type StatusView = {
	source: 'owner' | 'journal';
	/** ISO time of the state shown. */
	at: string;
	service: string;
	environment: string;
	flag: string;
	/** As last read back; null when unknown. */
	flagPercent: number | null;
	phase: string;
	stage: {percent: number | null; index: number | null};
	paused: boolean | null;
	armed: boolean | null;
	rules: StatusRule[];
	decision: {kind: string; reason: string; at: string} | null;
	/** Where a rollback stands (`writing`, `failing`, `applied`, `verified`, …); null when none. */
	rollback: {phase: string; detail: string | null} | null;
	/** How the launch ended; null while it runs (or when the journal is unfinished). */
	outcome: string | null;
	journal: string | null;
	ownerPid: number | null;
};

export type ControlResponse = {ok: true; accepted: boolean; detail: string; status: StatusView} | {ok: false; error: string};

type Fields = Record<string, unknown>;

const text = (v: unknown, max: number): string | null => (typeof v === 'string' && v.trim() !== '' ? sanitize(v.trim(), max) : null);

function parseRequester(v: unknown): Requester | null {
	if (v === null || typeof v !== 'object') return null;
	const r = v as Fields;
	const user = text(r.user, 64);
	if (r.by !== 'cli' || user === null || !Number.isInteger(r.pid)) return null;
	return {by: 'cli', user, pid: r.pid as number};
}

function parseCommand(r: Fields): ControlCommand | string {
	switch (r.command) {
		case 'status':
		case 'pause':
		case 'resume':
		case 'acknowledge':
			return {command: r.command};
		case 'promote': {
			const to = r.to === null || r.to === undefined ? null : r.to;
			if (to !== null && (typeof to !== 'number' || !Number.isInteger(to) || to < 1 || to > 100)) return 'promote: "to" must be a whole percent 1–100';
			return {command: 'promote', to, skipSoak: r.skipSoak === true};
		}
		case 'rollback': {
			const reason = text(r.reason, 300);
			if (reason === null) return 'rollback: a reason is required';
			return {command: 'rollback', reason, full: r.full === true};
		}
		case 'sign_off': {
			const [gate, itemId, role, name] = [text(r.gate, 4), text(r.itemId, 80), text(r.role, 80), text(r.name, 120)];
			if (gate === null || itemId === null || role === null || name === null) return 'sign_off: gate, itemId, role and name are required';
			return {command: 'sign_off', gate, itemId, role, name, reject: r.reject === true, note: text(r.note, 500)};
		}
		case 'note': {
			const note = text(r.text, 500);
			return note === null ? 'note: text is required' : {command: 'note', text: note};
		}
		default:
			return `unknown command ${sanitize(String(r.command), 40)}`;
	}
}

/** One request line → a request, or why it is refused (never throws). */
export function parseControlRequest(line: string): {ok: true; request: ControlRequest} | {ok: false; error: string} {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		return {ok: false, error: 'request is not JSON'};
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return {ok: false, error: 'request is not a JSON object'};
	const r = value as Fields;
	if (r.v !== 1) return {ok: false, error: `unsupported protocol version ${sanitize(String(r.v), 10)}`};
	const requester = parseRequester(r.requester);
	if (requester === null) return {ok: false, error: 'request has no valid requester'};
	const command = parseCommand(r);
	if (typeof command === 'string') return {ok: false, error: command};
	return {ok: true, request: {...command, v: 1, requester}};
}

/** One response line → a response (the owner is trusted to speak the protocol, but not blindly). */
export function parseControlResponse(line: string): ControlResponse {
	try {
		const value = JSON.parse(line) as ControlResponse;
		if (value && typeof value === 'object' && (value.ok === true || value.ok === false)) return value;
	} catch {
		// Falls through to the error below.
	}
	return {ok: false, error: 'the owner answered something that is not a control response'};
}

/** The owner's socket for a launch: `<journalDir>/control/<service>-<hash>.sock`, one per service + environment + flag. */
export function controlSocketPath(journalDir: string, plan: {service: string; environment: string; canary: {flag: string}}): string {
	const hash = createHash('sha256').update(`${plan.service}\n${plan.environment}\n${plan.canary.flag}`).digest('hex');
	const dir = path.join(journalDir, 'control');
	const named = path.join(dir, `${plan.service.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 24)}-${hash.slice(0, 12)}.sock`);
	if (Buffer.byteLength(named) <= maxSocketPathBytes) return named;
	const short = path.join(dir, `${hash.slice(0, 16)}.sock`);
	if (Buffer.byteLength(short) <= maxSocketPathBytes) return short;
	throw new Error(
		`the control socket path under ${sanitize(journalDir, 200)} is longer than ${maxSocketPathBytes} bytes: set a shorter journalDir in the plan`,
	);
}
