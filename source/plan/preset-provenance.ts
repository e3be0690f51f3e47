/**
 * Where each preset setting comes from: the runbook and the line, copied word
 * for word. The preset table test checks every row against the preset, and the
 * README's preset table is this table (`presetProvenanceMarkdown`), so a
 * preset cannot drift from its runbook without a failing test.
 */
import type {PlanDocument} from '../core/plan-types.js';
import type {PresetName} from './presets.js';

export type ProvenanceRow = {
	preset: PresetName;
	/** `canary.stages`, `slos[board_p95].threshold`, `gates[a_uat].roles`: ids in brackets pick from an array. */
	setting: string;
	value: unknown;
	/** The runbook's title. */
	runbook: string;
	/** The runbook's own words. */
	line: string;
};

const runSheet = 'StatusBoardV2 run sheet';
const commander = 'Go-Live Commander script';
const fleet = 'Fleet Manager playbook';
const teei = 'TEEI run-of-show';
const minute = 60_000;
const hour = 60 * minute;

export const presetProvenance: ProvenanceRow[] = [
	{preset: 'statusboard', setting: 'slos[board_p95].threshold', value: 800, runbook: runSheet, line: 'Board load p95 < 800ms'},
	{preset: 'statusboard', setting: 'slos[drawer_avg].threshold', value: 200, runbook: runSheet, line: 'Drawer open avg < 200ms'},
	{preset: 'statusboard', setting: 'slos[error_rate].threshold', value: 0.01, runbook: runSheet, line: 'API error rate < 1% (5m window)'},
	{preset: 'statusboard', setting: 'slos[occ_conflicts].threshold', value: 30, runbook: runSheet, line: 'OCC conflicts < 30 per 5min'},
	{preset: 'statusboard', setting: 'triggers.sloBreachForMs', value: 10 * minute, runbook: runSheet, line: 'SLO breach for ≥10 minutes'},
	{
		preset: 'statusboard',
		setting: 'triggers.errorBurst',
		value: {threshold: 0.02, intervals: 3},
		runbook: runSheet,
		line: 'Error bursts >2% for 3 consecutive intervals',
	},
	{
		preset: 'statusboard',
		setting: 'canary.stages',
		value: [10, 30, 50, 100],
		runbook: runSheet,
		line: './canary-rollout.sh start # Auto progression: 10→30→50→100%',
	},
	{
		preset: 'statusboard',
		setting: 'gates[a_deploy_staging].action.argv',
		value: ['./deploy-staging.sh'],
		runbook: runSheet,
		line: './deploy-staging.sh # Deploy latest to staging',
	},
	{
		preset: 'statusboard',
		setting: 'gates[a_smoke].action.argv',
		value: ['./staging-smoke-tests.sh'],
		runbook: runSheet,
		line: './staging-smoke-tests.sh # Run full validation suite',
	},
	{
		preset: 'statusboard',
		setting: 'gates[a_uat].roles',
		value: ['product_owner', 'eng_lead', 'qa_lead'],
		runbook: runSheet,
		line: 'Product, Eng, QA sign‑off captured',
	},
	{
		preset: 'statusboard',
		setting: 'gates[b_validate].action.argv',
		value: ['./production-launch.sh', 'validate'],
		runbook: runSheet,
		line: 'Validation returns success (exit code 0)',
	},
	{
		preset: 'statusboard',
		setting: 'gates[b_deploy].action.argv',
		value: ['./production-launch.sh', 'deploy'],
		runbook: runSheet,
		line: './production-launch.sh deploy # Build, upload to S3, create backup',
	},
	{preset: 'statusboard', setting: 'canary.stabilizationMs', value: 30 * minute, runbook: runSheet, line: 'All SLOs green for continuous 30+ minutes'},
	{preset: 'statusboard', setting: 'gates[g_no_p0].label', value: 'Zero P0/P1 incidents reported', runbook: runSheet, line: 'Zero P0/P1 incidents reported'},
	{
		preset: 'statusboard',
		setting: 'actions.fullRollback.argv',
		value: ['./rollback.sh', 'full', '--reason', '{reason}'],
		runbook: runSheet,
		line: './rollback.sh full --reason "Critical functionality bug - incident #XXXX"',
	},

	{preset: 'commander', setting: 'slos[error_rate].threshold', value: 0.005, runbook: commander, line: 'Error Rate: <0.5% (target <1%)'},
	{preset: 'commander', setting: 'slos[board_p95].threshold', value: 800, runbook: commander, line: 'Board Response: p95 <800ms (critical SLO)'},
	{preset: 'commander', setting: 'slos[drawer_avg].threshold', value: 200, runbook: commander, line: 'Drawer Response: avg <200ms (critical SLO)'},
	{preset: 'commander', setting: 'canary.abort.latencyMs', value: 800, runbook: commander, line: 'SLO breach (>800ms) | Emergency rollback'},
	{preset: 'commander', setting: 'canary.abort.errorRate', value: 0.01, runbook: commander, line: 'Error rate >1% | Emergency rollback'},
	{
		preset: 'commander',
		setting: 'gates[a_deploy_staging,a_smoke,a_uat_init,a_uat_status].action.argv',
		value: [['./deploy-staging.sh'], ['./staging-smoke-tests.sh'], ['./uat-validation.sh', 'init'], ['./uat-validation.sh', 'status']],
		runbook: commander,
		line: './deploy-staging.sh && ./staging-smoke-tests.sh && ./uat-validation.sh init && ./uat-validation.sh status',
	},
	{
		preset: 'commander',
		setting: 'gates[b_validate,b_playbook].action.argv',
		value: [
			['./production-launch.sh', 'validate'],
			['./execute-launch-playbook.sh', 'validate'],
		],
		runbook: commander,
		line: './production-launch.sh validate && ./execute-launch-playbook.sh validate',
	},
	{
		preset: 'commander',
		setting: 'gates[b_deploy].action.argv',
		value: ['./production-launch.sh', 'deploy'],
		runbook: commander,
		line: './production-launch.sh deploy && ./canary-rollout.sh start',
	},
	{
		preset: 'commander',
		setting: 'gates[a_approver,b_approver,e_full_rollout,g_final].gate',
		value: ['A', 'B', 'E', 'G'],
		runbook: commander,
		line: 'Approver confirms: Gate A passage, Gate B readiness, Full rollout authorization, Final launch sign-off',
	},
	{preset: 'commander', setting: 'canary.stabilizationMs', value: 30 * minute, runbook: commander, line: './production-launch.sh monitor 1800'},
	{preset: 'commander', setting: 'canary.onGateGFail', value: 'full', runbook: commander, line: 'If Gate G FAILS (Instability Detected): ./rollback.sh full'},

	{preset: 'fleet-manager', setting: 'slos[error_target].threshold', value: 0.001, runbook: fleet, line: 'Maintain error rate < 0.1%'},
	{preset: 'fleet-manager', setting: 'slos[p95_target].threshold', value: 500, runbook: fleet, line: 'Response Time (p95) | <500ms'},
	{
		preset: 'fleet-manager',
		setting: 'severities[error_rollback_now].severity',
		value: 'P0',
		runbook: fleet,
		line: 'Immediate Rollback Required: Error rate > 5%',
	},
	{preset: 'fleet-manager', setting: 'slos[error_rollback_now].threshold', value: 0.05, runbook: fleet, line: 'Immediate Rollback Required: Error rate > 5%'},
	{
		preset: 'fleet-manager',
		setting: 'severities[error_rollback_15m]',
		value: {severity: 'P1', rules: ['error_rollback_15m'], sustainedMs: 15 * minute},
		runbook: fleet,
		line: 'Error rate > 1% for 15+ minutes',
	},
	{preset: 'fleet-manager', setting: 'slos[p95_rollback].threshold', value: 2000, runbook: fleet, line: 'Response time p95 > 2s consistently'},
	{preset: 'fleet-manager', setting: 'severities[p95_rollback].severity', value: 'P1', runbook: fleet, line: 'Response time p95 > 2s consistently'},
	{
		preset: 'fleet-manager',
		setting: 'canary.stages',
		value: [10, 50, 100],
		runbook: fleet,
		line: 'Minute 0-5: 10% Traffic … Minute 5-10: 50% Traffic … Minute 10-15: 100% Traffic',
	},
	{preset: 'fleet-manager', setting: 'canary.stageDurationMs', value: 5 * minute, runbook: fleet, line: 'Minute 0-5: 10% Traffic'},
	{
		preset: 'fleet-manager',
		setting: 'gates[a_tech_lead,a_devops_lead,a_qa_lead,a_product_owner].roles',
		value: [['tech_lead'], ['devops_lead'], ['qa_lead'], ['product_owner']],
		runbook: fleet,
		line: 'Pre-Launch Approval: Tech Lead, DevOps Lead, QA Lead, Product Owner',
	},
	{
		preset: 'fleet-manager',
		setting: 'gates[b_dry_run,b_deploy].action.argv',
		value: [
			['./scripts/deploy-production.sh', 'production', 'true'],
			['./scripts/deploy-production.sh', 'production', 'false'],
		],
		runbook: fleet,
		line: './scripts/deploy-production.sh production true … ./scripts/deploy-production.sh production false',
	},
	{
		preset: 'fleet-manager',
		setting: 'gates[b_smoke_e2e].action.argv',
		value: ['npx', 'playwright', 'test', '--grep', '@smoke'],
		runbook: fleet,
		line: 'npx playwright test --grep @smoke',
	},
	{
		preset: 'fleet-manager',
		setting: 'postLaunch.checkpoints.offsetsMs',
		value: [15, 30, 45, 60, 90, 120, 150, 180, 210, 240, 360, 480, 600, 720, 840, 960, 1080, 1200, 1320, 1440].map((m) => m * minute),
		runbook: fleet,
		line: 'Checklist (every 15 minutes) … Hours 2-4: Monitor every 30 minutes … Hours 4-24: Monitor every 2 hours',
	},
	{preset: 'fleet-manager', setting: 'postLaunch.watchMs', value: 24 * hour, runbook: fleet, line: 'Post-Launch Monitoring (First 24 Hours)'},

	{preset: 'teei', setting: 'slos[api_p95].threshold', value: 500, runbook: teei, line: 'Target: P95 ≤ 500ms'},
	{preset: 'teei', setting: 'slos[error_rate].threshold', value: 0.001, runbook: teei, line: 'Target: ≤ 0.1% error rate'},
	{
		preset: 'teei',
		setting: 'severities[platform_down].severity',
		value: 'P0',
		runbook: teei,
		line: 'P0 | Platform down (5xx > 50%) | 5 mins | Immediate rollback, page on-call',
	},
	{preset: 'teei', setting: 'slos[platform_down].threshold', value: 0.5, runbook: teei, line: 'P0 | Platform down (5xx > 50%)'},
	{
		preset: 'teei',
		setting: 'severities[performance_degraded].severity',
		value: 'P2',
		runbook: teei,
		line: 'P2 | Performance degraded (P95 > 2s) | 30 mins | Investigate, scale if needed',
	},
	{preset: 'teei', setting: 'slos[performance_degraded].threshold', value: 2000, runbook: teei, line: 'P2 | Performance degraded (P95 > 2s)'},
	{
		preset: 'teei',
		setting: 'severities[error_sustained]',
		value: {severity: 'P1', rules: ['error_sustained', 'latency_sustained'], sustainedMs: 5 * minute},
		runbook: teei,
		line: 'Error rate > 5% sustained for 5 minutes',
	},
	{preset: 'teei', setting: 'slos[latency_sustained].threshold', value: 5000, runbook: teei, line: 'P95 latency > 5 seconds sustained'},
	{
		preset: 'teei',
		setting: 'gates[a_drill_deploy,a_drill_rollback].action.argv',
		value: [['./deploy-production.sh'], ['./rollback-production.sh', '${PREVIOUS_VERSION}']],
		runbook: teei,
		line: 'Staging Rollback Drill (T-4 days): Deploy new version, rollback, verify',
	},
	{
		preset: 'teei',
		setting: 'triggers.syntheticFailures',
		value: {consecutive: 2, action: 'alert'},
		runbook: teei,
		line: 'Synthetic Monitors … Alert if 2 consecutive failures',
	},
	{preset: 'teei', setting: 'fleet.publishIntervalMs', value: minute, runbook: teei, line: 'Check every 1 minute from 5 global locations'},
	{preset: 'teei', setting: 'fleet.minAgents', value: 5, runbook: teei, line: 'Synthetic Monitors: All green (5/5 locations)'},
	{preset: 'teei', setting: 'gates[a_go_no_go].roles', value: ['vp_engineering'], runbook: teei, line: 'Signed by: [VP Engineering Name], [Date/Time]'},
	{
		preset: 'teei',
		setting: 'actions.fullRollback.argv',
		value: ['./rollback-production.sh', '${PREVIOUS_VERSION}'],
		runbook: teei,
		line: 'Usage: ./rollback-production.sh v2.4.9',
	},
	{
		preset: 'teei',
		setting: 'postLaunch.checkpoints.offsetsMs',
		value: [hour, 4 * hour, 8 * hour, 24 * hour],
		runbook: teei,
		line: 'T+1 Hour: First Checkpoint … T+4 Hours … T+8 Hours … T+24 Hours: Day 1 Retrospective',
	},
];

function pick(value: unknown, key: string): unknown {
	const bracket = /^(\w+)\[([^\]]+)\]$/.exec(key);
	if (!bracket) return (value as Record<string, unknown> | undefined)?.[key];
	const list = (value as Record<string, unknown> | undefined)?.[bracket[1]!];
	if (!Array.isArray(list)) return undefined;
	const ids = bracket[2]!.split(',');
	// An id picks the item with that id, or (severities) the level listing that rule.
	const found = ids.map((id) => list.find((item: {id?: string; rules?: string[]}) => item.id === id || item.rules?.includes(id)));
	return ids.length === 1 ? found[0] : found;
}

/** The value at a row's `setting` in a plan; a multi-id pick maps the rest of the path over each item. */
export function settingAt(plan: PlanDocument, setting: string): unknown {
	const [head, ...rest] = setting.split(/\.(?![^[]*\])/);
	const first = pick(plan, head!);
	const walk = (value: unknown): unknown => rest.reduce<unknown>((v, key) => pick(v, key), value);
	return head!.includes(',') && Array.isArray(first) ? first.map(walk) : walk(first);
}

function cell(value: unknown): string {
	return JSON.stringify(value).replaceAll('|', '\\|');
}

/** The README's preset table. */
export function presetProvenanceMarkdown(): string {
	const rows = presetProvenance.map((r) => `| \`${r.preset}\` | \`${r.setting}\` | \`${cell(r.value)}\` | ${r.runbook}: “${r.line.replaceAll('|', '\\|')}” |`);
	return ['| Preset | Setting | Value | Runbook line |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
