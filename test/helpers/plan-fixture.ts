/**
 * Test plans and measurements for the decision core, as object literals with
 * the StatusBoardV2 run sheet's numbers (board p95 < 800 ms, drawer avg < 200 ms,
 * error rate < 1 % over 5 m, OCC conflicts < 30 per 5 m; 10/30/50/100 held
 * 10 min, checked every 60 s; Gate G 30 min).
 */
import type {CheckInput} from '../../source/core/canary-types.js';
import type {RuleResult} from '../../source/core/decision-types.js';
import type {AlarmView, CloudWatchSnapshot, ProbeSnapshot, ProbeWindow} from '../../source/core/measurements.js';
import type {Plan, SloRule} from '../../source/core/plan-types.js';

export const minute = 60_000;

export const t0 = Date.UTC(2026, 10, 23, 9, 0, 0);

const rule = (r: Partial<SloRule> & Pick<SloRule, 'id' | 'label' | 'source' | 'threshold' | 'unit'>): SloRule => ({
	window: '5m',
	op: '<',
	minSamples: 20,
	maxAgeMs: 3 * minute,
	onNoData: 'hold',
	...r,
});

export function seedPlan(overrides: Partial<Plan> = {}): Plan {
	return {
		version: 1,
		service: 'StatusBoardV2',
		environment: 'production',
		environments: {production: {baseUrl: 'http://127.0.0.1:1'}},
		probes: [
			{id: 'board', label: 'Board', method: 'GET', path: '/api/board', ratePerSec: 5, timeoutMs: 5000, maxResponseBytes: 1_048_576, kind: 'read'},
			{
				id: 'drawer',
				label: 'Drawer',
				method: 'GET',
				path: '/api/drawer/{id}',
				ratePerSec: 2,
				timeoutMs: 5000,
				maxResponseBytes: 1_048_576,
				ids: ['a1'],
				kind: 'read',
			},
			{id: 'move', label: 'Move', method: 'POST', path: '/api/move', ratePerSec: 1, timeoutMs: 5000, maxResponseBytes: 1_048_576, kind: 'occ-move'},
		],
		slos: [
			rule({id: 'board_p95', label: 'Board p95', source: {kind: 'probe', probe: 'board', stat: 'p95'}, threshold: 800, unit: 'ms'}),
			rule({id: 'drawer_avg', label: 'Drawer avg', source: {kind: 'probe', probe: 'drawer', stat: 'mean'}, threshold: 200, unit: 'ms'}),
			rule({id: 'error_rate', label: 'API error rate', source: {kind: 'probe', probe: 'board', stat: 'errorRate'}, threshold: 0.01, unit: 'ratio'}),
			rule({
				id: 'occ_conflicts',
				label: 'OCC conflicts',
				source: {kind: 'probe', probe: 'move', stat: 'conflicts'},
				threshold: 30,
				unit: 'count',
				minSamples: 1,
			}),
			rule({id: 'api_p95', label: 'API p95 (CloudWatch)', source: {kind: 'cloudwatch', metric: 'api_p95'}, threshold: 1000, unit: 'ms', minSamples: 1}),
		],
		canary: {
			flag: 'STATUS_BOARD_V2_ENABLED',
			stages: [10, 30, 50, 100],
			stageDurationMs: 10 * minute,
			checkIntervalMs: minute,
			stabilizationMs: 30 * minute,
			abort: {errorRate: 0.01, latencyMs: 2000, latency: {kind: 'probe', probe: 'board', stat: 'p95'}},
			holdOnInsufficientData: true,
		},
		triggers: {sloBreachForMs: 10 * minute, errorBurst: {threshold: 0.02, intervals: 3}, alarm: true},
		actions: {
			setFlag: {kind: 'http', method: 'PUT', url: 'http://127.0.0.1:1/flags/{flag}', timeoutMs: 5000},
			readBack: {url: 'http://127.0.0.1:1/flags', percentPath: 'flags.STATUS_BOARD_V2_ENABLED.rolloutPercent', timeoutMs: 5000},
			fullRollback: {kind: 'command', argv: ['./rollback.sh', 'full', '--reason', '{reason}'], timeoutMs: 180_000},
			rollbackRetryForMs: 300_000,
			postRollbackWatchMs: 600_000,
		},
		cloudwatch: {
			pollIntervalMs: minute,
			metrics: [{id: 'api_p95', label: 'API p95', namespace: 'SB', metricName: 'Latency', stat: 'p95', periodSec: 60}],
			alarms: {names: ['sb-5xx']},
			maxAgeMs: 3 * minute,
		},
		gates: [
			{id: 'A-smoke', gate: 'A', label: 'Staging health', kind: 'auto', check: {kind: 'health', url: 'http://127.0.0.1:1/health'}},
			{id: 'A-perf', gate: 'A', label: 'Board p95 < 800 ms, Drawer avg < 200 ms', kind: 'auto', check: {kind: 'slo', rules: ['board_p95', 'drawer_avg']}},
			{id: 'A-uat', gate: 'A', label: 'UAT approved', kind: 'manual', roles: ['qa_lead', 'product_owner', 'approver'], minApprovals: 2},
			{id: 'B-dns', gate: 'B', label: 'DNS resolves', kind: 'auto', check: {kind: 'dns', host: 'statusboard.example.com'}},
			{id: 'B-tls', gate: 'B', label: 'TLS ≥ 30 days', kind: 'auto', check: {kind: 'tls', host: 'statusboard.example.com', minDays: 30}},
			{id: 'B-alarms', gate: 'B', label: 'Alarms OK', kind: 'auto', check: {kind: 'alarms-ok'}},
			{id: 'B-rollback', gate: 'B', label: 'Rollback configured', kind: 'auto', check: {kind: 'rollback-configured'}},
			{id: 'C-stage', gate: 'C', label: 'Canary 10%', kind: 'auto', check: {kind: 'canary-stage', percent: 10}},
			{id: 'C-slo', gate: 'C', label: 'SLOs at 10%', kind: 'auto', check: {kind: 'slo', rules: ['board_p95', 'drawer_avg', 'error_rate', 'occ_conflicts']}},
			{id: 'D-stage', gate: 'D', label: 'Canary 30%', kind: 'auto', check: {kind: 'canary-stage', percent: 30}},
			{id: 'E-stage', gate: 'E', label: 'Canary 50%', kind: 'auto', check: {kind: 'canary-stage', percent: 50}},
			{id: 'F-stage', gate: 'F', label: 'Canary 100%', kind: 'auto', check: {kind: 'canary-stage', percent: 100}},
			{id: 'G-stable', gate: 'G', label: '30 min green', kind: 'auto', check: {kind: 'stabilized'}},
		],
		...overrides,
	};
}

export type WindowValues = Partial<Omit<ProbeWindow, 'latencyMs' | 'probeId' | 'window'>> & {latencyMs?: Partial<ProbeWindow['latencyMs']>};

/** A probe window; defaults are a healthy, fresh, busy window at `at`. */
export function probeWindow(probeId: string, window: '1m' | '5m', at: number, values: WindowValues = {}): ProbeWindow {
	const requests = values.requests ?? (window === '1m' ? 300 : 1500);
	const errors = values.errors ?? 0;
	return {
		probeId,
		window,
		requests,
		errors,
		conflicts: values.conflicts ?? 0,
		errorRate: values.errorRate ?? (requests > 0 ? errors / requests : Number.NaN),
		latencyMs: {p50: 80, p90: 150, p95: 200, p99: 300, p999: 400, max: 500, mean: 100, ...values.latencyMs},
		statusCounts: {'200': requests - errors},
		errorCounts: {},
		lastSampleAt: values.lastSampleAt === undefined ? at - 500 : values.lastSampleAt,
	};
}

/** A probe snapshot with the same values in both windows unless `fiveMinute` says otherwise. */
export function probeSnapshot(probeId: string, at: number, values: WindowValues = {}, fiveMinute: WindowValues = values, valid = true): ProbeSnapshot {
	return {
		probeId,
		at,
		windows: {'1m': probeWindow(probeId, '1m', at, values), '5m': probeWindow(probeId, '5m', at, fiveMinute)},
		scheduler: {lagP99Ms: valid ? 1 : 900, queueDepth: 0, dropped: valid ? 0 : 40, valid},
		totalRequests: 10_000,
		variants: {},
		memoryBytes: 100_000,
		lastError: null,
	};
}

export function alarm(name: string, state: AlarmView['state'], at: number): AlarmView {
	return {name, state, reason: `Threshold crossed: ${state}`, updatedAt: at - 30_000};
}

export function cloudwatchSnapshot(at: number, overrides: Partial<CloudWatchSnapshot> = {}): CloudWatchSnapshot {
	return {
		at,
		state: {kind: 'ok'},
		metrics: [{id: 'api_p95', label: 'API p95', value: 300, timestamp: at - 60_000, statusCode: 'Complete'}],
		alarms: [alarm('sb-5xx', 'OK', at)],
		missingAlarms: [],
		callsLastHour: 60,
		lastSuccessAt: at,
		...overrides,
	};
}

/** Healthy measurements for every probe of the StatusBoardV2 plan. */
export function healthyProbes(at: number): ProbeSnapshot[] {
	return [probeSnapshot('board', at), probeSnapshot('drawer', at), probeSnapshot('move', at, {conflicts: 2, requests: 60}, {conflicts: 5, requests: 300})];
}

export function passResult(ruleId: string, at: number, value = 1): RuleResult {
	void at;
	return {ruleId, label: ruleId, status: 'PASS', value, threshold: 800, op: '<', unit: 'ms', window: '5m', samples: 100, ageMs: 500, source: `probe:${ruleId}`};
}

/** A green check input for the StatusBoardV2 plan at `at`. */
export function greenInput(plan: Plan, at: number, overrides: Partial<CheckInput> = {}): CheckInput {
	return {
		at,
		rules: plan.slos.map((s) => ({...passResult(s.id, at, s.threshold / 2), label: s.label, threshold: s.threshold, unit: s.unit, window: s.window})),
		errorRate: 0.002,
		errorRateSamples: 600,
		latencyMs: 412,
		latencySamples: 300,
		alarms: [alarm('sb-5xx', 'OK', at)],
		alarmsKnown: true,
		...overrides,
	};
}
