/**
 * From Ink's key presses to the console's UI events, in the order typed. Ink
 * hands a burst of plain keys that arrive in one read (`rr`, `p⏎⏎p⏎` typed
 * fast or sent by tmux) as ONE string; looking that string up in the keymap
 * found nothing and the keys were lost. `splitKeys` turns such a burst back
 * into single presses, and each is decoded against the overlay the previous
 * one left open, so a key that arrives while a dialog opens goes to the dialog.
 */
import type {Overlay, UiEvent, UiState} from './app-state.js';
import {keyName, lookupKey, type KeyFlags} from './keymap.js';

/** Ink's key flags the decoder reads. */
export type InputKey = KeyFlags & {
	backspace?: boolean;
	delete?: boolean;
	tab?: boolean;
	shift?: boolean;
};

export type KeyPress = {input: string; key: InputKey};

/** One press per character of a burst of plain keys; an escape sequence or a single key stays as Ink parsed it. */
export function splitKeys(input: string, key: InputKey): KeyPress[] {
	const chars = Array.from(input);
	if (chars.length <= 1 || key.ctrl || key.meta || key.escape || key.upArrow || key.downArrow || key.pageUp || key.pageDown) return [{input, key}];
	return chars.map((c): KeyPress => {
		if (c === '\r' || c === '\n') return {input: '', key: {return: true}};
		if (c === '\t') return {input: '', key: {tab: true}};
		if (c === '\u007f' || c === '\b') return {input: '', key: {backspace: true}};
		const code = c.codePointAt(0) ?? 0;
		// Ctrl-A … Ctrl-Z arrive as 0x01–0x1a.
		if (code >= 1 && code <= 26) return {input: String.fromCodePoint(code + 96), key: {ctrl: true}};
		return {input: c, key: {}};
	});
}

function isTextOverlay(overlay: Overlay): boolean {
	return (
		overlay.kind === 'reason' ||
		overlay.kind === 'typed_confirm' ||
		overlay.kind === 'note' ||
		overlay.kind === 'filter' ||
		overlay.kind === 'promote' ||
		(overlay.kind === 'sign_off' && overlay.step !== 'item')
	);
}

// Pasted text may carry escape sequences or newlines; only printable characters enter a field.
// eslint-disable-next-line no-control-regex
const unprintable = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Overlays that only show something: the console's viewing keys keep working under them. */
function isViewOverlay(overlay: Overlay): boolean {
	return overlay.kind === 'help' || overlay.kind === 'zoom' || overlay.kind === 'log_entry';
}

/** Turns one key press into a UI event for the current overlay (undefined: ignore it). */
export function decodeKey(state: UiState, input: string, key: InputKey): UiEvent | undefined {
	const {overlay} = state;
	const ctrlC = key.ctrl === true && input === 'c';
	if (overlay.kind === 'none') {
		if (key.escape) return {type: 'cancel'};
		const action = lookupKey(input, key);
		if (action) return {type: 'action', action};
		const name = keyName(input, key);
		return name === '' || key.shift || key.tab || key.backspace || key.delete ? undefined : {type: 'unknown', key: name};
	}
	if (overlay.kind === 'quit_confirm' && ctrlC) return {type: 'submit'};
	if (ctrlC || key.escape) return {type: 'cancel'};
	if (isViewOverlay(overlay)) {
		if (key.return) return {type: 'submit'};
		const action = lookupKey(input, key);
		return action ? {type: 'action', action} : undefined;
	}
	if (key.return) return {type: 'submit'};
	if (key.tab || key.downArrow) return key.shift ? {type: 'prev'} : {type: 'next'};
	if (key.upArrow) return {type: 'prev'};
	if (key.backspace || key.delete) return isTextOverlay(overlay) ? {type: 'backspace'} : undefined;
	if (key.ctrl || key.meta) return undefined;
	const text = input.replace(unprintable, '');
	return text === '' ? undefined : {type: 'text', text};
}
