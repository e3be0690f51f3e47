/**
 * A rule's reading as JSON, one shape for the `--json` stream's snapshots and
 * `golive status`: a number that is not known is null (JSON has no NaN), never 0.
 */
import type {RuleResult} from './decision-types.js';

/** `v` when it is a finite number, else null. */
export function finiteOrNull(v: unknown): number | null {
	return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function ruleJson(r: RuleResult) {
	return {
		id: r.ruleId,
		label: r.label,
		value: finiteOrNull(r.value),
		threshold: r.threshold,
		op: r.op,
		unit: r.unit,
		status: r.status,
		samples: r.samples,
		window: r.window,
		ageMs: finiteOrNull(r.ageMs),
	};
}
