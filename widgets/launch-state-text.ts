/**
 * The header's words for where the launch stands, from verified state only:
 * the rollback phase comes from `snapshot.mitigation.rollback` (a read-back or
 * a probe measurement, never "a request was sent"), the hold text from the
 * same check the tiles show, the mode from the canary (manual, paused, auto).
 */
import type {Snapshot} from '../source/core/snapshot.js';
import type {Tone} from './badges.js';
import {formatDuration, formatSeconds, formatTimer} from '../source/core/format.js';
import {isManual} from '../source/core/soak.js';

export type StateText = {text: string; tone: Tone; loud: boolean};

function pct(p: number | null): string {
	return p === null ? 'unknown' : `${p} %`;
}

function secondsUntil(at: number, now: number): string {
	return `${Math.max(0, Math.ceil((at - now) / 1000))} s`;
}

/** `flag reads 30 %` while the flag source answers; `flag last read 30 %` when it does not (the value is the last good read). */
function flagReadNow(snapshot: Snapshot, percent: number | null): string {
	return snapshot.sources.flag.kind === 'ok' ? `flag reads ${pct(percent)}` : `flag last read ${pct(percent)}`;
}

/**
 * The rollback in one phrase: ROLLBACK FAILING — flag reads 30 %, try 3 failed, next try in 8 s;
 * ROLLED BACK; ROLLED BACK — NOT HEALTHY. Null when no rollback was decided.
 */
export function rollbackText(snapshot: Snapshot): StateText | null {
	const {phase} = snapshot.canary;
	const m = snapshot.mitigation;
	const kind = m?.kind ?? (phase.kind === 'rolled_back' ? phase.rollback : 'emergency');
	if (!m) {
		if (phase.kind !== 'rolled_back') return null;
		// No mitigation record: only the reducer's own read-back can say the flag is at 0.
		return phase.flagReadBackAt != null
			? {text: `ROLLED BACK (${kind}) — flag read 0 %, health not verified`, tone: 'yellow', loud: true}
			: {text: `ROLLING BACK (${kind}) — ${snapshot.flag} not read back at 0 % yet`, tone: 'red', loud: true};
	}
	const r = m.rollback;
	switch (r.phase) {
		case 'writing':
			return {text: `ROLLING BACK (${kind}) — writing ${snapshot.flag} → 0 %, try ${r.tries}`, tone: 'red', loud: true};
		case 'failing':
			return {
				// Between tries and during the next one: FAILING until a read-back says 0 %, never "writing" as if nothing had failed.
				text: `ROLLBACK FAILING — ${flagReadNow(snapshot, r.flagReadPercent)}, try ${r.tries} failed, ${r.nextTryAt === null ? `try ${r.tries + 1} going out now` : `next try in ${secondsUntil(r.nextTryAt, snapshot.at)}`}: ${r.detail}`,
				tone: 'red',
				loud: true,
			};
		case 'gave_up':
			return {
				text: `ROLLBACK FAILED after ${r.tries} tries — ${flagReadNow(snapshot, r.flagReadPercent)}: set ${snapshot.flag} to 0 % by hand (${r.detail})`,
				tone: 'red',
				loud: true,
			};
		case 'applied':
			return {text: `ROLLED BACK (${kind}) — flag reads 0 %, verifying health ${formatTimer(snapshot.at - r.appliedAt)}`, tone: 'yellow', loud: true};
		case 'verified':
			return {
				text: `ROLLED BACK (${kind}) — healthy, rollback confirmed in ${formatSeconds((r.healthyAt - m.triggeredAt) / 1000)}: ${r.detail}`,
				tone: 'green',
				loud: false,
			};
		case 'not_healthy':
			return {text: `ROLLED BACK — NOT HEALTHY: ${r.detail}`, tone: 'red', loud: true};
		default: {
			const _never: never = r;
			return _never;
		}
	}
}

/** `▶ AUTO`, `✋ MANUAL`, `⏸ PAUSED`, `⛔ DISARMED`. */
export function modeText(snapshot: Snapshot): StateText {
	const {canary} = snapshot;
	if (!canary.armed) return {text: '⛔ DISARMED', tone: 'yellow', loud: true};
	if (isManual(canary)) return {text: '✋ MANUAL', tone: 'cyan', loud: false};
	if (canary.paused) return {text: '⏸ PAUSED', tone: 'yellow', loud: true};
	return {text: '▶ AUTO', tone: 'green', loud: false};
}

/**
 * The stage and what happens next, agreeing with the tiles: when a check is
 * not green it says which part (an SLO, the error rate, the alarms), and in
 * `--manual` it says what the operator can do.
 */
export function stageText(snapshot: Snapshot): {stage: string; next: string} {
	const {phase, lastCheckNote} = snapshot.canary;
	const manual = isManual(snapshot.canary);
	const notGreen = `held: not green — ${lastCheckNote ?? 'waiting for a complete check'}`;
	switch (phase.kind) {
		case 'pre': {
			const first = snapshot.stages[0];
			return {stage: 'pre-launch (gates A–B)', next: manual && first !== undefined ? `when gates A–B pass: p starts the canary at ${first} %` : ''};
		}
		case 'stage': {
			// Just entered: no check has judged this stage yet, so nothing is "not green".
			const checked = snapshot.canary.lastCheckAt != null && snapshot.canary.lastCheckAt >= phase.enteredAt;
			if (phase.greenSince === null) return {stage: `stage ${phase.percent} %`, next: checked ? notGreen : `waiting for the first check at ${phase.percent} %`};
			const held = snapshot.at - phase.greenSince;
			const next = snapshot.stages[phase.index + 1];
			const target = next === undefined ? 'Gate G' : `${next} %`;
			if (held >= snapshot.stageDurationMs)
				return {
					stage: `stage ${phase.percent} %`,
					next: manual ? `ready: press p to promote to ${target}` : `held ${formatTimer(snapshot.stageDurationMs)} green → ${target}`,
				};
			const progress = `green ${formatTimer(held)} of ${formatTimer(snapshot.stageDurationMs)}`;
			return {stage: `stage ${phase.percent} %`, next: manual ? `${progress}; then p promotes to ${target} (earlier: type SKIP)` : `${progress} → ${target}`};
		}
		case 'stabilizing': {
			if (phase.greenSince === null) return {stage: 'Gate G at 100 %', next: notGreen};
			return {stage: 'Gate G at 100 %', next: `green ${formatTimer(snapshot.at - phase.greenSince)} of ${formatTimer(snapshot.stabilizationMs)}`};
		}
		case 'succeeded':
			return {stage: 'SUCCEEDED at 100 %', next: ''};
		case 'rolled_back':
			return {stage: rollbackText(snapshot)?.text ?? 'ROLLED BACK', next: ''};
		case 'aborted':
			return {stage: `ABORTED: ${phase.reason}`, next: ''};
		default: {
			const _never: never = phase;
			return _never;
		}
	}
}

/** The flag as last read: `10 %`, or `last read 10 % 42 s ago` when the flag source is not ok, and any outside change. */
export function flagText(snapshot: Snapshot): string {
	const obs = snapshot.flagObservation;
	const outside =
		obs?.outsideChange && !obs.outsideChange.acknowledged ? ` ⚠ changed outside golive: ${pct(obs.outsideChange.from)} → ${pct(obs.outsideChange.to)}` : '';
	const percent = obs?.percent ?? snapshot.flagPercent;
	if (snapshot.sources.flag.kind === 'ok') return `${pct(percent)}${outside}`;
	const readAt = obs?.readAt ?? null;
	const when = readAt === null ? '' : ` ${formatDuration(snapshot.at - readAt)} ago`;
	return percent === null ? `not read yet${outside}` : `last read ${percent} %${when}${outside}`;
}
