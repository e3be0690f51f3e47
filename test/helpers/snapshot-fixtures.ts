/**
 * Realistic snapshots for the console's frame tests, with the StatusBoardV2 run sheet's numbers:
 * board p95 < 800 ms, drawer avg < 200 ms, error rate < 1 % (5 m), OCC
 * conflicts < 30 per 5 m, stages 10→30→50→100, 10 min per stage.
 */
import type {Snapshot, SloView, LogEntry} from '../../source/core/snapshot.js';
import type {GateView, Decision} from '../../source/core/decision-types.js';
import type {CloudWatchSnapshot} from '../../source/core/measurements.js';
import type {CanaryState} from '../../source/core/canary-types.js';

/** 2026-11-23T14:00:00Z: the launch starts. */
export const t0 = Date.UTC(2026, 10, 23, 14, 0, 0);
const min = 60_000;

function wave(n: number, base: number, amp: number, seed = 1): number[] {
	return Array.from({length: n}, (_, i) => base + amp * Math.sin((i + seed) / 2.3) + (amp / 3) * Math.cos(i * seed));
}

export function slo(overrides: Partial<SloView> & Pick<SloView, 'ruleId'>): SloView {
	return {
		label: overrides.ruleId,
		status: 'PASS',
		value: 0,
		threshold: 0,
		op: '<',
		unit: 'ms',
		window: '5m',
		samples: 3120,
		ageMs: 1200,
		source: 'probe:board',
		history: [],
		...overrides,
	};
}

export function greenSlos(): SloView[] {
	return [
		slo({ruleId: 'board_p95', label: 'Board p95', value: 412.6, threshold: 800, unit: 'ms', samples: 3120, source: 'probe:board', history: wave(40, 420, 60)}),
		slo({
			ruleId: 'drawer_avg',
			label: 'Drawer avg',
			value: 88.4,
			threshold: 200,
			unit: 'ms',
			samples: 1544,
			source: 'probe:drawer',
			history: wave(40, 90, 12, 2),
		}),
		slo({
			ruleId: 'error_rate',
			label: 'Error rate',
			value: 0.0021,
			threshold: 0.01,
			unit: 'ratio',
			samples: 6210,
			source: 'probe:*',
			history: wave(40, 0.002, 0.001, 3),
		}),
		slo({
			ruleId: 'occ_conflicts',
			label: 'OCC conflicts 5m',
			value: 7,
			threshold: 30,
			unit: 'count',
			samples: 610,
			source: 'probe:move',
			history: wave(40, 8, 3, 4),
		}),
	];
}

export function gates(overrides: Partial<Record<GateView['gate'], Partial<GateView>>> = {}): GateView[] {
	const base: GateView[] = [
		{
			gate: 'A',
			title: 'Staging validation',
			status: 'pass',
			items: [
				{id: 'a-smoke', label: 'Smoke checks', kind: 'auto', status: 'pass', detail: 'reachability, API, headers, performance'},
				{
					id: 'a-uat',
					label: 'UAT sign-offs',
					kind: 'manual',
					status: 'pass',
					detail: '2 of 2 approvals (product, qa_lead)',
					roles: ['product', 'qa_lead', 'eng'],
				},
			],
		},
		{
			gate: 'B',
			title: 'Production prep',
			status: 'pass',
			items: [
				{id: 'b-health', label: 'Health endpoints 200', kind: 'auto', status: 'pass', detail: '3/3 healthy'},
				{id: 'b-tls', label: 'TLS cert ≥ 30 days', kind: 'auto', status: 'pass', detail: '74 days left'},
				{id: 'b-alarms', label: 'Alarms OK/INSUFFICIENT_DATA', kind: 'auto', status: 'pass', detail: '3 alarms OK'},
				{id: 'b-rollback', label: 'Rollback configured', kind: 'auto', status: 'pass', detail: 'flag API verified'},
			],
		},
		{gate: 'C', title: 'Canary 10 %', status: 'pass', items: [{id: 'c-slo', label: 'SLOs at 10 %', kind: 'auto', status: 'pass', detail: 'held 10:00 green'}]},
		{
			gate: 'D',
			title: 'Canary 30 %',
			status: 'active',
			items: [{id: 'd-slo', label: 'SLOs at 30 %', kind: 'auto', status: 'pass', detail: 'green 04:12 of 10:00'}],
		},
		{gate: 'E', title: 'Canary 50 %', status: 'pending', items: [{id: 'e-slo', label: 'SLOs at 50 %', kind: 'auto', status: 'pending', detail: 'not started'}]},
		{
			gate: 'F',
			title: 'Canary 100 %',
			status: 'pending',
			items: [{id: 'f-slo', label: 'SLOs at 100 %', kind: 'auto', status: 'pending', detail: 'not started'}],
		},
		{
			gate: 'G',
			title: 'Stabilization',
			status: 'pending',
			items: [
				{id: 'g-green', label: 'All SLOs green 30 min', kind: 'auto', status: 'pending', detail: 'not started'},
				{
					id: 'g-incidents',
					label: 'Zero P0/P1 incidents',
					kind: 'manual',
					status: 'waiting_sign_off',
					detail: '0 of 1 approvals (incident_commander)',
					roles: ['incident_commander'],
				},
			],
		},
	];
	return base.map((g) => ({...g, ...overrides[g.gate]}));
}

export function cloudwatch(at: number, overrides: Partial<CloudWatchSnapshot> = {}): CloudWatchSnapshot {
	return {
		at,
		state: {kind: 'ok'},
		metrics: [
			{id: 'api_p95', label: 'API p95 (ALB)', value: 402.3, timestamp: at - 65_000, statusCode: 'Complete'},
			{id: 'api_5xx', label: 'API 5xx count', value: 3, timestamp: at - 65_000, statusCode: 'Complete'},
			{id: 'cf_4xx', label: 'CloudFront 4xx rate', value: Number.NaN, timestamp: null, statusCode: 'PartialData'},
		],
		alarms: [
			{name: 'statusboard-api-5xx', state: 'OK', reason: 'Threshold Crossed: 1 datapoint [2.0] was not greater than 10.0', updatedAt: at - 40 * min},
			{name: 'statusboard-p95-latency', state: 'OK', reason: 'Threshold not crossed', updatedAt: at - 38 * min},
			{name: 'statusboard-occ-conflicts', state: 'INSUFFICIENT_DATA', reason: 'Insufficient Data: 0 datapoints were received', updatedAt: at - 12 * min},
		],
		missingAlarms: [],
		callsLastHour: 120,
		lastSuccessAt: at - 4_000,
		...overrides,
	};
}

function canary(overrides: Partial<CanaryState>): CanaryState {
	return {phase: {kind: 'pre'}, paused: false, armed: true, errorBurstCount: 0, breachSince: {}, lastDecision: null, ...overrides};
}

function log(at: number): LogEntry[] {
	return [
		{at: at - 20 * min, level: 'info', text: 'Gate A passed: smoke checks green, UAT 2 of 2 approvals'},
		{at: at - 18 * min, level: 'info', text: 'Gate B passed: health, DNS, TLS 74 days, alarms OK'},
		{
			at: at - 15 * min,
			level: 'success',
			text: 'STATUS_BOARD_V2_ENABLED set to 10 % (read back 10 %)',
			message: '🚀 StatusBoardV2 canary started at 10 % — all SLOs green',
		},
		{
			at: at - 5 * min,
			level: 'success',
			text: 'STATUS_BOARD_V2_ENABLED set to 30 % (read back 30 %)',
			message: '✅ StatusBoardV2 promoted to 30 % — board p95 412 ms, errors 0.21 %',
		},
		{at: at - 1 * min, level: 'info', text: 'check: all SLOs PASS at 30 % (green 04:12 of 10:00)'},
	];
}

/** Stage 30 %, everything green, 4:12 into the stage. */
export function stage30Green(): Snapshot {
	const at = t0 + 25 * min + 12_000;
	const enteredAt = at - (4 * min + 12_000);
	const decision: Decision = {kind: 'hold', at: at - 2_000, reason: 'hold: 30 % green for 04:12 of 10:00 (5m, 3120 samples)', evidence: []};
	return {
		at,
		service: 'StatusBoardV2',
		environment: 'production',
		startedAt: t0,
		flagPercent: 30,
		flag: 'STATUS_BOARD_V2_ENABLED',
		stages: [10, 30, 50, 100],
		stageDurationMs: 10 * min,
		stabilizationMs: 30 * min,
		canary: canary({phase: {kind: 'stage', index: 1, percent: 30, enteredAt, greenSince: enteredAt}, lastDecision: decision}),
		slos: greenSlos(),
		gates: gates(),
		probes: [],
		cloudwatch: cloudwatch(at),
		sources: {probes: {kind: 'ok'}, cloudwatch: {kind: 'ok'}, flag: {kind: 'ok'}},
		decision,
		action: {kind: 'idle'},
		mitigation: null,
		log: log(at),
		resumeNotice: null,
	};
}

/** Before the canary: Gate A waits for a UAT sign-off, probes just starting. */
export function preLaunch(): Snapshot {
	const s = stage30Green();
	const at = t0 + 90_000;
	const slos = greenSlos().map((v) => ({
		...v,
		status: 'NO_DATA' as const,
		value: Number.NaN,
		samples: 4,
		ageMs: null,
		history: [Number.NaN, Number.NaN],
		note: 'too few samples (4 < 20)',
	}));
	return {
		...s,
		at,
		flagPercent: 0,
		canary: canary({phase: {kind: 'pre'}}),
		slos,
		gates: gates({
			A: {
				status: 'active',
				items: [
					{id: 'a-smoke', label: 'Smoke checks', kind: 'auto', status: 'pass', detail: 'reachability, API, headers, performance'},
					{
						id: 'a-uat',
						label: 'UAT sign-offs',
						kind: 'manual',
						status: 'waiting_sign_off',
						detail: '1 of 2 approvals (product)',
						roles: ['product', 'qa_lead', 'eng'],
					},
				],
			},
			B: {status: 'pending'},
			C: {status: 'pending'},
			D: {status: 'pending'},
		}),
		cloudwatch: cloudwatch(at, {callsLastHour: 6}),
		sources: {probes: {kind: 'starting'}, cloudwatch: {kind: 'ok'}, flag: {kind: 'ok'}},
		decision: {kind: 'hold', at, reason: 'Gate A: waiting for UAT sign-off (1 of 2 approvals)', evidence: []},
		log: [{at: t0, level: 'info', text: 'golive started: plan StatusBoardV2 / production'}],
	};
}

/** At 50 %: board p95 breached, drawer and OCC have no data (probe errors). */
export function breachWithNoData(): Snapshot {
	const s = stage30Green();
	const slos = greenSlos();
	const hist = wave(40, 650, 250);
	hist.splice(30, 3, Number.NaN, Number.NaN, Number.NaN);
	slos[0] = {...slos[0]!, status: 'BREACH', value: 912.4, history: hist};
	slos[1] = {
		...slos[1]!,
		status: 'NO_DATA',
		value: Number.NaN,
		samples: 3,
		ageMs: 190_000,
		note: 'stale: newest sample 3m10s old',
		history: [...wave(30, 90, 10), ...Array(10).fill(Number.NaN)],
	};
	slos[3] = {...slos[3]!, status: 'NO_DATA', value: Number.NaN, samples: 0, ageMs: null, note: 'empty window', history: Array(40).fill(Number.NaN)};
	const decision: Decision = {
		kind: 'hold',
		at: s.at,
		reason: 'board_p95 BREACH 912 ms ≥ 800 ms for 03:00 (5m, 3120 samples); drawer_avg NO DATA (stale)',
		evidence: [{ruleId: 'board_p95', window: '5m', value: 912.4, threshold: 800, samples: 3120, ageMs: 1200}],
	};
	return {
		...s,
		flagPercent: 50,
		canary: canary({
			phase: {kind: 'stage', index: 2, percent: 50, enteredAt: s.at - 3 * min, greenSince: null},
			breachSince: {board_p95: s.at - 3 * min},
			lastCheckAt: s.at - 2000,
		}),
		slos,
		gates: gates({
			D: {status: 'pass'},
			E: {
				status: 'fail',
				items: [
					{id: 'e-slo', label: 'SLOs at 50 %', kind: 'auto', status: 'fail', detail: 'board_p95 912 ms ≥ 800 ms'},
					{id: 'e-drawer', label: 'Drawer avg at 50 %', kind: 'auto', status: 'no_data', detail: 'stale: 3m10s'},
				],
			},
		}),
		decision,
	};
}

/** Rolled back by the error-burst trigger, mitigation confirmed, not re-armed. */
export function rolledBack(): Snapshot {
	const s = breachWithNoData();
	const decision: Decision = {
		kind: 'rollback',
		at: s.at - 30_000,
		reason: 'error rate 2.8 % > 2 % for 3 consecutive intervals (5m, 6210 samples)',
		trigger: 'error_burst',
		fromPercent: 50,
		toPercent: 0,
		evidence: [{ruleId: 'error_rate', window: '5m', value: 0.028, threshold: 0.02, samples: 6210, ageMs: 900}],
	};
	return {
		...s,
		flagPercent: 0,
		canary: canary({phase: {kind: 'rolled_back', at: s.at - 30_000, decision, rollback: 'emergency'}, armed: false, lastDecision: decision}),
		decision,
		action: {kind: 'done', action: 'emergency_rollback', ok: true, at: s.at - 27_000, detail: 'flag read back 0 % in 2.9 s'},
		mitigation: {
			kind: 'emergency',
			triggeredAt: s.at - 30_000,
			confirmedAt: s.at - 21_000,
			rollback: {phase: 'verified', appliedAt: s.at - 27_000, healthyAt: s.at - 21_000, detail: '20 successful responses in a row'},
		},
		log: [
			...s.log,
			{at: s.at - 30_000, level: 'error', text: 'ROLLBACK: error rate 2.8 % > 2 % for 3 consecutive intervals'},
			{
				at: s.at - 27_000,
				level: 'warn',
				text: 'STATUS_BOARD_V2_ENABLED set to 0 % (read back 0 %)',
				message: '⚠️ StatusBoardV2 rolled back to 0 % at T+25:12 — error rate 2.8 % > 2 %; investigating',
			},
		],
	};
}

/** Gate G passed: 100 %, 30 min green. */
export function succeeded(): Snapshot {
	const s = stage30Green();
	const at = t0 + 75 * min;
	const decision: Decision = {kind: 'succeed', at, reason: 'Gate G: all SLOs green for 30:00 at 100 %', evidence: []};
	return {
		...s,
		at,
		flagPercent: 100,
		canary: canary({phase: {kind: 'succeeded', at}, lastDecision: decision}),
		gates: gates({
			D: {status: 'pass'},
			E: {status: 'pass'},
			F: {status: 'pass'},
			G: {status: 'pass', items: [{id: 'g-green', label: 'All SLOs green 30 min', kind: 'auto', status: 'pass', detail: '30:00 green'}]},
		}),
		decision,
		log: [...s.log, {at, level: 'success', text: 'Launch succeeded: Gate G passed', message: '🎉 StatusBoardV2 is live at 100 % — all SLOs green for 30 min'}],
	};
}

/** CloudWatch throttled: values stale, alarms unknown. */
export function cloudwatchThrottled(): Snapshot {
	const s = stage30Green();
	return {
		...s,
		cloudwatch: cloudwatch(s.at, {state: {kind: 'degraded', why: 'throttled', retryInMs: 32_000}, callsLastHour: 348, lastSuccessAt: s.at - 5 * min}),
		sources: {...s.sources, cloudwatch: {kind: 'degraded', why: 'throttled', retryInMs: 32_000}},
		decision: {kind: 'hold', at: s.at, reason: 'hold: CloudWatch degraded (throttled), alarms unknown: not promoting', evidence: []},
	};
}

/** No AWS credentials: CloudWatch error, nothing known. */
export function cloudwatchNoCredentials(): Snapshot {
	const s = stage30Green();
	const state = {kind: 'error', code: 'no_credentials', message: 'Could not load credentials from any providers'} as const;
	return {
		...s,
		cloudwatch: {at: s.at, state, metrics: [], alarms: [], missingAlarms: ['statusboard-api-5xx'], callsLastHour: 0, lastSuccessAt: null},
		sources: {...s.sources, cloudwatch: state},
	};
}

/** A promote being written right now. */
export function promoteInFlight(): Snapshot {
	const s = stage30Green();
	return {...s, action: {kind: 'in_flight', action: 'promote', targetPercent: 50, since: s.at - 800}};
}
