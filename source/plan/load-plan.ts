/**
 * Reads a launch plan: file → JSON (errors at line:column) → `${ENV}`
 * interpolation (everything except `headers` maps, see `interpolate.ts`) → JSON
 * Schema with defaults → cross-field checks. Every error names the file, the
 * field path and what was expected, so `golive` can exit 2 with a message the
 * operator can act on.
 */
import {closeSync, constants, fstatSync, openSync, readSync} from 'node:fs';
import path from 'node:path';
import type {ErrorObject, ValidateFunction} from 'ajv';
import type {Plan} from '../core/plan-types.js';
import {createRedactor, envTokenNames, redactedMark} from '../core/redact.js';
import {sanitize} from '../core/sanitize.js';
import {interpolatePlanStrings} from './interpolate.js';
import {findJsonSyntaxError} from './json-position.js';
import {checkPlanSemantics, fillDerivedDefaults} from './plan-checks.js';
import {validate as generatedValidate} from './plan-validator.generated.js';

/** Looked up in the working directory when `--plan` is absent. */
export const defaultPlanFile = 'golive.json';

export type PlanError = {
	file: string;
	/** JSON pointer of the field, e.g. `/canary/stages/2`; empty for the whole file. */
	path: string;
	/** What was expected, and what was found. */
	message: string;
	/** 1-based, for JSON syntax errors. */
	line?: number;
	column?: number;
};

export type LoadPlanResult = {ok: true; plan: Plan} | {ok: false; errors: PlanError[]};

/** The plan schema's validator with defaults filled in, generated ahead of time (plan-validator-source.ts). */
const validate = generatedValidate as ValidateFunction;

/** The plan file to use: `--plan` if given, else `golive.json` in `cwd`. */
export function resolvePlanFile(planArg: string | undefined, cwd: string): string {
	return path.resolve(cwd, planArg ?? defaultPlanFile);
}

/** A plan is a few kilobytes; anything near this is not a plan (and `/dev/zero` never ends). */
const maxPlanBytes = 1_048_576;
/** Objects and arrays nested deeper than this are not a plan; deeper still would exhaust the stack. */
const maxPlanNesting = 32;

/** The file's text, read only if it is a regular file of at most `maxPlanBytes` (a FIFO or device is refused before any read). */
function readPlanFile(file: string): {ok: true; text: string} | {ok: false; message: string} {
	// O_NONBLOCK: opening a FIFO with no writer must not hang; fstat then says what it is.
	const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
	try {
		const stat = fstatSync(fd);
		if (stat.isDirectory()) return {ok: false, message: 'is a directory, expected a JSON plan file'};
		if (!stat.isFile()) return {ok: false, message: 'is not a regular file (a FIFO, socket or device): expected a JSON plan file'};
		if (stat.size > maxPlanBytes) return {ok: false, message: `is ${stat.size} bytes; a plan may be at most ${maxPlanBytes} bytes (1 MiB)`};
		const buffer = Buffer.alloc(maxPlanBytes + 1);
		let length = 0;
		for (let read = -1; read !== 0 && length <= maxPlanBytes; length += read) read = readSync(fd, buffer, length, buffer.length - length, null);
		if (length > maxPlanBytes) return {ok: false, message: `grew past ${maxPlanBytes} bytes while being read; a plan may be at most 1 MiB`};
		return {ok: true, text: buffer.subarray(0, length).toString('utf8')};
	} finally {
		closeSync(fd);
	}
}

/** Reads, interpolates and validates a plan file. Never throws. */
export function loadPlan(file: string, env: NodeJS.ProcessEnv): LoadPlanResult {
	const name = displayName(file);
	let text: string;
	try {
		const read = readPlanFile(file);
		if (!read.ok) return {ok: false, errors: [{file: name, path: '', message: read.message}]};
		text = read.text;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const message =
			code === 'ENOENT'
				? `plan file not found (write one with 'golive init', or pass --plan FILE)`
				: code === 'EISDIR'
					? 'is a directory, expected a JSON plan file'
					: `cannot read the plan file (${sanitize((error as Error).message, 200)})`;
		return {ok: false, errors: [{file: name, path: '', message}]};
	}
	return parsePlanText(text, env, name);
}

/** Parses and validates plan text; `file` only labels the errors. */
export function parsePlanText(text: string, env: NodeJS.ProcessEnv, file: string): LoadPlanResult {
	const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
	const depth = nestingDepth(body, maxPlanNesting);
	if (depth > maxPlanNesting)
		return {ok: false, errors: [{file, path: '', message: `objects and arrays are nested more than ${maxPlanNesting} deep; a plan is not`}]};
	let document: unknown;
	try {
		document = JSON.parse(body);
	} catch (error) {
		const where = findJsonSyntaxError(body);
		return {
			ok: false,
			errors: [
				where
					? {file, path: '', message: where.message, line: where.line, column: where.column}
					: {file, path: '', message: `invalid JSON: ${sanitize((error as Error).message, 200)}`},
			],
		};
	}
	return validatePlan(document, env, file);
}

/** Validates an already-parsed plan document (presets, tests). Does not modify `document`. */
export function validatePlan(document: unknown, env: NodeJS.ProcessEnv, file = 'plan'): LoadPlanResult {
	const interpolated = interpolatePlanStrings(document, env);
	const errors: PlanError[] = interpolated.errors.map((e) => ({file, path: e.path, message: e.message}));

	const data = interpolated.value;
	// A value that came from an environment variable may be a secret: no error message shows it, in any encoding.
	const fromEnv = envTokenNames(document).flatMap((name) => (env[name] ? [env[name]] : []));
	const redactor = createRedactor(fromEnv);
	const unechoed = (list: PlanError[]): PlanError[] => list.map((e) => ({...e, message: redactor.redactText(e.message)}));
	if (!validate(data)) {
		// A field whose variable is missing also fails its pattern; the variable is the real error.
		const unresolved = new Set(errors.map((e) => e.path));
		errors.push(...dedupe(schemaErrors(validate.errors ?? [], data, file, document)).filter((e) => !unresolved.has(e.path)));
		return {ok: false, errors: unechoed(errors)};
	}
	const plan = data as Plan;
	errors.push(...checkPlanSemantics(plan).map((issue) => ({file, ...issue})));
	if (errors.length > 0) return {ok: false, errors: unechoed(errors)};
	const {$schema: _ignored, ...rest} = plan as Plan & {$schema?: string};
	return {ok: true, plan: fillDerivedDefaults(rest)};
}

/** One line per error: `golive.json: /slos/0/threshold: must be number (got "800ms")`. */
export function formatPlanErrors(errors: PlanError[]): string {
	return errors
		.map((e) => {
			const where = e.line === undefined ? e.file : `${e.file}:${e.line}:${e.column ?? 1}`;
			return e.path === '' ? `${where}: ${e.message}` : `${where}: ${e.path}: ${e.message}`;
		})
		.join('\n');
}

function displayName(file: string): string {
	const relative = path.relative(process.cwd(), file);
	return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function dedupe(errors: PlanError[]): PlanError[] {
	const seen = new Set<string>();
	return errors.filter((e) => {
		const key = `${e.path}\u0000${e.message}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

function valueAt(data: unknown, pointer: string): unknown {
	if (pointer === '') return data;
	let current: unknown = data;
	for (const raw of pointer.slice(1).split('/')) {
		const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
		if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

function shown(value: unknown): string {
	if (value === undefined) return 'nothing';
	const json = JSON.stringify(value) ?? String(value);
	return sanitize(json, 60);
}

function listOf(values: unknown): string {
	return Array.isArray(values) ? values.map((v) => JSON.stringify(v)).join(', ') : String(values);
}

/** Deepest `{`/`[` nesting outside strings; stops counting once past `limit`. */
function nestingDepth(text: string, limit: number): number {
	let depth = 0;
	let deepest = 0;
	let inString = false;
	for (let index = 0; index < text.length; index++) {
		const c = text.charCodeAt(index);
		if (inString) {
			if (c === 92) index++;
			else if (c === 34) inString = false;
		} else if (c === 34) inString = true;
		else if (c === 123 || c === 91) {
			deepest = Math.max(deepest, ++depth);
			if (deepest > limit) return deepest;
		} else if (c === 125 || c === 93) depth--;
	}
	return deepest;
}

/** True when the value as written holds a `${NAME}` reference: what it became is not shown. */
function writtenWithVariable(document: unknown, pointer: string): boolean {
	return envTokenNames(valueAt(document, pointer)).length > 0;
}

function schemaErrors(raw: ErrorObject[], data: unknown, file: string, document: unknown): PlanError[] {
	const out: PlanError[] = [];
	for (const error of raw) {
		const at = error.instancePath;
		const got = (): string =>
			writtenWithVariable(document, at) ? `(got the value of an environment variable, ${redactedMark})` : `(got ${shown(valueAt(data, at))})`;
		const params = error.params as Record<string, unknown>;
		switch (error.keyword) {
			case 'required': {
				out.push({file, path: `${at}/${String(params.missingProperty)}`, message: 'is required but missing'});
				break;
			}
			case 'additionalProperties': {
				const allowed = Object.keys((error.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
				const field = String(params.additionalProperty);
				out.push({
					file,
					path: `${at}/${field.replace(/~/g, '~0').replace(/\//g, '~1')}`,
					message: allowed.length > 0 ? `unknown field; expected one of: ${allowed.join(', ')}` : 'unknown field',
				});
				break;
			}
			case 'type': {
				out.push({file, path: at, message: `must be ${String(params.type)} ${got()}`});
				break;
			}
			case 'enum': {
				out.push({file, path: at, message: `must be one of ${listOf(params.allowedValues)} ${got()}`});
				break;
			}
			case 'const': {
				out.push({file, path: at, message: `must be ${JSON.stringify(params.allowedValue)} ${got()}`});
				break;
			}
			case 'discriminator': {
				const tag = String(params.tag);
				const branches = ((error.parentSchema?.oneOf as Array<{properties?: Record<string, {const?: unknown}>}> | undefined) ?? [])
					.map((branch) => branch.properties?.[tag]?.const)
					.filter((v) => v !== undefined);
				out.push({
					file,
					path: `${at}/${tag}`,
					message: `must be one of ${listOf(branches)} (got ${shown(valueAt(data, `${at}/${tag}`))})`,
				});
				break;
			}
			case 'if': {
				// The failing branch (then/else) reports the real error.
				break;
			}
			case 'pattern': {
				out.push({file, path: at, message: `${describePattern(at, String(params.pattern))} ${got()}`});
				break;
			}
			default: {
				out.push({file, path: at, message: `${error.message ?? 'is invalid'} ${got()}`});
			}
		}
	}
	return out;
}

function describePattern(at: string, pattern: string): string {
	if (/\/(baseUrl|url|endpoint)$/.test(at)) return 'must be an absolute http:// or https:// URL';
	if (at.startsWith('/cloudwatch/metrics/') && at.endsWith('/id'))
		return 'must start with a lowercase letter, then letters, digits or _ (CloudWatch query id rule)';
	return `must match pattern ${pattern}`;
}
