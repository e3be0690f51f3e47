/**
 * Human "why" strings: one line per verdict, and the seeds' ready-to-paste
 * status messages. The engine, the screen, `--json` and the report all reuse
 * these so a decision reads the same everywhere.
 */
import type {CheckInput} from './canary-types.js';
import type {Evidence, RuleResult} from './decision-types.js';
import type {Plan, SloRule} from './plan-types.js';

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

/** Short value for the seeds' chat messages: `412ms`, `0.2%`. */
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
export function failingOp(op: SloRule['op']): string {
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
	const context = `(${r.window}, ${samplesText(r.samples)}, age ${formatAge(r.ageMs)})`;
	const threshold = formatValue(r.threshold, r.unit);
	switch (r.status) {
		case 'PASS': {
			return `${r.ruleId} PASS ${formatValue(r.value, r.unit)} ${r.op} ${threshold} ${context}`;
		}

		case 'BREACH': {
			const note = r.note ? ` [${r.note}]` : '';
			return `${r.ruleId} BREACH ${formatValue(r.value, r.unit)} ${failingOp(r.op)} ${threshold}${note} ${context}`;
		}

		case 'NO_DATA': {
			return `${r.ruleId} NO_DATA: ${r.note ?? 'no usable data'} ${context}`;
		}

		default: {
			const _never: never = r.status;
			return String(_never);
		}
	}
}

/** Evidence in one line, for decisions that are not about a single rule. */
export function formatEvidence(e: Evidence): string {
	const value = Number.isFinite(e.value) ? String(Number(e.value.toFixed(4))) : unknownValue;
	const threshold = Number.isFinite(e.threshold) ? String(Number(e.threshold.toFixed(4))) : unknownValue;
	return `${e.ruleId} ${value} vs ${threshold} (${e.window}, ${samplesText(e.samples)}, age ${formatAge(e.ageMs)})`;
}

/** The evidence a rule verdict gives a decision. */
export function ruleEvidence(r: RuleResult): Evidence {
	return {ruleId: r.ruleId, window: r.window, value: r.value, threshold: r.threshold, samples: r.samples, ageMs: r.ageMs};
}

/** The short name a rule has in the seeds' messages: the probe's label (`Board`), else the rule's label. */
export function ruleShortName(plan: Plan, r: RuleResult): string {
	const rule = plan.slos.find((s) => s.id === r.ruleId);
	if (rule?.source.kind === 'probe') {
		const probeId = rule.source.probe;
		const probe = plan.probes.find((p) => p.id === probeId);
		if (probe) {
			return probe.label;
		}
	}

	return r.label;
}

/** `Error: 0.2%, Board: 412ms, Drawer: 95ms` from a check: the blended error rate, then every ms rule. */
export function formatCheckSummary(plan: Plan, input: Pick<CheckInput, 'errorRate' | 'rules'>): string {
	const parts = [`Error: ${formatShort(input.errorRate, 'ratio')}`];
	const seen = new Set<string>();
	for (const r of input.rules) {
		if (r.unit !== 'ms') {
			continue;
		}

		const name = ruleShortName(plan, r);
		if (seen.has(name)) {
			continue;
		}

		seen.add(name);
		parts.push(`${name}: ${formatShort(r.value, 'ms')}`);
	}

	return parts.join(', ');
}

/** `30min`, as the seeds write durations. */
export function formatPlanDuration(ms: number): string {
	return formatAge(ms);
}

/** Seeds: `Canary 30% PASSED - Error: 0.2%, Board: 412ms, Drawer: 95ms. Advancing to 50%.` */
export function stagePassedMessage(plan: Plan, percent: number, nextPercent: number | null, input: Pick<CheckInput, 'errorRate' | 'rules'>): string {
	const next = nextPercent === null ? `Entering Gate G stabilization (${formatPlanDuration(plan.canary.stabilizationMs)}).` : `Advancing to ${nextPercent}%.`;
	return `Canary ${percent}% PASSED - ${formatCheckSummary(plan, input)}. ${next}`;
}

/** Seeds: `Canary 30% FAILED - board_p95 breach detected. Executing emergency rollback immediately.` */
export function stageFailedMessage(percent: number, metric: string): string {
	return `Canary ${percent}% FAILED - ${metric} breach detected. Executing emergency rollback immediately.`;
}

/** Seeds: the rollback-complete announcement (send it once the probes confirm V2 traffic is gone). */
export function rollbackCompleteMessage(kind: 'emergency' | 'full' = 'emergency'): string {
	return kind === 'emergency'
		? 'Emergency rollback COMPLETE. System restored to previous state. Health verified. Incident investigation initiated.'
		: 'Full rollback COMPLETE. System restored to previous state. Incident investigation initiated.';
}

/** Seeds: `Gate G PASSED - 30min stability confirmed. All SLOs green. StatusBoardV2 launch SUCCESSFUL!` */
export function gateGPassedMessage(plan: Pick<Plan, 'service'> & {canary: Pick<Plan['canary'], 'stabilizationMs'>}): string {
	return `Gate G PASSED - ${formatPlanDuration(plan.canary.stabilizationMs)} stability confirmed. All SLOs green. ${plan.service} launch SUCCESSFUL!`;
}

/** Seeds: the Gate G failure announcement. */
export function gateGFailedMessage(): string {
	return 'Gate G FAILED - Post-launch instability detected. Executing full rollback to ensure system stability.';
}

/** Seeds: `Canary at 30% - Error: 0.2%, Board: 412ms, Drawer: 95ms. Proceeding to 50%.` (stage update). */
export function stageUpdateMessage(plan: Plan, percent: number, nextPercent: number | null, input: Pick<CheckInput, 'errorRate' | 'rules'>): string {
	const next = nextPercent === null ? 'Holding for stabilization.' : `Proceeding to ${nextPercent}%.`;
	return `Canary at ${percent}% - ${formatCheckSummary(plan, input)}. ${next}`;
}
