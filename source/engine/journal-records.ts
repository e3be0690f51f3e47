/**
 * The journal records the engine writes about what it saw (not what it did):
 * the launch's targets and one `check` per decision interval, with the numbers
 * the launch report needs per stage.
 */
import type {RuleResult} from '../core/decision-types.js';
import type {Plan} from '../core/plan-types.js';
import type {CheckRecord, LaunchStartRecord} from '../journal/records.js';

/** Rule ids of the seeds' four SLOs, as the presets and the demo plan name them. */
const seedRules = {boardP95Ms: 'board_p95', drawerAvgMs: 'drawer_avg', errorRate: 'error_rate', occConflicts: 'occ_conflicts'} as const;

/** The seeds' SLO targets, for the report's "(target <800ms)". */
export function launchTargets(plan: Plan): NonNullable<LaunchStartRecord['targets']> {
	const threshold = (id: string): number | undefined => plan.slos.find((r) => r.id === id)?.threshold;
	return {
		boardP95Ms: threshold(seedRules.boardP95Ms),
		drawerAvgMs: threshold(seedRules.drawerAvgMs),
		errorRate: threshold(seedRules.errorRate),
		occConflicts: threshold(seedRules.occConflicts),
	};
}

export function checkRecord(rules: RuleResult[], flagPercent: number | null, at: number): CheckRecord {
	const value = (id: string): number | null => {
		const rule = rules.find((r) => r.ruleId === id);
		return rule && Number.isFinite(rule.value) ? rule.value : null;
	};
	const failing = rules.filter((r) => r.status !== 'PASS').map((r) => `${r.ruleId} ${r.status}${Number.isFinite(r.value) ? ` ${r.value.toFixed(r.unit === 'ratio' ? 4 : 1)}` : ''}`);
	return {
		type: 'check',
		at,
		flagPercent,
		boardP95Ms: value(seedRules.boardP95Ms),
		drawerAvgMs: value(seedRules.drawerAvgMs),
		errorRate: value(seedRules.errorRate),
		occConflicts: value(seedRules.occConflicts),
		// No rules is no data, never green.
		green: rules.length > 0 && failing.length === 0,
		...(failing.length > 0 ? {failing} : {}),
	};
}
