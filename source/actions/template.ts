/**
 * Filling actuator templates: `${ENV}` tokens from the environment (at call
 * time, so a rotated token is picked up and nothing secret sits in the plan),
 * and `{flag}` / `{percent}` / `{version}` / `{reason}` placeholders.
 */

export type TemplateVars = {
	flag: string;
	percent: number | null;
	version: string | number | null;
	reason: string;
};

export class MissingEnvError extends Error {
	constructor(readonly variable: string) {
		super(`environment variable ${variable} is not set`);
		this.name = 'MissingEnvError';
	}
}

const envToken = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Replaces `${NAME}` with `env.NAME`; a missing variable is an error, never an empty token. */
export function resolveEnv(text: string, env: Record<string, string | undefined>): string {
	return text.replace(envToken, (_m, name: string) => {
		const v = env[name];
		if (v === undefined) {
			throw new MissingEnvError(name);
		}
		return v;
	});
}

/** Values of env vars that `text` references (to register them as secrets). */
export function referencedEnvValues(text: string, env: Record<string, string | undefined>): string[] {
	const out: string[] = [];
	for (const m of text.matchAll(envToken)) {
		const v = env[m[1]!];
		if (v !== undefined) {
			out.push(v);
		}
	}
	return out;
}

function placeholderValue(name: string, vars: TemplateVars): string | number | null | undefined {
	switch (name) {
		case 'flag':
			return vars.flag;
		case 'percent':
			return vars.percent;
		case 'version':
			return vars.version;
		case 'reason':
			return vars.reason;
		default:
			return undefined;
	}
}

const placeholder = /\{(flag|percent|version|reason)\}/g;
const wholePlaceholder = /^\{(flag|percent|version|reason)\}$/;

/** Fills placeholders inside one string (argv element, URL): values become text. */
export function fillString(text: string, vars: TemplateVars): string {
	return text.replace(placeholder, (m, name: string) => {
		const v = placeholderValue(name, vars);
		return v === undefined ? m : v === null ? '' : String(v);
	});
}

/**
 * Fills a JSON body template. A string that is exactly one placeholder takes the
 * value's own type (`"{percent}"` → `30`, a number), so flag APIs that want
 * numbers get numbers; placeholders inside longer strings become text.
 * Strings are also resolved for `${ENV}` tokens.
 */
export function fillBody(template: unknown, vars: TemplateVars, env: Record<string, string | undefined>): unknown {
	if (typeof template === 'string') {
		const whole = wholePlaceholder.exec(template);
		if (whole) {
			const v = placeholderValue(whole[1]!, vars);
			return v === undefined ? template : v;
		}
		return fillString(resolveEnv(template, env), vars);
	}
	if (Array.isArray(template)) {
		return template.map((item) => fillBody(item, vars, env));
	}
	if (template !== null && typeof template === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, value] of Object.entries(template)) {
			out[fillString(key, vars)] = fillBody(value, vars, env);
		}
		return out;
	}
	return template;
}

/** Follows a dotted path (`flags.X.rolloutPercent`, array indexes as numbers) into parsed JSON. */
export function getPath(value: unknown, dotted: string): unknown {
	let cur: unknown = value;
	for (const part of dotted.split('.')) {
		if (part === '') {
			continue;
		}
		if (cur === null || typeof cur !== 'object') {
			return undefined;
		}
		cur = (cur as Record<string, unknown>)[part];
	}
	return cur;
}
