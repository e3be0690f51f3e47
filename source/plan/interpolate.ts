/**
 * `${NAME}` / `${NAME:-default}` substitution in a parsed plan, with the runbooks'
 * variable names (STAGING_URL, PROD_URL, STAGING_API_BASE_URL, S3_BUCKET,
 * CLOUDFRONT_DIST_ID, …). `$${` is a literal `${`.
 *
 * Every string is interpolated EXCEPT the values of `headers` maps: those hold
 * secrets (`Authorization: Bearer ${API_TOKEN}`), so they stay as written in the
 * Plan object and are resolved by whoever sends the request, at request time.
 * That way a token never sits in the plan, the journal or a `--json` snapshot.
 */

export type InterpolationError = {
	/** JSON pointer of the string, e.g. `/environments/staging/baseUrl`. */
	path: string;
	/** The variable name, or the malformed text. */
	variable: string;
	message: string;
};

const reference = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Escapes one JSON-pointer segment (RFC 6901). */
function pointerSegment(key: string | number): string {
	return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Substitutes references in one string; errors name the variable. */
export function interpolateString(text: string, env: NodeJS.ProcessEnv, path: string): {value: string; errors: InterpolationError[]} {
	const errors: InterpolationError[] = [];
	const value = text.replace(reference, (match: string, inner: string | undefined) => {
		if (match === '$${') return '${';
		if (inner === undefined) {
			errors.push({path, variable: match, message: 'unterminated "${" (expected ${NAME} or ${NAME:-default})'});
			return match;
		}
		const separator = inner.indexOf(':-');
		const name = separator === -1 ? inner : inner.slice(0, separator);
		const fallback = separator === -1 ? undefined : inner.slice(separator + 2);
		if (!variableName.test(name)) {
			errors.push({path, variable: name, message: `"\${${inner}}" is not a valid reference (expected \${NAME} or \${NAME:-default})`});
			return match;
		}
		const found = env[name];
		// As in sh's ${NAME:-default}: empty counts as unset, so a blank URL cannot slip through.
		if (found !== undefined && found !== '') return found;
		if (fallback !== undefined) return fallback;
		errors.push({path, variable: name, message: `environment variable ${name} is not set (export ${name}=… or write \${${name}:-default})`});
		return match;
	});
	return {value, errors};
}

// A plain assignment of "__proto__" would swap the prototype and hide the key from the schema.
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
	Object.defineProperty(target, key, {value, enumerable: true, writable: true, configurable: true});
}

/** A notify URL must resolve to http(s); the message never repeats what it resolved to. */
function notifyUrlErrors(url: string, env: NodeJS.ProcessEnv, path: string): InterpolationError[] {
	const resolved = interpolateString(url, env, path);
	if (resolved.errors.length > 0) return resolved.errors;
	return typeof resolved.value === 'string' && /^https?:\/\/[^\s/]+/.test(resolved.value)
		? []
		: [{path, variable: '', message: 'must resolve to an http(s) URL (the value is a secret and is not shown)'}];
}

/** Returns a copy of `value` with every string interpolated, except inside `headers` maps and notify URLs. */
export function interpolatePlanStrings(value: unknown, env: NodeJS.ProcessEnv, path = ''): {value: unknown; errors: InterpolationError[]} {
	if (typeof value === 'string') return interpolateString(value, env, path);
	if (Array.isArray(value)) {
		const errors: InterpolationError[] = [];
		const out = value.map((item, index) => {
			const result = interpolatePlanStrings(item, env, `${path}/${index}`);
			errors.push(...result.errors);
			return result.value;
		});
		return {value: out, errors};
	}
	if (value !== null && typeof value === 'object') {
		const errors: InterpolationError[] = [];
		const out: Record<string, unknown> = {};
		for (const [key, item] of Object.entries(value)) {
			if (key === 'headers' && item !== null && typeof item === 'object' && !Array.isArray(item)) {
				setOwn(out, key, item);
				continue;
			}
			if (key === 'url' && typeof item === 'string' && /^\/notify\/\d+$/.test(path)) {
				// A webhook URL is a secret too: checked here, resolved only when a message is sent.
				errors.push(...notifyUrlErrors(item, env, `${path}/url`));
				setOwn(out, key, item);
				continue;
			}
			const result = interpolatePlanStrings(item, env, `${path}/${pointerSegment(key)}`);
			errors.push(...result.errors);
			setOwn(out, key, result.value);
		}
		return {value: out, errors};
	}
	return {value, errors: []};
}
