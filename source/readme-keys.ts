/**
 * Prints the README key table from the keymap: `node dist/source/readme-keys.js`.
 */
import {keyTableMarkdown} from './keymap.js';

process.stdout.write(`${keyTableMarkdown()}\n`);
