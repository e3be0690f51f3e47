/**
 * Human "why" strings: one line per verdict, and the run sheets' ready-to-paste
 * status messages. The engine, the screen, `--json` and the report all reuse
 * these so a decision reads the same everywhere.
 */
import type {Evidence, RuleResult} from './decision-types.js';
import type {SloRule} from './plan-types.js';

/** Shown where a number is unknown (NaN, ±Infinity): never a digit that could pass for data. */
export const unknownValue = '—';

/** `912.4 ms`, `800 ms`, `0.20 %`, `31`; `—` when not finite. */
export function formatValue(value: number, unit: SloRule['unit']): string {
	if (!Number.isFinite(value)) {
		return unknownValue;
	}

	switch (unit) {
		case 'ms': {
			// Thresholds read as written (`800 ms`); measured values keep their tenths (`912.4 ms`).
			return Number.isInteger(value) ? `${value} ms` : `${value.toFixed(1)} ms`;
		}

		case 'ratio': {
			return `${(value * 100).toFixed(2)} %`;
		}

		case 'count': {
			return Number.isInteger(value) ? String(value) : value.toFixed(1);
		}

		default: {
			const _never: never = unit;
			return String(_never);
		}
	}
}

/** Short value for the status messages: `412ms`, `0.2%`. */
export function formatShort(value: number, unit: SloRule['unit']): string {
	if (!Number.isFinite(value)) {
		return unknownValue;
	}

	switch (unit) {
		case 'ms': {
			return `${Math.round(value)}ms`;
		}

		case 'ratio': {
			return `${Number((value * 100).toFixed(2))}%`;
		}

		case 'count': {
			return String(Math.round(value));
		}

		default: {
			const _never: never = unit;
			return String(_never);
		}
	}
}

/** `m:ss` (`10:00`, `9:59`), or `h:mm:ss` from an hour on; negative and non-finite read `—`. */
export function formatClock(ms: number): string {
	if (!Number.isFinite(ms) || ms < 0) {
		return unknownValue;
	}

	const total = Math.floor(ms / 1000);
	const s = total % 60;
	const m = Math.floor(total / 60) % 60;
	const h = Math.floor(total / 3600);
	const ss = String(s).padStart(2, '0');
	return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A data age or a plan duration in its largest whole unit: `2s`, `45s`, `10min`, `1h30min`. */
export function formatAge(ms: number | null): string {
	if (ms === null || !Number.isFinite(ms)) {
		return unknownValue;
	}

	if (ms < 1000) {
		return `${Math.max(0, Math.round(ms))}ms`;
	}

	if (ms < 60_000) {
		return `${Math.round(ms / 1000)}s`;
	}

	if (ms < 3_600_000) {
		const minutes = ms / 60_000;
		return Number.isInteger(minutes) ? `${minutes}min` : `${Math.floor(minutes)}min${Math.round((ms % 60_000) / 1000)}s`;
	}

	const h = Math.floor(ms / 3_600_000);
	const m = Math.round((ms % 3_600_000) / 60_000);
	return m === 0 ? `${h}h` : `${h}h${m}min`;
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
 * `board_p95 BREACH 912.4 ms ≥ 800 ms (5m, 3120 samples, age 2s)`,
 * `board_p95 PASS 412.0 ms < 800 ms (…)`, `board_p95 NO_DATA: stale data (…)`.
 */
export function formatRuleResult(r: RuleResult): string {
	const context = `(${windowText(r.window, r.windowMs)}, ${samplesText(r.samples)}, age ${formatAge(r.ageMs)})`;
	const threshold = formatValue(r.threshold, r.unit);
	switch (r.status) {
		case 'PASS': {
			return `${r.ruleId} PASS ${formatValue(r.value, r.unit)} ${r.op} ${threshold} ${context}`;
		}

		case 'BREACH': {
			const note = r.note ? ` [${r.note}]` : '';
			return `${r.ruleId} BREACH ${formatValue(r.value, r.unit)} ${failingOp(r.op)} ${threshold}${note} ${context}`;
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

/** `{windowMs}` when the result knows its window's real length, for evidence built from it. */
export function windowMsOf(r: Pick<RuleResult, 'windowMs'>): {windowMs?: number} {
	return r.windowMs === undefined ? {} : {windowMs: r.windowMs};
}

/** The evidence a rule verdict gives a decision. */
export function ruleEvidence(r: RuleResult): Evidence {
	return {ruleId: r.ruleId, window: r.window, ...windowMsOf(r), value: r.value, threshold: r.threshold, samples: r.samples, ageMs: r.ageMs};
}
