/**
 * StatusBoardV2 as its run sheet runs it, and the Go-Live Commander script
 * (same service, same flag API, stricter error rate and approver sign-offs).
 * Where each number comes from: the README's preset table.
 */
import type {PlanDocument} from '../../core/plan-types.js';
import {type GateItemDocument, approval, auth, canaryGates, command, minute, productionPrepGate, stabilizedGate} from './parts.js';

const stages = [10, 30, 50, 100];

function statusboardProbes(): PlanDocument['probes'] {
	return [
		{id: 'board', label: 'Board load', method: 'GET', path: '/api/admin/appointments/board', ratePerSec: 2, headers: auth, variantHeader: 'x-served-by'},
		{
			id: 'drawer',
			label: 'Drawer open',
			method: 'GET',
			path: '/api/admin/appointments/{id}',
			// Replace with real appointment ids: the drawer reads them, never writes.
			ids: ['apt-1001', 'apt-1002', 'apt-1003'],
			ratePerSec: 2,
			headers: auth,
			variantHeader: 'x-served-by',
		},
		{id: 'stats', label: 'Dashboard stats', method: 'GET', path: '/api/admin/dashboard/stats', ratePerSec: 1, headers: auth},
		{id: 'health', label: 'Health', method: 'GET', path: '/api/health', ratePerSec: 1},
	];
}

/** The run sheet's SLO guards; `errorRate` is the run sheet's 1 % or the Commander's 0.5 %. */
function statusboardSlos(errorRate: number): PlanDocument['slos'] {
	return [
		{id: 'board_p95', label: 'Board load p95', source: {kind: 'probe', probe: 'board', stat: 'p95'}, window: '1m', op: '<', threshold: 800, unit: 'ms'},
		{
			id: 'drawer_avg',
			label: 'Drawer open avg',
			source: {kind: 'probe', probe: 'drawer', stat: 'mean'},
			window: '1m',
			op: '<',
			threshold: 200,
			unit: 'ms',
		},
		{
			id: 'error_rate',
			label: 'API error rate (5m)',
			source: {kind: 'probe', probe: 'board', stat: 'errorRate'},
			window: '5m',
			op: '<',
			threshold: errorRate,
			unit: 'ratio',
		},
		// Production moves are real users' moves: OCC conflicts come from the app's metric, not from a probe that writes.
		{
			id: 'occ_conflicts',
			label: 'OCC conflicts per 5 min',
			source: {kind: 'cloudwatch', metric: 'occ_conflicts'},
			window: '5m',
			op: '<',
			threshold: 30,
			unit: 'count',
			minSamples: 1,
		},
	];
}

function statusboardActions(): PlanDocument['actions'] {
	return {
		setFlag: {
			kind: 'http',
			method: 'PUT',
			url: '${PROD_URL}/api/admin/feature-flags',
			headers: auth,
			body: {flag: '{flag}', rolloutPercent: '{percent}', version: '{version}'},
		},
		readBack: {
			url: '${PROD_URL}/api/admin/feature-flags',
			headers: auth,
			percentPath: 'flags.STATUS_BOARD_V2_ENABLED.rolloutPercent',
			versionPath: 'flags.STATUS_BOARD_V2_ENABLED.version',
		},
		fullRollback: {kind: 'command', argv: ['./rollback.sh', 'full', '--reason', '{reason}']},
	};
}

function statusboardCloudWatch(): NonNullable<PlanDocument['cloudwatch']> {
	return {
		region: 'us-east-1',
		metrics: [
			{
				id: 'api_p95',
				label: 'API Gateway latency p95',
				namespace: 'AWS/ApiGateway',
				metricName: 'Latency',
				dimensions: {ApiName: 'statusboard'},
				stat: 'p95',
				periodSec: 60,
			},
			{
				id: 'api_5xx',
				label: 'API Gateway 5XX errors',
				namespace: 'AWS/ApiGateway',
				metricName: '5XXError',
				dimensions: {ApiName: 'statusboard'},
				stat: 'Sum',
				periodSec: 60,
			},
			{id: 'occ_conflicts', label: 'OCC conflicts (5 min)', namespace: 'StatusBoardV2', metricName: 'OccConflicts', stat: 'Sum', periodSec: 300},
		],
		alarms: {prefix: 'statusboard-'},
	};
}

/** 10/30/50/100 held 10 min, checked every minute, Gate G 30 min; aborts at error > 1 % or board p95 over `latencyMs` at a check. */
function statusboardCanary(latencyMs: number): PlanDocument['canary'] {
	return {
		flag: 'STATUS_BOARD_V2_ENABLED',
		stages,
		stageDurationMs: 10 * minute,
		checkIntervalMs: minute,
		stabilizationMs: 30 * minute,
		abort: {errorRate: 0.01, latencyMs, latency: {kind: 'probe', probe: 'board', stat: 'p95'}},
	};
}

function statusboardBase(service: Pick<PlanDocument, 'slos' | 'gates' | 'canary'>): PlanDocument {
	return {
		version: 1,
		service: 'StatusBoardV2',
		environment: 'production',
		environments: {staging: {baseUrl: '${STAGING_URL}'}, production: {baseUrl: '${PROD_URL}'}},
		probes: statusboardProbes(),
		slos: service.slos,
		canary: service.canary,
		// SLO breach for 10 minutes and alarms roll back: the schema's defaults, the run sheet's numbers.
		triggers: {errorBurst: {threshold: 0.02, intervals: 3}},
		actions: statusboardActions(),
		cloudwatch: statusboardCloudWatch(),
		gates: service.gates,
		plannedDurationMs: 105 * minute,
	};
}

const stagingChecks: GateItemDocument[] = [
	{id: 'a_health', gate: 'A', label: 'Staging reachable: health endpoint 200', kind: 'auto', check: {kind: 'health', url: '${STAGING_URL}/api/health'}},
	{
		id: 'a_performance',
		gate: 'A',
		label: 'Performance: board p95 < 800 ms, drawer avg < 200 ms',
		kind: 'auto',
		check: {kind: 'slo', rules: ['board_p95', 'drawer_avg']},
	},
	{id: 'a_api', gate: 'A', label: 'API endpoints answer without errors', kind: 'auto', check: {kind: 'slo', rules: ['error_rate']}},
];

/** StatusBoardV2: the StatusBoardV2 run sheet. */
export function statusboardPreset(): PlanDocument {
	return statusboardBase({
		slos: statusboardSlos(0.01),
		canary: statusboardCanary(2000),
		gates: [
			command('a_deploy_staging', 'A', 'Deploy latest to staging (./deploy-staging.sh)', ['./deploy-staging.sh'], 15 * minute),
			command('a_smoke', 'A', 'Full validation suite (./staging-smoke-tests.sh)', ['./staging-smoke-tests.sh'], 15 * minute),
			...stagingChecks,
			approval('a_uat', 'A', 'UAT approved with required sign-offs', ['product_owner', 'eng_lead', 'qa_lead'], 2),
			approval('a_no_p0', 'A', 'No open P0/P1 issues in backlog', ['eng_lead', 'qa_lead']),
			command('b_validate', 'B', 'Production validation returns success (./production-launch.sh validate)', ['./production-launch.sh', 'validate']),
			...productionPrepGate('/api/health', true),
			command(
				'b_deploy',
				'B',
				'Production deployment: build, upload to S3, backup (./production-launch.sh deploy)',
				['./production-launch.sh', 'deploy'],
				15 * minute,
			),
			...canaryGates(stages),
			stabilizedGate('All SLOs green for continuous 30 minutes at 100 %'),
			approval('g_no_p0', 'G', 'Zero P0/P1 incidents reported', ['eng_lead', 'qa_lead']),
		],
	});
}

/** StatusBoardV2 led by the Go-Live Commander script: error < 0.5 %, the Approver on A, B, 100 % and the launch. */
export function commanderPreset(): PlanDocument {
	return statusboardBase({
		slos: statusboardSlos(0.005),
		// Rollback Decision Matrix: "SLO breach (>800ms)" and "Error rate >1%" → emergency rollback.
		canary: {...statusboardCanary(800), onGateGFail: 'full'},
		gates: [
			command('a_deploy_staging', 'A', 'Deploy latest build to staging (./deploy-staging.sh)', ['./deploy-staging.sh'], 15 * minute),
			command('a_smoke', 'A', 'Comprehensive validation suite (./staging-smoke-tests.sh)', ['./staging-smoke-tests.sh'], 15 * minute),
			command('a_uat_init', 'A', 'UAT workflow initialised (./uat-validation.sh init)', ['./uat-validation.sh', 'init'], 5 * minute),
			command('a_uat_status', 'A', 'UAT status shows "approved" (./uat-validation.sh status)', ['./uat-validation.sh', 'status'], 5 * minute),
			...stagingChecks,
			approval('a_approver', 'A', 'Approver confirms Gate A passage', ['approver']),
			command('b_validate', 'B', 'Production environment validated (./production-launch.sh validate)', ['./production-launch.sh', 'validate']),
			command('b_playbook', 'B', 'Complete playbook validation (./execute-launch-playbook.sh validate)', ['./execute-launch-playbook.sh', 'validate']),
			...productionPrepGate('/api/health', true),
			approval('b_approver', 'B', 'Approver confirms Gate B readiness', ['approver']),
			command('b_deploy', 'B', 'Production artifacts deployed with backup (./production-launch.sh deploy)', ['./production-launch.sh', 'deploy'], 15 * minute),
			...canaryGates(stages),
			approval('e_full_rollout', 'E', 'Approver authorizes the full rollout (50 % → 100 %)', ['approver']),
			stabilizedGate('30 min stability confirmed at 100 %, all SLOs green'),
			approval('g_final', 'G', 'Final launch sign-off', ['approver']),
		],
	});
}
