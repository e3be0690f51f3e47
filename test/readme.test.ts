/** The README's key table is the keymap's (regenerate with `npm run readme:keys`). */
import {readFileSync} from 'node:fs';
import {expect, it} from 'vitest';
import {withKeyTable} from '../source/readme-keys.js';
import {root} from './helpers/spawn-cli.js';

it('README key table matches source/keymap.ts', () => {
	const readme = readFileSync(`${root}/README.md`, 'utf8');
	expect(readme).toBe(withKeyTable(readme));
	expect(readme.slice(0, 400)).toContain('npm install && npm start');
	expect(readme.slice(0, 400)).toContain('npm test');
});
