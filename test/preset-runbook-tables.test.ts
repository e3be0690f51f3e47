import {readFileSync} from 'node:fs';
import {describe, expect, test} from 'vitest';
import {presetProvenance, presetProvenanceMarkdown, settingAt} from '../source/plan/preset-provenance.js';
import {presetNames, presetPlan} from '../source/plan/presets.js';
import {loadedPreset} from './helpers/loaded-preset.js';

describe.each(presetNames)('preset %s against its runbook', (name) => {
	const rows = presetProvenance.filter((r) => r.preset === name);

	test('has a table of runbook lines', () => {
		expect(rows.length).toBeGreaterThanOrEqual(8);
	});

	test.each(rows.map((r) => [r.setting, r.line, r.value] as const))('%s ← “%s”', (setting, _line, value) => {
		// Stated by the preset, or (where the runbook agrees with the schema's default) filled by the loader.
		// An empty object (`syntheticFailures: {}`) switches a section on and leaves its fields to the schema's defaults.
		const stated = settingAt(presetPlan(name), setting);
		const empty = typeof stated === 'object' && stated !== null && Object.keys(stated).length === 0;
		expect(stated === undefined || empty ? settingAt(loadedPreset(name), setting) : stated).toEqual(value);
	});
});

test('the README shows the table', () => {
	const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
	expect(readme).toContain(presetProvenanceMarkdown());
});

test('a setting that is not there reads undefined, so a wrong row fails', () => {
	expect(settingAt(presetPlan('teei'), 'slos[nope].threshold')).toBeUndefined();
	expect(settingAt(presetPlan('commander'), 'canary.onGateGFail')).toBe('full');
	expect(settingAt(presetPlan('statusboard'), 'canary.onGateGFail')).toBeUndefined();
});
