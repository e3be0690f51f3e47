/**
 * TEEI CSR Platform as its run-of-show runs it: targets P95 ≤ 500 ms and error
 * ≤ 0.1 %, the incident levels P0–P3, the rollback triggers (error > 5 % for
 * 5 min, P95 > 5 s sustained), its deployment script, a staging rollback drill
 * and the T+1/4/8/24 h checkpoints.
 */
import type {PlanDocument} from '../../core/plan-types.js';
import {approval, auth, call, canaryGates, command, hour, minute, productionPrepGate, stabilizedGate} from './parts.js';

const stages = [10, 50, 100];
const apiP95 = {kind: 'probe', probe: 'api', stat: 'p95'} as const;
const errorRate = {kind: 'probe', probe: 'api', stat: 'errorRate'} as const;

export function teeiPreset(): PlanDocument {
	return {
		version: 1,
		service: 'TEEI CSR Platform',
		environment: 'production',
		environments: {staging: {baseUrl: '${STAGING_URL}'}, production: {baseUrl: '${PROD_URL}'}},
		probes: [
			{id: 'health', label: 'Health', method: 'GET', path: '/health', ratePerSec: 2, timeoutMs: 10_000},
			{id: 'api', label: 'API', method: 'GET', path: '${API_PATH:-/api/health}', ratePerSec: 2, headers: auth, timeoutMs: 10_000},
		],
		slos: [
			{id: 'api_p95', label: 'P95 latency target', source: apiP95, window: '1m', op: '<=', threshold: 500, unit: 'ms'},
			{id: 'error_rate', label: 'Error rate target (5m)', source: errorRate, window: '5m', op: '<=', threshold: 0.001, unit: 'ratio'},
			{id: 'platform_down', label: 'P0: platform down (5xx > 50 %)', source: errorRate, window: '1m', op: '<=', threshold: 0.5, unit: 'ratio'},
			{
				id: 'error_sustained',
				label: 'Error rate ≤ 5 % (rollback after 5 min)',
				source: errorRate,
				window: '1m',
				op: '<=',
				threshold: 0.05,
				unit: 'ratio',
			},
			{id: 'latency_sustained', label: 'P95 ≤ 5 s (rollback when sustained)', source: apiP95, window: '1m', op: '<=', threshold: 5000, unit: 'ms'},
			{id: 'performance_degraded', label: 'P2: performance degraded (P95 > 2 s)', source: apiP95, window: '1m', op: '<=', threshold: 2000, unit: 'ms'},
		],
		severities: [
			{severity: 'P0', rules: ['platform_down']},
			{severity: 'P1', rules: ['error_sustained', 'latency_sustained'], sustainedMs: 5 * minute},
			{severity: 'P2', rules: ['performance_degraded', 'api_p95', 'error_rate']},
		],
		canary: {
			flag: 'TEEI_PLATFORM_ENABLED',
			stages,
			stageDurationMs: 15 * minute,
			checkIntervalMs: minute,
			stabilizationMs: 30 * minute,
			// P0 (5xx > 50 %) is immediate; latency rolls back only when sustained, so the one-check
			// abort sits at the probe timeout, where a reading means requests fail.
			abort: {errorRate: 0.5, latencyMs: 10_000, latency: apiP95},
		},
		// The synthetic monitors are the probe agents (golive agent --location …): a check a minute from
		// five locations; the run-of-show alerts on two consecutive failures and does not roll back on them.
		triggers: {sloBreachForMs: 5 * minute, errorBurst: {threshold: 0.05, intervals: 5}, syntheticFailures: {}},
		fleet: {namespace: 'golive/teei', publishIntervalMs: minute, minAgents: 5},
		actions: {
			setFlag: {kind: 'command', argv: ['./scripts/set-rollout.sh', '{flag}', '{percent}'], timeoutMs: 2 * minute},
			readBack: {url: '${PROD_URL}/health', percentPath: 'rollout.percent'},
			fullRollback: {kind: 'command', argv: ['./rollback-production.sh', '${PREVIOUS_VERSION}'], timeoutMs: 20 * minute},
		},
		gates: [
			{id: 'a_health', gate: 'A', label: 'Staging /health returns 200 OK', kind: 'auto', check: {kind: 'health', url: '${STAGING_URL}/health'}},
			{id: 'a_perf', gate: 'A', label: 'Load test: P95 ≤ 500 ms, zero errors', kind: 'auto', check: {kind: 'slo', rules: ['api_p95', 'error_rate']}},
			command('a_drill_deploy', 'A', 'Staging rollback drill: deploy the new version (staging context)', ['./deploy-production.sh'], 30 * minute),
			command('a_drill_rollback', 'A', 'Staging rollback drill: roll back, ≤ 20 min', ['./rollback-production.sh', '${PREVIOUS_VERSION}'], 20 * minute),
			approval('a_go_no_go', 'A', 'Go/No-Go decision signed', ['vp_engineering']),
			...productionPrepGate('/health', false),
			command('b_deploy', 'B', 'Production deployment (deploy-production.sh)', ['./deploy-production.sh'], 30 * minute),
			call('b_cache_warm', 'B', 'Caches warmed (POST /admin/cache/warm)', 'POST', '${PROD_URL}/admin/cache/warm'),
			...canaryGates(stages),
			stabilizedGate('Stable for 30 minutes at 100 %'),
		],
		postLaunch: {watchMs: 24 * hour, checkpoints: {offsetsMs: [hour, 4 * hour, 8 * hour, 24 * hour]}},
		plannedDurationMs: 150 * minute,
	};
}
