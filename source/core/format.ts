/**
 * The one place numbers, durations and times become text, named for what they
 * format (a rule value, a timer, a duration, a wall-clock time), and the one-line
 * "why" of a rule verdict. The reducer, the engine, the screen, `--json`, the
 * report and the status messages (`report/messages.ts`) all format here, so a
 * value reads the same everywhere.
 */
import type {Evidence, RuleResult} from './decision-types.js';
import type {SloRule} from './plan-types.js';

/** Shown where a number is unknown (NaN, ±Infinity): never a digit that could pass for data. */
export const unknownValue = '—';

/**
 * The digits of a rule value, one rounding rule per unit so the tile, the Why,
 * the log, the report and the status messages print the same number: latency
 * in tenths of a millisecond below 100 ms and whole milliseconds from there
 * (`88.4`, `912`), a ratio as a percent with two decimals (`0.21`), a count in
 * tenths; trailing zeros dropped (`800`, `1`, `0.2`).
 */
function ruleDigits(value: number, unit: SloRule['unit']): string {
	switch (unit) {
		case 'ms': {
			return String(Math.abs(value) >= 100 ? Math.round(value) : Number(value.toFixed(1)));
		}

		case 'ratio': {
			return String(Number((value * 100).toFixed(2)));
		}

		case 'count': {
			return String(Number(value.toFixed(1)));
		}

		default: {
			const _never: never = unit;
			return String(_never);
		}
	}
}

const unitSuffix: Record<SloRule['unit'], string> = {ms: 'ms', ratio: '%', count: ''};

/** A rule value or threshold with its unit: `912 ms`, `88.4 ms`, `0.21 %`, `1 %`, `31`; `—` when not finite. */
export function formatRuleValue(value: number, unit: SloRule['unit']): string {
	if (!Number.isFinite(value)) return unknownValue;
	const suffix = unitSuffix[unit];
	return suffix === '' ? ruleDigits(value, unit) : `${ruleDigits(value, unit)} ${suffix}`;
}

/** The same digits as `formatRuleValue`, written as the runbooks' status messages do: `912ms`, `0.2%`. */
export function formatRuleValueCompact(value: number, unit: SloRule['unit']): string {
	if (!Number.isFinite(value)) return unknownValue;
	return `${ruleDigits(value, unit)}${unitSuffix[unit]}`;
}

/** A chart axis label, short enough for the label column: `812`, `1.2k`, `8.4`, `0.40%`. */
export function formatAxisLabel(value: number, unit: SloRule['unit']): string {
	if (!Number.isFinite(value)) return unknownValue;
	if (unit === 'ratio') return `${(value * 100).toFixed(2)}%`;
	if (Math.abs(value) >= 10_000) return `${(value / 1000).toFixed(0)}k`;
	if (Math.abs(value) >= 1000) return `${(value / 1000).toFixed(1)}k`;
	return value >= 10 || unit === 'count' ? `${Math.round(value)}` : value.toFixed(1);
}

/** A running timer or a soak length on a clock face: `0:27`, `9:59`, `10:00`, `1:30:00`; negative and non-finite read `—`. */
export function formatTimer(ms: number | null): string {
	if (ms === null || !Number.isFinite(ms) || ms < 0) {
		return unknownValue;
	}

	const total = Math.floor(ms / 1000);
	const s = total % 60;
	const m = Math.floor(total / 60) % 60;
	const h = Math.floor(total / 3600);
	const ss = String(s).padStart(2, '0');
	return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A data age or a plan duration in its largest whole unit: `450ms`, `2s`, `45s`, `10min`, `1h30min`; `—` when unknown. */
export function formatDuration(ms: number | null): string {
	if (ms === null || !Number.isFinite(ms)) {
		return unknownValue;
	}

	if (ms < 1000) {
		return `${Math.max(0, Math.round(ms))}ms`;
	}

	// Rounded to the second once, then split: 179.6 s reads `3min`, never `2min60s`.
	const seconds = Math.round(ms / 1000);
	if (seconds < 60) {
		return `${seconds}s`;
	}

	if (seconds < 3600) {
		const rest = seconds % 60;
		return `${Math.floor(seconds / 60)}min${rest === 0 ? '' : `${rest}s`}`;
	}

	const minutes = Math.round(seconds / 60);
	const h = Math.floor(minutes / 60);
	const m = minutes % 60;
	return m === 0 ? `${h}h` : `${h}h${m}min`;
}

/** A measured span in seconds with tenths, e.g. how long a rollback took to confirm: `3.2 s`. */
export function formatSeconds(seconds: number): string {
	return Number.isFinite(seconds) ? `${seconds.toFixed(1)} s` : unknownValue;
}

/** A share such as a synthetic monitor's uptime, in tenths of a percent: `99.5 %`; `—` when unknown. */
export function formatUptime(ratio: number): string {
	return Number.isFinite(ratio) ? `${(ratio * 100).toFixed(1)} %` : unknownValue;
}

/** The wall-clock time of an instant, UTC, as the event log and stderr lines print it: `10:00:11`. */
export function formatWallClock(epochMs: number): string {
	return Number.isFinite(epochMs) ? new Date(epochMs).toISOString().slice(11, 19) : unknownValue;
}

/** The comparison that makes a rule fail: the negation of its `op`. */
function failingOp(op: SloRule['op']): string {
	return op === '<' ? '≥' : '>';
}

function samplesText(samples: number): string {
	return `${samples} sample${samples === 1 ? '' : 's'}`;
}

/**
 * One line for a rule verdict:
 * `board_p95 BREACH 912 ms ≥ 800 ms (5m, 3120 samples, age 2s)`,
 * `board_p95 PASS 412 ms < 800 ms (…)`, `board_p95 NO_DATA: stale data (…)`.
 */
export function formatRuleResult(r: RuleResult): string {
	const context = `(${windowText(r.window, r.windowMs)}, ${samplesText(r.samples)}, age ${formatDuration(r.ageMs)})`;
	const threshold = formatRuleValue(r.threshold, r.unit);
	switch (r.status) {
		case 'PASS': {
			return `${r.ruleId} PASS ${formatRuleValue(r.value, r.unit)} ${r.op} ${threshold} ${context}`;
		}

		case 'BREACH': {
			const note = r.note ? ` [${r.note}]` : '';
			return `${r.ruleId} BREACH ${formatRuleValue(r.value, r.unit)} ${failingOp(r.op)} ${threshold}${note} ${context}`;
		}

		case 'NO_DATA':
		case 'STALE': {
			return `${r.ruleId} ${r.status}: ${r.note ?? 'no usable data'} ${context}`;
		}

		default: {
			const _never: never = r.status;
			return String(_never);
		}
	}
}

/**
 * A window as text names it: its real length when known (a time-compressed
 * plan's "1m" is `8s`, as the tiles say), else its name.
 */
export function windowText(window: string, windowMs?: number): string {
	if (windowMs === undefined || !Number.isFinite(windowMs) || windowMs <= 0) return window;
	return windowMs % 60_000 === 0 ? `${windowMs / 60_000}m` : `${Math.round(windowMs / 1000)}s`;
}

/** `{windowMs}` of `window` when the plan gives its windows real lengths (a time-compressed plan), else nothing. */
export function planWindowMs(windowsMs: Partial<Record<string, number>> | undefined, window: string): {windowMs?: number} {
	const ms = windowsMs?.[window];
	return ms === undefined ? {} : {windowMs: ms};
}

/** `{windowMs}` when the result knows its window's real length, for evidence built from it. */
export function windowMsOf(r: Pick<RuleResult, 'windowMs'>): {windowMs?: number} {
	return r.windowMs === undefined ? {} : {windowMs: r.windowMs};
}

/** The evidence a rule verdict gives a decision. */
export function ruleEvidence(r: RuleResult): Evidence {
	return {ruleId: r.ruleId, window: r.window, ...windowMsOf(r), value: r.value, threshold: r.threshold, samples: r.samples, ageMs: r.ageMs};
}
