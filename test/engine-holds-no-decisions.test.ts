/**
 * The architecture rule "source/engine wires, source/core decides" is enforced
 * by ESLint (eslint.config.js). These tests show the rule bites: a threshold
 * comparison, a branch on the canary's phase or an import of the trigger logic
 * planted in an engine file is an error, and the engine as it is has none.
 */
import {readdirSync} from 'node:fs';
import path from 'node:path';
import {ESLint} from 'eslint';
import {describe, expect, it} from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({cwd: root});
const loopFile = path.join(root, 'source/engine/launch-loop.ts');

async function errorsIn(code: string, file = loopFile): Promise<string[]> {
	const [result] = await eslint.lintText(code, {filePath: file});
	return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('source/engine holds no decision', () => {
	it('every engine file passes the rule', async () => {
		const files = readdirSync(path.join(root, 'source/engine'))
			.filter((f) => f.endsWith('.ts'))
			.map((f) => path.join(root, 'source/engine', f));
		const results = await eslint.lintFiles(files);
		const errors = results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${path.basename(r.filePath)}:${m.line} ${m.message}`));
		expect(errors).toEqual([]);
	}, 30_000);

	it('flags a threshold compared in the engine', async () => {
		const errors = await errorsIn(`export function breached(value: number, rule: {threshold: number}): boolean {\n\treturn value > rule.threshold;\n}\n`);
		expect(errors.join('\n')).toMatch(/decides nothing/);
	}, 30_000);

	it('flags a branch on the canary phase in the engine', async () => {
		const errors = await errorsIn(
			`export function starting(canary: {phase: {kind: string}}): boolean {\n\tif (canary.phase.kind === 'pre') return true;\n\treturn false;\n}\n`,
		);
		expect(errors.join('\n')).toMatch(/decides nothing/);
	}, 30_000);

	it('flags an import of the trigger or assessment logic anywhere in the engine', async () => {
		const errors = await errorsIn(
			`import {assessCheck} from '../core/check-assessment.js';\nimport {evaluateTriggers} from '../core/triggers.js';\nexport const both = [assessCheck, evaluateTriggers];\n`,
			path.join(root, 'source/engine/wire.ts'),
		);
		expect(errors.filter((e) => e.includes('no-restricted-imports'))).toHaveLength(2);
	}, 30_000);

	it('flags judging gates A and B outside the reducer', async () => {
		const errors = await errorsIn(`import {preLaunchBlocker} from '../core/pre-launch.js';\nexport const judge = preLaunchBlocker;\n`);
		expect(errors.join('\n')).toMatch(/reducer's to judge/);
	}, 30_000);
});
