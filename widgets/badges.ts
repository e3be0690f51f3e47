/**
 * Status badges shared by the widgets. Every status is a symbol AND a word so
 * the console stays readable without color (NO_COLOR, monochrome, screenshots).
 * Numbers, durations and times are formatted in `source/core/format.ts`.
 */
import {formatDuration, formatTimer} from '../source/core/format.js';
import type {GateItemStatus, GateStatus, RuleStatus} from '../source/core/decision-types.js';
import type {AlarmStateValue, SourceState} from '../source/core/measurements.js';

/** Ink color names; `undefined` keeps the terminal's default. */
export type Tone = 'green' | 'red' | 'yellow' | 'cyan' | 'gray' | undefined;

export type Badge = {symbol: string; word: string; tone: Tone};

/** The badges statuses share: one symbol, word and tone per meaning. */
const pass: Badge = {symbol: '✓', word: 'PASS', tone: 'green'};
const fail: Badge = {symbol: '✗', word: 'FAIL', tone: 'red'};
const noData: Badge = {symbol: '?', word: 'NO DATA', tone: 'yellow'};
const pending: Badge = {symbol: '·', word: 'PENDING', tone: 'gray'};

export function ruleBadge(status: RuleStatus): Badge {
	switch (status) {
		case 'PASS':
			return pass;
		case 'BREACH':
			return {...fail, word: 'BREACH'};
		case 'NO_DATA':
			return noData;
		case 'STALE':
			return {...noData, word: 'STALE', tone: 'gray'};
		default: {
			const _never: never = status;
			return _never;
		}
	}
}

export function gateItemBadge(status: GateItemStatus): Badge {
	switch (status) {
		case 'pass':
			return pass;
		case 'fail':
			return fail;
		case 'no_data':
			return noData;
		case 'waiting_sign_off':
			return {symbol: '⏳', word: 'WAIT SIGN-OFF', tone: 'cyan'};
		case 'pending':
			return pending;
		case 'skipped':
			return {symbol: '»', word: 'SKIPPED', tone: 'yellow'};
		default: {
			const _never: never = status;
			return _never;
		}
	}
}

/** A gate reads like its items, plus `active` for the stage being held now. */
export function gateBadge(status: GateStatus): Badge {
	return status === 'active' ? {symbol: '▶', word: 'ACTIVE', tone: 'cyan'} : gateItemBadge(status);
}

export function alarmBadge(state: AlarmStateValue): Badge {
	switch (state) {
		case 'OK':
			return {symbol: '✓', word: 'OK', tone: 'green'};
		case 'ALARM':
			return {symbol: '✗', word: 'ALARM', tone: 'red'};
		case 'INSUFFICIENT_DATA':
			return {symbol: '?', word: 'INSUFFICIENT', tone: 'yellow'};
		default: {
			const _never: never = state;
			return _never;
		}
	}
}

/** A data source's health in a few words: `✓ ok`, `✗ throttled: …`. */
export function sourceBadge(state: SourceState): Badge {
	switch (state.kind) {
		case 'ok':
			return {symbol: '✓', word: 'ok', tone: 'green'};
		case 'starting':
			return {symbol: '…', word: 'starting', tone: 'yellow'};
		case 'disabled':
			return {symbol: '-', word: `off (${state.why})`, tone: 'gray'};
		case 'degraded':
			return {symbol: '!', word: `degraded: ${state.why}, retry ${formatTimer(state.retryInMs)}`, tone: 'yellow'};
		case 'stale':
			return {symbol: '✗', word: `stale (last ok ${formatDuration(state.ageMs)} ago${state.why ? `; ${fit(state.why, 32)}` : ''})`, tone: 'red'};
		case 'error':
			return {symbol: '✗', word: `${state.code.replaceAll('_', ' ')}: ${fit(state.message, 40)}`, tone: 'red'};
		default: {
			const _never: never = state;
			return _never;
		}
	}
}

/** Cuts `text` to `width` columns with `…` (widgets lay out by column count). */
export function fit(text: string, width: number): string {
	if (width <= 0) return '';
	return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}
