/**
 * Presets and the demo plan are plan documents: they load through the same
 * loader path as a `golive.json` and state no schema (or loader-derived)
 * default. A field whose removal loads to the same plan restates a default.
 */
import {isDeepStrictEqual} from 'node:util';
import {describe, expect, test} from 'vitest';
import type {PlanDocument} from '../source/core/plan-types.js';
import {demoPlan, demoPlanDocument} from '../source/plan/demo-plan.js';
import {formatPlanErrors, validatePlan} from '../source/plan/load-plan.js';
import {loadPlanDocument} from '../source/plan/plan-document.js';
import {presetNames, presetPlan} from '../source/plan/presets.js';
import {presetEnv} from './helpers/loaded-preset.js';

const urls = {serviceUrl: 'http://127.0.0.1:41234', cloudwatchUrl: 'http://127.0.0.1:41235'};
const documents: Array<[string, PlanDocument]> = [
	...presetNames.map((name) => [`preset ${name}`, presetPlan(name)] as [string, PlanDocument]),
	['demo plan', demoPlanDocument(urls)],
	['demo plan (subtle: judge on)', demoPlanDocument({...urls, judge: true})],
];

type Json = unknown;

/** Every object property's path in `value` (array items by index), parents before children. */
function fieldPaths(value: Json, at: Array<string | number> = []): Array<Array<string | number>> {
	if (Array.isArray(value)) return value.flatMap((item, index) => fieldPaths(item, [...at, index]));
	if (value === null || typeof value !== 'object') return [];
	return Object.entries(value).flatMap(([key, child]) => [[...at, key], ...fieldPaths(child, [...at, key])]);
}

function without(value: Json, path: Array<string | number>): Json {
	const copy = structuredClone(value) as Record<string | number, unknown>;
	let parent: Record<string | number, unknown> = copy;
	for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
	delete parent[path.at(-1)!];
	return copy;
}

describe.each(documents)('%s', (_name, document) => {
	test('loads through the loader', () => {
		const loaded = validatePlan(document, presetEnv);
		if (!loaded.ok) throw new Error(formatPlanErrors(loaded.errors));
		// The loader only adds: everything the document states is in the plan as stated (URLs resolved).
		expect(loaded.plan).toMatchObject(
			JSON.parse(
				JSON.stringify(document).replace(
					/\$\{([A-Z_]+)(?::-([^}]*))?\}/g,
					(token: string, name: string, fallback?: string) => presetEnv[name] ?? fallback ?? token,
				),
			),
		);
	});

	test('states no default: removing any field changes the loaded plan', () => {
		const loaded = loadPlanDocument(document, presetEnv, 'plan');
		const restated = fieldPaths(document).filter((path) => {
			const result = validatePlan(without(document, path), presetEnv);
			return result.ok && isDeepStrictEqual(result.plan, loaded);
		});
		expect(restated.map((path) => path.join('.'))).toEqual([]);
	});
});

test('the check can fail: a restated default is found', () => {
	const document = structuredClone(presetPlan('statusboard'));
	document.triggers.alarm = true;
	const loaded = loadPlanDocument(document, presetEnv, 'plan');
	const again = validatePlan(without(document, ['triggers', 'alarm']), presetEnv);
	expect(again.ok && isDeepStrictEqual(again.plan, loaded)).toBe(true);
});

test('demoPlan is the demo document as the loader fills it', () => {
	expect(demoPlan(urls)).toEqual(loadPlanDocument(demoPlanDocument(urls), {}, 'demo plan'));
	expect(demoPlan(urls).probes.every((p) => p.timeoutMs === 5000 && p.kind !== undefined)).toBe(true);
});
