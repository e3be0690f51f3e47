/**
 * Starter plans for the launches the runbooks describe (the StatusBoardV2 run sheet, the
 * Fleet Manager playbook, the TEEI run-of-show), written by `golive init --preset …`.
 * Numbers come from those runbooks; URLs are `${VAR}` references the
 * runbooks' operators export in their shell (STAGING_URL, PROD_URL, …), and secrets
 * sit only in `headers` (resolved at request time, never stored).
 */
import type {GateItemPlan, Plan, ProbeSpec, SloRule} from '../core/plan-types.js';
import {defaultPostRollbackWatchMs, defaultRollbackRetryForMs} from '../core/plan-types.js';

export const presetNames = ['statusboard', 'fleet-manager', 'teei'] as const;
export type PresetName = (typeof presetNames)[number];

const minute = 60_000;
const auth = {Authorization: 'Bearer ${API_TOKEN}'};

function probe(spec: Omit<ProbeSpec, 'timeoutMs' | 'maxResponseBytes'> & Partial<ProbeSpec>): ProbeSpec {
	return {timeoutMs: 5000, maxResponseBytes: 1_048_576, kind: 'read', ...spec};
}

function rule(spec: Omit<SloRule, 'minSamples' | 'maxAgeMs' | 'onNoData'> & Partial<SloRule>): SloRule {
	// maxAgeMs = 3 × the check interval, as the loader would fill it.
	return {minSamples: 20, maxAgeMs: 3 * minute, onNoData: 'hold', ...spec};
}

/** Gate B as the StatusBoardV2 run sheet runs `production-launch.sh validate`, against `${PROD_URL}`. */
function productionPrepGate(healthPath: string): GateItemPlan[] {
	return [
		{id: 'b_health', gate: 'B', label: 'Production health endpoint returns 200', kind: 'auto', check: {kind: 'health', url: `\${PROD_URL}${healthPath}`}},
		{id: 'b_dns', gate: 'B', label: 'Production DNS resolves', kind: 'auto', check: {kind: 'dns', host: '${PROD_URL}'}},
		{id: 'b_tls', gate: 'B', label: 'TLS certificate valid ≥ 30 days', kind: 'auto', check: {kind: 'tls', host: '${PROD_URL}', minDays: 30}},
		{id: 'b_alarms', gate: 'B', label: 'All alarms OK or INSUFFICIENT_DATA', kind: 'auto', check: {kind: 'alarms-ok'}},
		{id: 'b_rollback', gate: 'B', label: 'Rollback configured and flag read-back works', kind: 'auto', check: {kind: 'rollback-configured'}},
	];
}

function canaryGates(stages: number[]): GateItemPlan[] {
	const gates = ['C', 'D', 'E', 'F'] as const;
	return stages.map((percent, index) => ({
		id: `canary_${percent}`,
		gate: gates[Math.min(index, gates.length - 1)]!,
		label: `Canary ${percent} % held green for the stage`,
		kind: 'auto',
		check: {kind: 'canary-stage', percent},
	}));
}

/** StatusBoardV2: the StatusBoardV2 run sheet and the Go-Live Commander script. */
export function statusboardPreset(): Plan {
	const stages = [10, 30, 50, 100];
	return {
		version: 1,
		service: 'StatusBoardV2',
		environment: 'production',
		environments: {staging: {baseUrl: '${STAGING_URL}'}, production: {baseUrl: '${PROD_URL}'}},
		probes: [
			probe({id: 'board', label: 'Board load', method: 'GET', path: '/api/admin/appointments/board', ratePerSec: 2, headers: auth, variantHeader: 'x-served-by'}),
			probe({
				id: 'drawer',
				label: 'Drawer open',
				method: 'GET',
				path: '/api/admin/appointments/{id}',
				// Replace with real appointment ids: the drawer reads them, never writes.
				ids: ['apt-1001', 'apt-1002', 'apt-1003'],
				ratePerSec: 2,
				headers: auth,
				variantHeader: 'x-served-by',
			}),
			probe({id: 'stats', label: 'Dashboard stats', method: 'GET', path: '/api/admin/dashboard/stats', ratePerSec: 1, headers: auth}),
			probe({id: 'health', label: 'Health', method: 'GET', path: '/api/health', ratePerSec: 1}),
		],
		slos: [
			rule({id: 'board_p95', label: 'Board load p95', source: {kind: 'probe', probe: 'board', stat: 'p95'}, window: '1m', op: '<', threshold: 800, unit: 'ms'}),
			rule({id: 'drawer_avg', label: 'Drawer open avg', source: {kind: 'probe', probe: 'drawer', stat: 'mean'}, window: '1m', op: '<', threshold: 200, unit: 'ms'}),
			rule({id: 'error_rate', label: 'API error rate (5m)', source: {kind: 'probe', probe: 'board', stat: 'errorRate'}, window: '5m', op: '<', threshold: 0.01, unit: 'ratio'}),
			// Production moves are real users' moves: OCC conflicts come from the app's metric, not from a probe that writes.
			rule({
				id: 'occ_conflicts',
				label: 'OCC conflicts per 5 min',
				source: {kind: 'cloudwatch', metric: 'occ_conflicts'},
				window: '5m',
				op: '<',
				threshold: 30,
				unit: 'count',
				minSamples: 1,
				maxAgeMs: 15 * minute,
			}),
		],
		canary: {
			flag: 'STATUS_BOARD_V2_ENABLED',
			stages,
			stageDurationMs: 10 * minute,
			checkIntervalMs: minute,
			stabilizationMs: 30 * minute,
			abort: {errorRate: 0.01, latencyMs: 2000, latency: {kind: 'probe', probe: 'board', stat: 'p95'}},
			holdOnInsufficientData: true,
		},
		triggers: {sloBreachForMs: 10 * minute, errorBurst: {threshold: 0.02, intervals: 3}, alarm: true},
		actions: {
			setFlag: {
				kind: 'http',
				method: 'PUT',
				url: '${PROD_URL}/api/admin/feature-flags',
				headers: auth,
				body: {flag: '{flag}', rolloutPercent: '{percent}', version: '{version}'},
				timeoutMs: 5000,
			},
			readBack: {
				url: '${PROD_URL}/api/admin/feature-flags',
				headers: auth,
				percentPath: 'flags.STATUS_BOARD_V2_ENABLED.rolloutPercent',
				versionPath: 'flags.STATUS_BOARD_V2_ENABLED.version',
				timeoutMs: 5000,
			},
			fullRollback: {kind: 'command', argv: ['./rollback.sh', 'full', '--reason', '{reason}'], timeoutMs: 5 * minute},
			// The run sheet: retry a failed rollback for 5 minutes, then watch health for 10 after it.
			rollbackRetryForMs: defaultRollbackRetryForMs,
			postRollbackWatchMs: defaultPostRollbackWatchMs,
			hooks: {
				deploy: {kind: 'command', argv: ['./production-launch.sh', 'deploy'], timeoutMs: 15 * minute},
				smoke: {kind: 'command', argv: ['./staging-smoke-tests.sh'], timeoutMs: 15 * minute},
			},
		},
		cloudwatch: {
			region: 'us-east-1',
			pollIntervalMs: minute,
			metrics: [
				{id: 'api_p95', label: 'API Gateway latency p95', namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: {ApiName: 'statusboard'}, stat: 'p95', periodSec: 60},
				{id: 'api_5xx', label: 'API Gateway 5XX errors', namespace: 'AWS/ApiGateway', metricName: '5XXError', dimensions: {ApiName: 'statusboard'}, stat: 'Sum', periodSec: 60},
				{id: 'occ_conflicts', label: 'OCC conflicts (5 min)', namespace: 'StatusBoardV2', metricName: 'OccConflicts', stat: 'Sum', periodSec: 300},
			],
			alarms: {prefix: 'statusboard-'},
			maxAgeMs: 15 * minute,
		},
		gates: [
			{id: 'a_health', gate: 'A', label: 'Staging reachable: health endpoint 200', kind: 'auto', check: {kind: 'health', url: '${STAGING_URL}/api/health'}},
			{id: 'a_performance', gate: 'A', label: 'Performance: board p95 < 800 ms, drawer avg < 200 ms', kind: 'auto', check: {kind: 'slo', rules: ['board_p95', 'drawer_avg']}},
			{id: 'a_api', gate: 'A', label: 'API endpoints answer without errors', kind: 'auto', check: {kind: 'slo', rules: ['error_rate']}},
			{id: 'a_uat', gate: 'A', label: 'UAT approved with required sign-offs', kind: 'manual', roles: ['product_owner', 'eng_lead', 'qa_lead'], minApprovals: 2},
			{id: 'a_no_p0', gate: 'A', label: 'No open P0/P1 issues in backlog', kind: 'manual', roles: ['eng_lead', 'qa_lead'], minApprovals: 1},
			...productionPrepGate('/api/health'),
			...canaryGates(stages),
			{id: 'g_stable', gate: 'G', label: 'All SLOs green for continuous 30 minutes at 100 %', kind: 'auto', check: {kind: 'stabilized'}},
		],
		plannedDurationMs: 105 * minute,
	};
}

/** Fleet Manager: the 10/50/100 traffic ramp of the Fleet Manager playbook (5 min each). */
export function fleetManagerPreset(): Plan {
	const stages = [10, 50, 100];
	return {
		version: 1,
		service: 'Fleet Manager Dashboard',
		environment: 'production',
		environments: {staging: {baseUrl: '${STAGING_URL}'}, production: {baseUrl: '${PROD_URL}'}},
		probes: [
			probe({id: 'health', label: 'API health', method: 'GET', path: '/api/health', ratePerSec: 2}),
			probe({id: 'dashboard', label: 'Fleet dashboard', method: 'GET', path: '/fleet/dashboard', ratePerSec: 2}),
		],
		slos: [
			rule({id: 'health_p95', label: 'API p95 latency', source: {kind: 'probe', probe: 'health', stat: 'p95'}, window: '1m', op: '<=', threshold: 2000, unit: 'ms'}),
			rule({id: 'dashboard_p95', label: 'Dashboard p95 latency', source: {kind: 'probe', probe: 'dashboard', stat: 'p95'}, window: '1m', op: '<=', threshold: 2000, unit: 'ms'}),
			rule({id: 'error_rate', label: 'Error rate (5m)', source: {kind: 'probe', probe: 'health', stat: 'errorRate'}, window: '5m', op: '<=', threshold: 0.01, unit: 'ratio'}),
		],
		canary: {
			flag: 'FLEET_MANAGER_TRAFFIC',
			stages,
			stageDurationMs: 5 * minute,
			checkIntervalMs: minute,
			stabilizationMs: 30 * minute,
			// "Immediate rollback: error rate > 5 %"; p95 > 2 s is the playbook's "consistently slow".
			abort: {errorRate: 0.05, latencyMs: 2000, latency: {kind: 'probe', probe: 'health', stat: 'p95'}},
			holdOnInsufficientData: true,
		},
		// "Consider rollback: error rate > 1 % for 15+ minutes, p95 > 2 s consistently."
		triggers: {sloBreachForMs: 15 * minute, errorBurst: {threshold: 0.05, intervals: 3}, alarm: true},
		actions: {
			setFlag: {kind: 'command', argv: ['./scripts/set-traffic.sh', '{percent}'], timeoutMs: 2 * minute},
			readBack: {url: '${PROD_URL}/api/health', percentPath: 'traffic.percent', timeoutMs: 5000},
			fullRollback: {kind: 'command', argv: ['./scripts/rollback.sh', '--reason', '{reason}'], timeoutMs: 20 * minute},
			// The run sheet: retry a failed rollback for 5 minutes, then watch health for 10 after it.
			rollbackRetryForMs: defaultRollbackRetryForMs,
			postRollbackWatchMs: defaultPostRollbackWatchMs,
		},
		gates: [
			{id: 'a_health', gate: 'A', label: 'Staging health check passed', kind: 'auto', check: {kind: 'health', url: '${STAGING_URL}/api/health'}},
			{id: 'a_tests', gate: 'A', label: 'All automated tests pass', kind: 'auto', check: {kind: 'slo', rules: ['error_rate', 'health_p95']}},
			{id: 'a_approval', gate: 'A', label: 'Product owner and tech lead approve', kind: 'manual', roles: ['product_owner', 'tech_lead', 'qa_lead'], minApprovals: 2},
			{id: 'b_health', gate: 'B', label: 'Production health endpoint returns 200', kind: 'auto', check: {kind: 'health', url: '${PROD_URL}/api/health'}},
			{id: 'b_dns', gate: 'B', label: 'Production DNS resolves', kind: 'auto', check: {kind: 'dns', host: '${PROD_URL}'}},
			{id: 'b_tls', gate: 'B', label: 'TLS certificate valid ≥ 30 days', kind: 'auto', check: {kind: 'tls', host: '${PROD_URL}', minDays: 30}},
			{id: 'b_rollback', gate: 'B', label: 'Rollback procedure configured', kind: 'auto', check: {kind: 'rollback-configured'}},
			...canaryGates(stages),
			{id: 'g_stable', gate: 'G', label: 'All metrics green for 30 minutes at 100 %', kind: 'auto', check: {kind: 'stabilized'}},
		],
		plannedDurationMs: 120 * minute,
	};
}

/** TEEI CSR Platform: the run-of-show's P95 ≤ 500 ms and its P0 (5xx > 50 %) → immediate rollback. */
export function teeiPreset(): Plan {
	const stages = [10, 50, 100];
	return {
		version: 1,
		service: 'TEEI CSR Platform',
		environment: 'production',
		environments: {staging: {baseUrl: '${STAGING_URL}'}, production: {baseUrl: '${PROD_URL}'}},
		probes: [
			probe({id: 'health', label: 'Health', method: 'GET', path: '/health', ratePerSec: 2}),
			probe({id: 'api', label: 'API', method: 'GET', path: '${API_PATH:-/api/health}', ratePerSec: 2, headers: auth}),
		],
		slos: [
			rule({id: 'api_p95', label: 'P95 latency', source: {kind: 'probe', probe: 'api', stat: 'p95'}, window: '1m', op: '<=', threshold: 500, unit: 'ms'}),
			rule({id: 'health_p95', label: 'Health P95 latency', source: {kind: 'probe', probe: 'health', stat: 'p95'}, window: '1m', op: '<=', threshold: 500, unit: 'ms'}),
			rule({id: 'error_rate', label: 'Error rate (5m)', source: {kind: 'probe', probe: 'api', stat: 'errorRate'}, window: '5m', op: '<=', threshold: 0.01, unit: 'ratio'}),
		],
		canary: {
			flag: 'TEEI_PLATFORM_ENABLED',
			stages,
			stageDurationMs: 15 * minute,
			checkIntervalMs: minute,
			stabilizationMs: 30 * minute,
			// P0: platform down (5xx > 50 %) → immediate rollback. P2 (p95 > 2 s) is the latency abort.
			abort: {errorRate: 0.5, latencyMs: 2000, latency: {kind: 'probe', probe: 'api', stat: 'p95'}},
			holdOnInsufficientData: true,
		},
		// "Error rate > 5 % sustained for 5 minutes" → rollback: 5 checks a minute apart.
		triggers: {sloBreachForMs: 5 * minute, errorBurst: {threshold: 0.05, intervals: 5}, alarm: true},
		actions: {
			setFlag: {kind: 'command', argv: ['./scripts/set-rollout.sh', '{flag}', '{percent}'], timeoutMs: 2 * minute},
			readBack: {url: '${PROD_URL}/health', percentPath: 'rollout.percent', timeoutMs: 5000},
			fullRollback: {kind: 'command', argv: ['./scripts/rollback.sh', '--reason', '{reason}'], timeoutMs: 20 * minute},
			// The run sheet: retry a failed rollback for 5 minutes, then watch health for 10 after it.
			rollbackRetryForMs: defaultRollbackRetryForMs,
			postRollbackWatchMs: defaultPostRollbackWatchMs,
		},
		gates: [
			{id: 'a_health', gate: 'A', label: 'Staging /health returns 200 OK', kind: 'auto', check: {kind: 'health', url: '${STAGING_URL}/health'}},
			{id: 'a_perf', gate: 'A', label: 'Load test: P95 ≤ 500 ms, zero errors', kind: 'auto', check: {kind: 'slo', rules: ['api_p95', 'error_rate']}},
			{id: 'a_signoff', gate: 'A', label: 'Go/No-Go: launch commander and QA lead', kind: 'manual', roles: ['launch_commander', 'qa_lead', 'backend_lead'], minApprovals: 2},
			{id: 'b_health', gate: 'B', label: 'Production /health returns 200 OK', kind: 'auto', check: {kind: 'health', url: '${PROD_URL}/health'}},
			{id: 'b_dns', gate: 'B', label: 'DNS resolves (TTL 300 s for quick rollback)', kind: 'auto', check: {kind: 'dns', host: '${PROD_URL}'}},
			{id: 'b_tls', gate: 'B', label: 'TLS certificate valid ≥ 30 days', kind: 'auto', check: {kind: 'tls', host: '${PROD_URL}', minDays: 30}},
			{id: 'b_rollback', gate: 'B', label: 'Rollback plan tested and configured', kind: 'auto', check: {kind: 'rollback-configured'}},
			...canaryGates(stages),
			{id: 'g_stable', gate: 'G', label: 'Stable for 30 minutes at 100 %', kind: 'auto', check: {kind: 'stabilized'}},
		],
		plannedDurationMs: 120 * minute,
	};
}

/** The preset's plan by name. */
export function presetPlan(name: PresetName): Plan {
	switch (name) {
		case 'statusboard': {
			return statusboardPreset();
		}
		case 'fleet-manager': {
			return fleetManagerPreset();
		}
		case 'teei': {
			return teeiPreset();
		}
		default: {
			const _never: never = name;
			return _never;
		}
	}
}
