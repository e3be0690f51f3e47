/**
 * A check record's rule values, by the plan's rule id. New journals carry
 * `rules` (any plan's own rules); journals written before it carry the
 * StatusBoardV2 run sheet's four numbers under fixed names, which are read here
 * and nowhere else so an old journal still reports and resumes.
 */
import type {CheckRecord, CheckedRule} from './records.js';
import {finiteOrNull} from '../core/rule-json.js';

/** The fields older check records (and `launch_start.targets`) used, by the run sheet's rule ids. */
export const legacyFields = {board_p95: 'boardP95Ms', drawer_avg: 'drawerAvgMs', error_rate: 'errorRate', occ_conflicts: 'occConflicts'} as const;

const legacyUnits = {board_p95: 'ms', drawer_avg: 'ms', error_rate: 'ratio', occ_conflicts: 'count'} as const;

const legacyLabels = {board_p95: 'Board p95', drawer_avg: 'Drawer avg', error_rate: 'Error rate', occ_conflicts: 'OCC conflicts'} as const;

type LegacyRuleId = keyof typeof legacyFields;

const isLegacyRule = (id: string): id is LegacyRuleId => Object.hasOwn(legacyFields, id);

/** What an old journal (without `launch_start.rules`) knew of a run sheet rule: its field name, unit and label; null for any other id. */
export function legacyRule(id: string): {field: (typeof legacyFields)[LegacyRuleId]; unit: (typeof legacyUnits)[LegacyRuleId]; label: string} | null {
	return isLegacyRule(id) ? {field: legacyFields[id], unit: legacyUnits[id], label: legacyLabels[id]} : null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every rule the check recorded, by id. An old record's rules are the run sheet's four with a value, PASS unless `failing` names them. */
export function checkedRules(check: CheckRecord | undefined): Map<string, CheckedRule> {
	const out = new Map<string, CheckedRule>();
	if (!check) return out;
	if (isRecord(check.rules)) {
		for (const [id, rule] of Object.entries(check.rules)) {
			if (!isRecord(rule)) continue;
			out.set(id, {value: finiteOrNull(rule.value), status: typeof rule.status === 'string' ? rule.status : 'NO_DATA'});
		}
		return out;
	}
	const failing = new Set((Array.isArray(check.failing) ? check.failing : []).map((f) => String(f).split(' ')[0]));
	for (const [id, field] of Object.entries(legacyFields)) {
		const value = finiteOrNull(check[field as (typeof legacyFields)[LegacyRuleId]]);
		if (value !== null) out.set(id, {value, status: failing.has(id) ? 'BREACH' : 'PASS'});
	}
	return out;
}

/** The value `ruleId` measured at this check; null when not recorded or not a finite number. */
export function checkRuleValue(check: CheckRecord | undefined, ruleId: string): number | null {
	return checkedRules(check).get(ruleId)?.value ?? null;
}
