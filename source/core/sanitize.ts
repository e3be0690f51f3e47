/**
 * Strings from outside (HTTP bodies and headers, CloudWatch alarm names and
 * descriptions, config, operator input) are made inert once, where they enter:
 * escape sequences, C0/C1 controls and bidi overrides become visible tokens,
 * and the length is capped, so nothing can repaint the operator's terminal or
 * reorder what they read.
 */

/** @default 500 */
const defaultMaxLength = 500;

// ESC-introduced sequences (CSI, OSC, DCS, …) are removed whole; their payload is never shown.
// eslint-disable-next-line no-control-regex
const escapeSequence = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[PX^_][^\u001b]*(?:\u001b\\)?|[@-Z\\-_])/g;
// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const bidi = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function hex(ch: string): string {
	return ch.codePointAt(0)!.toString(16).padStart(4, '0');
}

/**
 * Returns `text` safe to print: escape sequences shown as `⟨ESC⟩`, controls as
 * `⟨U+0007⟩`, bidi overrides as `⟨U+202E⟩`, newlines and tabs as spaces, capped
 * at `maxLength` characters with `…`.
 */
export function sanitize(text: unknown, maxLength: number = defaultMaxLength): string {
	const s = typeof text === 'string' ? text : String(text);
	const inert = s
		.replace(escapeSequence, '⟨ESC⟩')
		.replace(/[\r\n\t]+/g, ' ')
		.replace(controls, (ch) => `⟨U+${hex(ch)}⟩`)
		.replace(bidi, (ch) => `⟨U+${hex(ch)}⟩`);
	return inert.length > maxLength ? `${inert.slice(0, maxLength - 1)}…` : inert;
}
