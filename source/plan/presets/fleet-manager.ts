/**
 * Fleet Manager Dashboard as its Production Launch Playbook runs it: SLO
 * targets (error < 0.1 %, p95 < 500 ms) that hold the ramp, separate from the
 * rollback rules (error > 5 % now, > 1 % for 15 min, p95 > 2 s sustained), four
 * pre-launch sign-offs and the first day's review cadence as the watch.
 */
import type {PlanDocument} from '../../core/plan-types.js';
import {approval, call, canaryGates, command, hour, minute, productionPrepGate, stabilizedGate} from './parts.js';

const stages = [10, 50, 100];
const dashboardP95 = {kind: 'probe', probe: 'dashboard', stat: 'p95'} as const;
const errorRate = {kind: 'probe', probe: 'health', stat: 'errorRate'} as const;

/** Every 15 min in hour 1, every 30 min in hours 2–4, every 2 h to hour 24. */
function reviewOffsets(): number[] {
	const first = [15, 30, 45, 60].map((m) => m * minute);
	const active = [90, 120, 150, 180, 210, 240].map((m) => m * minute);
	const passive = [6, 8, 10, 12, 14, 16, 18, 20, 22, 24].map((h) => h * hour);
	return [...first, ...active, ...passive];
}

export function fleetManagerPreset(): PlanDocument {
	return {
		version: 1,
		service: 'Fleet Manager Dashboard',
		environment: 'production',
		environments: {staging: {baseUrl: '${STAGING_URL}'}, production: {baseUrl: '${PROD_URL}'}},
		probes: [
			{id: 'health', label: 'API health', method: 'GET', path: '/api/health', ratePerSec: 2},
			{id: 'dashboard', label: 'Fleet dashboard', method: 'GET', path: '/fleet/dashboard', ratePerSec: 2},
		],
		slos: [
			{id: 'error_target', label: 'Error rate target (5m)', source: errorRate, window: '5m', op: '<', threshold: 0.001, unit: 'ratio'},
			{id: 'p95_target', label: 'Response time p95 target', source: dashboardP95, window: '1m', op: '<', threshold: 500, unit: 'ms'},
			{
				id: 'error_rollback_now',
				label: 'Error rate ≤ 5 % (immediate rollback)',
				source: errorRate,
				window: '1m',
				op: '<=',
				threshold: 0.05,
				unit: 'ratio',
			},
			{
				id: 'error_rollback_15m',
				label: 'Error rate ≤ 1 % (rollback after 15 min)',
				source: errorRate,
				window: '5m',
				op: '<=',
				threshold: 0.01,
				unit: 'ratio',
			},
			{
				id: 'p95_rollback',
				label: 'Response time p95 ≤ 2 s (rollback when sustained)',
				source: dashboardP95,
				window: '5m',
				op: '<=',
				threshold: 2000,
				unit: 'ms',
			},
		],
		severities: [
			{severity: 'P0', rules: ['error_rollback_now']},
			{severity: 'P1', rules: ['error_rollback_15m'], sustainedMs: 15 * minute},
			{severity: 'P1', rules: ['p95_rollback'], sustainedMs: 5 * minute},
			{severity: 'P2', rules: ['error_target', 'p95_target']},
		],
		canary: {
			flag: 'FLEET_MANAGER_TRAFFIC',
			stages,
			stageDurationMs: 5 * minute,
			checkIntervalMs: minute,
			stabilizationMs: 5 * minute,
			// "Error rate > 5 %" is immediate; latency rolls back only when sustained (p95_rollback),
			// so the one-check latency abort sits at the probe timeout, where a reading means requests fail.
			abort: {errorRate: 0.05, latencyMs: 5000, latency: dashboardP95},
		},
		triggers: {sloBreachForMs: 15 * minute, errorBurst: {threshold: 0.05, intervals: 1}},
		actions: {
			setFlag: {kind: 'command', argv: ['./scripts/set-traffic.sh', '{percent}'], timeoutMs: 2 * minute},
			readBack: {url: '${PROD_URL}/api/health', percentPath: 'traffic.percent'},
			fullRollback: {kind: 'command', argv: ['./scripts/rollback.sh', '--reason', '{reason}'], timeoutMs: 10 * minute},
		},
		gates: [
			command('a_tests', 'A', 'All tests passing (./scripts/run-all-tests.sh)', ['./scripts/run-all-tests.sh'], 30 * minute),
			command('a_verify', 'A', 'Final verification (./scripts/final-verification.sh)', ['./scripts/final-verification.sh'], 15 * minute),
			{id: 'a_health', gate: 'A', label: 'Staging health check passed', kind: 'auto', check: {kind: 'health', url: '${STAGING_URL}/api/health'}},
			{id: 'a_load', gate: 'A', label: 'Response times < 500 ms, no errors', kind: 'auto', check: {kind: 'slo', rules: ['error_target', 'p95_target']}},
			approval('a_tech_lead', 'A', 'Pre-launch approval: Tech Lead', ['tech_lead']),
			approval('a_devops_lead', 'A', 'Pre-launch approval: DevOps Lead', ['devops_lead']),
			approval('a_qa_lead', 'A', 'Pre-launch approval: QA Lead', ['qa_lead']),
			approval('a_product_owner', 'A', 'Pre-launch approval: Product Owner', ['product_owner']),
			...productionPrepGate('/api/health', false),
			command(
				'b_dry_run',
				'B',
				'Deployment dry run (deploy-production.sh production true)',
				['./scripts/deploy-production.sh', 'production', 'true'],
				20 * minute,
			),
			command(
				'b_deploy',
				'B',
				'Application deployment (deploy-production.sh production false)',
				['./scripts/deploy-production.sh', 'production', 'false'],
				20 * minute,
			),
			call('b_verify_health', 'B', 'Verification: /api/health answers 200', 'GET', '${PROD_URL}/api/health'),
			call('b_verify_db', 'B', 'Verification: /api/fleet/db-stats answers 200', 'GET', '${PROD_URL}/api/fleet/db-stats'),
			command('b_smoke_e2e', 'B', 'E2E smoke tests (npx playwright test --grep @smoke)', ['npx', 'playwright', 'test', '--grep', '@smoke'], 15 * minute),
			command('b_smoke_api', 'B', 'API smoke tests (npm run test:api:smoke)', ['npm', 'run', 'test:api:smoke'], 15 * minute),
			...canaryGates(stages),
			stabilizedGate('All metrics green at 100 % (minute 10–15)'),
			approval('g_launch_manager', 'G', 'Launch completion: Launch Manager', ['launch_manager']),
		],
		postLaunch: {watchMs: 24 * hour, checkpoints: {offsetsMs: reviewOffsets()}},
		plannedDurationMs: 120 * minute,
	};
}
