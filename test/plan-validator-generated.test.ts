/**
 * The plan validator is generated from the plan schema ahead of time (start-up does not compile
 * it): the committed module must be what the schema generates now.
 */
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {generatedValidatorFile, planValidatorSource} from '../source/plan/plan-validator-source.js';

describe('generated plan validator', () => {
	it('is the plan schema’s (else run npm run plan:validator)', () => {
		expect(readFileSync(generatedValidatorFile, 'utf8') === planValidatorSource()).toBe(true);
	});
});
