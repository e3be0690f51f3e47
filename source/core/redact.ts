/**
 * Secrets (Authorization, cookies, tokens, AWS keys, the values of env vars the
 * plan references) never reach the screen, the journal, the report or `--json`.
 * Everything that leaves the process through those paths goes through a
 * redactor first. Pure: the env is passed in, nothing is read here.
 */

/** What a redacted value is replaced by. */
export const redactedMark = '[REDACTED]';

/**
 * Registered secret values shorter than this are ignored: replacing every "1"
 * or "on" in the output would destroy it and protect nothing.
 * @default 4
 */
const minSecretLength = 4;

// Compared after lower-casing and dropping everything but letters and digits,
// so `X-Api-Key`, `x_api_key` and `xApiKey` are one name.
const sensitiveExactKeys = new Set([
	'authorization',
	'proxyauthorization',
	'cookie',
	'setcookie',
	'xapikey',
	'apikey',
	'awsaccesskeyid',
	'accesskeyid',
	'awssecretaccesskey',
	'awssessiontoken',
	'privatekey',
	'xamzsignature',
	'xamzcredential',
	'signature',
]);
const sensitiveKeyParts = ['token', 'secret', 'password', 'passwd', 'credential'];

/** True when a property/header/query name holds a secret by its name alone. */
export function isSensitiveKey(key: string): boolean {
	const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
	if (sensitiveExactKeys.has(k)) {
		return true;
	}
	return sensitiveKeyParts.some((part) => k.includes(part));
}

// Shapes that are secrets wherever they appear, whatever the key.
const valuePatterns: Array<[RegExp, string]> = [
	// AWS access key ids (long-term AKIA, temporary ASIA).
	[/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, redactedMark],
	// `Bearer xxx`, `Basic xxx` (header values, logs, error messages).
	// Long enough to be a credential, so prose like "the token is expired" stays readable.
	[/\b([Bb]earer|BEARER)\s+[A-Za-z0-9\-._~+/]{8,}=*/g, `$1 ${redactedMark}`],
	[/\b(Basic|Token)\s+[A-Za-z0-9\-._~+/]{8,}=*/g, `$1 ${redactedMark}`],
	// Credentials in URLs: https://user:pass@host
	[/([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, `$1${redactedMark}@`],
	// `name=value` (query strings, cookies, env dumps in hook output): always a secret.
	[
		/\b([A-Za-z0-9_-]*(?:token|secret|password|passwd|api[_-]?key|authorization|cookie|signature|access[_-]?key[_-]?id)[A-Za-z0-9_-]*)(\s*=\s*["']?)((?:(?:Bearer|Basic|Token)\s+)?[^\s&"',;]+)/gi,
		`$1$2${redactedMark}`,
	],
	// `name: value` is also how prose reads ("expired_token: The security token …"), so only
	// values that look like secrets (a scheme word, digits, or long) are hidden.
	[
		/\b([A-Za-z0-9_-]*(?:token|secret|password|passwd|api[_-]?key|authorization|cookie|signature|access[_-]?key[_-]?id)[A-Za-z0-9_-]*)(["']?\s*:\s*["']?)((?:Bearer|Basic|Token)\s+[^\s"',;]+|(?=[^\s&"',;]*\d)[^\s&"',;]{6,}|[^\s&"',;]{16,})/gi,
		`$1$2${redactedMark}`,
	],
];

export type Redactor = {
	/** Deep copy of `value` with secret keys and secret-looking values replaced. Never mutates. */
	redact<T>(value: T): T;
	/** One string with every known secret value and secret-looking token replaced. */
	redactText(text: string): string;
	/** Adds secret values learned later (e.g. a token read at call time). */
	addSecret(value: string | undefined | null): void;
};

/** base64 of `bytes` (pure, no Buffer: core runs anywhere). */
function base64(bytes: Uint8Array): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
	let out = '';
	for (let index = 0; index < bytes.length; index += 3) {
		const [a, b, c] = [bytes[index]!, bytes[index + 1] ?? 0, bytes[index + 2] ?? 0];
		const n = (a << 16) | (b << 8) | c;
		out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + alphabet[n & 63]!;
	}
	return out;
}

/**
 * The forms a secret takes when it is echoed inside something else: URL-encoded
 * (both hex cases, `+` for space) and base64 / base64url at each of the three
 * byte alignments (inside `Basic base64(user:secret)` it rarely starts a group),
 * keeping only the characters that depend on the secret alone.
 */
function encodedForms(secret: string): string[] {
	const forms = new Set<string>();
	const encoded = encodeURIComponent(secret);
	forms.add(encoded);
	forms.add(encoded.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()));
	forms.add(encoded.replace(/%20/g, '+'));
	const bytes = new TextEncoder().encode(secret);
	for (let pad = 0; pad < 3; pad++) {
		const padded = new Uint8Array(pad + bytes.length);
		padded.set(bytes, pad);
		const text = base64(padded);
		// Characters whose 6 bits come only from the secret's bytes.
		const inner = text.slice(Math.ceil((8 * pad) / 6), Math.floor((8 * (pad + bytes.length)) / 6));
		if (inner.length >= 8) {
			forms.add(inner);
			forms.add(inner.replace(/\+/g, '-').replace(/\//g, '_'));
		}
	}
	forms.delete(secret);
	return [...forms].filter((f) => f.length >= minSecretLength);
}

function escapeRegExp(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A redactor that knows `secrets` (exact values to hide, e.g. env var values the
 * plan references) on top of the built-in key names and value shapes.
 */
export function createRedactor(secrets: Iterable<string> = []): Redactor {
	const known = new Set<string>();
	let knownPattern: RegExp | null = null;

	function addSecret(value: string | undefined | null): void {
		if (typeof value !== 'string' || value.length < minSecretLength || known.has(value)) {
			return;
		}
		known.add(value);
		for (const form of encodedForms(value)) known.add(form);
		// Longest first so a secret that contains another is replaced whole.
		const sorted = [...known].sort((a, b) => b.length - a.length).map(escapeRegExp);
		knownPattern = new RegExp(sorted.join('|'), 'g');
	}

	for (const s of secrets) {
		addSecret(s);
	}

	function redactText(text: string): string {
		let out = knownPattern === null ? text : text.replace(knownPattern, redactedMark);
		for (const [pattern, replacement] of valuePatterns) {
			out = out.replace(pattern, replacement);
		}
		return out;
	}

	function walk(value: unknown, seen: WeakSet<object>): unknown {
		if (typeof value === 'string') {
			return redactText(value);
		}
		if (value === null || typeof value !== 'object') {
			return value;
		}
		if (seen.has(value)) {
			return '[Circular]';
		}
		seen.add(value);
		if (Array.isArray(value)) {
			const arr = value.map((item) => walk(item, seen));
			seen.delete(value);
			return arr;
		}
		if (value instanceof Error) {
			const err = {name: value.name, message: redactText(value.message)};
			seen.delete(value);
			return err;
		}
		const out: Record<string, unknown> = {};
		for (const [key, item] of Object.entries(value)) {
			out[key] = isSensitiveKey(key) && item !== null && item !== undefined ? redactedMark : walk(item, seen);
		}
		seen.delete(value);
		return out;
	}

	return {
		redact: <T>(value: T): T => walk(value, new WeakSet()) as T,
		redactText,
		addSecret,
	};
}

/** Deep-redacts `value` with the built-in rules plus `secrets`. */
export function redactSecrets<T>(value: T, secrets: Iterable<string> = []): T {
	return createRedactor(secrets).redact(value);
}

const envToken = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Names of the `${NAME}` env tokens used anywhere in `value` (a plan or a part of it). */
export function envTokenNames(value: unknown): string[] {
	const names = new Set<string>();
	const visit = (v: unknown): void => {
		if (typeof v === 'string') {
			for (const m of v.matchAll(envToken)) {
				names.add(m[1]!);
			}
		} else if (Array.isArray(v)) {
			v.forEach(visit);
		} else if (v !== null && typeof v === 'object') {
			Object.values(v).forEach(visit);
		}
	};
	visit(value);
	return [...names];
}

/**
 * The secret values a plan exposes: every env var it references as `${NAME}`,
 * and every header value under a sensitive name (in case the loader already
 * interpolated the tokens away).
 */
export function secretsFromPlan(plan: unknown, env: Record<string, string | undefined>): string[] {
	const out = new Set<string>();
	for (const name of envTokenNames(plan)) {
		const v = env[name];
		if (typeof v === 'string') {
			out.add(v);
		}
	}
	const visit = (v: unknown): void => {
		if (Array.isArray(v)) {
			v.forEach(visit);
		} else if (v !== null && typeof v === 'object') {
			for (const [key, item] of Object.entries(v)) {
				if (typeof item === 'string' && isSensitiveKey(key)) {
					// Strip a scheme word so `Bearer abc` also registers `abc`.
					out.add(item);
					const bare = item.replace(/^(Bearer|Basic|Token)\s+/i, '');
					out.add(bare);
				} else {
					visit(item);
				}
			}
		}
	};
	visit(plan);
	return [...out].filter((s) => !s.includes('${') && s.length >= minSecretLength);
}
