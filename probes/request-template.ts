/**
 * Turns a `ProbeSpec` into concrete requests: `${ENV}` tokens in header values resolved
 * once at start (the values are never logged or returned), `{id}` rotated through `ids`,
 * and for occ-move probes the body's `{status}`/`{version}` filled from the version the
 * probe last saw for that id.
 */
import type {ProbeSpec} from '../source/core/plan-types.js';

/** Statuses an occ-move probe cycles through (StatusBoardV2's appointment statuses). */
const moveStatuses = ['scheduled', 'checked_in', 'in_progress', 'waiting_parts', 'ready'] as const;

export class MissingEnvError extends Error {
	constructor(
		readonly variable: string,
		readonly probeId: string,
	) {
		super(`probe ${probeId}: header references \${${variable}}, which is not set`);
		this.name = 'MissingEnvError';
	}
}

/** Resolves `${NAME}` tokens in header values. Throws `MissingEnvError` (naming the variable, not the value). */
export function resolveHeaders(probeId: string, headers: Record<string, string> | undefined, env: Record<string, string | undefined>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers ?? {})) {
		out[name.toLowerCase()] = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, variable: string) => {
			const resolved = env[variable];
			if (resolved === undefined) throw new MissingEnvError(variable, probeId);
			return resolved;
		});
	}
	return out;
}

/** Absolute URL of a probe path against `baseUrl` (an absolute `path` wins). */
function probeUrl(baseUrl: string, path: string): URL {
	if (/^https?:\/\//i.test(path)) return new URL(path);
	const base = baseUrl.endsWith('/') ? baseUrl.slice(0, -1) : baseUrl;
	return new URL(base + (path.startsWith('/') ? path : `/${path}`));
}

function fill(value: unknown, vars: Record<string, string | number>): unknown {
	if (typeof value === 'string') {
		// A value that is exactly one token keeps the variable's type (a version stays a number).
		const whole = /^\{(\w+)\}$/.exec(value);
		if (whole && whole[1]! in vars) return vars[whole[1]!];
		return value.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
	}
	if (Array.isArray(value)) return value.map((v) => fill(v, vars));
	if (typeof value === 'object' && value !== null) {
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)]));
	}
	return value;
}

export type PreparedRequest = {
	/** Path + query, for the origin's pool. */
	path: string;
	body: string | undefined;
	/** The id used, when the probe rotates ids. */
	id: string | undefined;
};

/** Generates each request of one probe in turn; tracks occ-move versions. */
export class RequestTemplate {
	readonly origin: string;
	private readonly pathTemplate: string;
	private next = 0;
	private readonly versions = new Map<string, number>();

	constructor(
		readonly spec: ProbeSpec,
		baseUrl: string,
	) {
		const url = probeUrl(baseUrl, spec.path.replaceAll('{id}', '__GOLIVE_ID__'));
		this.origin = url.origin;
		this.pathTemplate = (url.pathname + url.search).replaceAll('__GOLIVE_ID__', '{id}');
		const hasIds = spec.ids !== undefined && spec.ids.length > 0;
		if (!hasIds && spec.body === undefined) this.fixed = {path: this.pathTemplate, body: undefined, id: undefined};
	}

	/** Every request is the same (no ids, no body). */
	get isFixed(): boolean {
		return this.fixed !== undefined;
	}

	get isMove(): boolean {
		return this.spec.kind === 'occ-move';
	}

	/** Set when every request is the same (no ids, no body): one object reused, nothing allocated per send. */
	private readonly fixed: PreparedRequest | undefined;

	prepare(): PreparedRequest {
		if (this.fixed) return this.fixed;
		const n = this.next++;
		const ids = this.spec.ids;
		const id = ids && ids.length > 0 ? ids[n % ids.length] : undefined;
		const path = id === undefined ? this.pathTemplate : this.pathTemplate.replaceAll('{id}', encodeURIComponent(id));
		let body: string | undefined;
		if (this.spec.body !== undefined) {
			const vars: Record<string, string | number> = {status: moveStatuses[n % moveStatuses.length]!};
			if (id !== undefined) vars['id'] = id;
			vars['version'] = id === undefined ? 0 : (this.versions.get(id) ?? 0);
			body = JSON.stringify(fill(this.spec.body, vars));
		}
		return {path, body, id};
	}

	/** Learns the id's current version from a move reply: 200 → `version`, 409 → `currentVersion`. */
	learn(id: string | undefined, status: number, json: unknown): void {
		if (id === undefined || typeof json !== 'object' || json === null) return;
		const field = status === 409 ? 'currentVersion' : status >= 200 && status < 300 ? 'version' : undefined;
		if (field === undefined) return;
		const v = (json as Record<string, unknown>)[field];
		const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
		if (Number.isInteger(n) && n >= 0) this.versions.set(id, n);
	}

	versionOf(id: string): number | undefined {
		return this.versions.get(id);
	}
}
