/**
 * The README key table comes from the keymap, never by hand:
 * `node dist/source/readme-keys.js` prints it, `--write` puts it in README.md
 * between the `keys:start` / `keys:end` markers (`npm run readme:keys`).
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {keyTableMarkdown} from './keymap.js';

export const keysStart = '<!-- keys:start -->';
export const keysEnd = '<!-- keys:end -->';

/** README text with the key table replaced by the keymap's. */
export function withKeyTable(readme: string): string {
	const start = readme.indexOf(keysStart);
	const end = readme.indexOf(keysEnd);
	if (start < 0 || end < start) throw new Error(`README.md has no ${keysStart} … ${keysEnd} block`);
	return `${readme.slice(0, start + keysStart.length)}\n${keyTableMarkdown()}\n${readme.slice(end)}`;
}

if (process.argv.includes('--write')) {
	writeFileSync('README.md', withKeyTable(readFileSync('README.md', 'utf8')));
} else if (import.meta.url === `file://${process.argv[1]}`) {
	process.stdout.write(`${keyTableMarkdown()}\n`);
}
