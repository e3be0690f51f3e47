/**
 * The time-compressed plan `golive demo` runs against the embedded simulated
 * StatusBoardV2 service (`source/demo/service.ts`) and the CloudWatch-compatible
 * endpoint. Same rules as the StatusBoardV2 run sheet, with the clock squeezed so a
 * healthy launch passes 10→30→50→100→G in about a minute and a regression is
 * rolled back within seconds of reaching 30 %:
 *
 * | StatusBoardV2 run sheet       | demo                               |
 * |-------------------------------|------------------------------------|
 * | stage 10 min, check 60 s      | stage 9 s, check 1 s               |
 * | Gate G 30 min                 | 12 s                               |
 * | windows 1 m / 5 m             | 8 s / 20 s (`windowsMs`)           |
 * | SLO breach ≥ 10 min           | ≥ 5 s                              |
 * | error burst > 2 % × 3 checks  | > 2 % × 3 checks (1 s apart)       |
 * | OCC < 30 per 5 min            | < 8 per 20 s window (see below)    |
 *
 * With `judge` (the `subtle` scenario) the board probe runs at 100 req/s so that at
 * 10 % the 8 s window holds ~80 V2 responses: enough for the V2-vs-V1 judge (50 per
 * variant at alpha 0.001, three checks in a row) to see V2's 35 % at the first stage.
 * Without it the board probe stays at 20 req/s: five times the load would only make
 * the other scenarios' numbers depend on how busy the machine is.
 */
import type {Plan, PlanDocument} from '../core/plan-types.js';
import {loadPlanDocument} from './plan-document.js';

type ProbeDocument = PlanDocument['probes'][number];
type CompareDocument = NonNullable<PlanDocument['slos'][number]['compare']>;

export type DemoPlanOptions = {
	/** The simulated service's base URL, e.g. `http://127.0.0.1:41234`. */
	serviceUrl: string;
	/** The CloudWatch-compatible endpoint's URL. */
	cloudwatchUrl: string;
	/** Judge V2 against V1 on the board's latency and error rate (and probe the board fast enough for it). @default false */
	judge?: boolean;
};

/** `apt-1001` … `apt-1150`: the simulated service's appointments (`defaultAppointmentCount`). */
const appointmentIds = Array.from({length: 150}, (_, index) => `apt-${1001 + index}`);

const stages = [10, 30, 50, 100];
const variantHeader = 'x-served-by';

function probe(spec: ProbeDocument): ProbeDocument {
	return {variantHeader, ...spec};
}

/** The judge as the demo runs it: the plan defaults, with the run sheet's sense of a board regression worth stopping (≥ 10 % and ≥ 20 ms). */
const demoCompare = (minEffectAbs: number): CompareDocument => ({minEffectAbs});

/** The demo plan for a service and CloudWatch endpoint on loopback, as the loader fills it. */
export function demoPlan(options: DemoPlanOptions): Plan {
	return loadPlanDocument(demoPlanDocument(options), {}, 'demo plan');
}

/** The demo plan as written: only what differs from the schema's defaults. */
export function demoPlanDocument(options: DemoPlanOptions): PlanDocument {
	const serviceUrl = options.serviceUrl.replace(/\/+$/, '');
	const checkIntervalMs = 1000;
	const canaryGates: NonNullable<PlanDocument['gates']> = stages.map((percent, index) => ({
		id: `canary_${percent}`,
		gate: (['C', 'D', 'E', 'F'] as const)[index]!,
		label: `Canary ${percent} % held green for the stage`,
		kind: 'auto',
		check: {kind: 'canary-stage', percent},
	}));
	return {
		version: 1,
		service: 'StatusBoardV2',
		environment: 'demo',
		environments: {demo: {baseUrl: serviceUrl}},
		probes: [
			probe({id: 'board', label: 'Board load', method: 'GET', path: '/api/admin/appointments/board', ratePerSec: options.judge ? 100 : 20}),
			probe({id: 'drawer', label: 'Drawer open', method: 'GET', path: '/api/admin/appointments/{id}', ids: appointmentIds, ratePerSec: 20}),
			probe({id: 'stats', label: 'Dashboard stats', method: 'GET', path: '/api/admin/dashboard/stats', ratePerSec: 5}),
			probe({
				id: 'move',
				label: 'Drag & drop move',
				method: 'PATCH',
				path: '/api/admin/appointments/{id}/move',
				// A few dozen cards, so the probe's own moves rarely collide but every id is revisited.
				ids: appointmentIds.slice(0, 40),
				body: {status: '{status}', version: '{version}'},
				ratePerSec: 10,
				kind: 'occ-move',
			}),
			probe({id: 'health', label: 'Health', method: 'GET', path: '/api/health', ratePerSec: 2}),
		],
		slos: [
			{
				id: 'board_p95',
				label: 'Board load p95',
				source: {kind: 'probe', probe: 'board', stat: 'p95'},
				window: '1m',
				op: '<',
				threshold: 800,
				unit: 'ms',
				...(options.judge ? {compare: demoCompare(20)} : {}),
			},
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
				label: 'API error rate',
				source: {kind: 'probe', probe: 'board', stat: 'errorRate'},
				window: '5m',
				op: '<',
				threshold: 0.01,
				unit: 'ratio',
				...(options.judge ? {compare: demoCompare(0.005)} : {}),
			},
			{
				// 10 moves/s over the 20 s "5m" window = 200 moves; the healthy service conflicts on
				// ~0.2 % of them (≈ 0.4 per window), so 8 never flakes, while occ-storm's V2 conflicts
				// (60 % of V2 moves: ≈ 12 per window already at 10 %) breach it.
				id: 'occ_conflicts',
				label: 'OCC conflicts per window',
				source: {kind: 'probe', probe: 'move', stat: 'conflicts'},
				window: '5m',
				op: '<',
				threshold: 8,
				unit: 'count',
			},
		],
		canary: {
			flag: 'STATUS_BOARD_V2_ENABLED',
			stages,
			stageDurationMs: 9000,
			checkIntervalMs,
			stabilizationMs: 12_000,
			// Board only: the regression hits the board, and blending in health/stats would dilute it.
			abort: {errorRate: 0.01, latencyMs: 2000, latency: {kind: 'probe', probe: 'board', stat: 'p95'}, errorRateProbe: 'board'},
		},
		triggers: {sloBreachForMs: 5000, errorBurst: {threshold: 0.02, intervals: 3}},
		actions: {
			setFlag: {
				kind: 'http',
				method: 'PUT',
				url: `${serviceUrl}/api/admin/feature-flags`,
				body: {flag: '{flag}', rolloutPercent: '{percent}', version: '{version}'},
				timeoutMs: 2000,
			},
			readBack: {
				url: `${serviceUrl}/api/admin/feature-flags`,
				percentPath: 'flags.STATUS_BOARD_V2_ENABLED.rolloutPercent',
				versionPath: 'flags.STATUS_BOARD_V2_ENABLED.version',
				timeoutMs: 2000,
			},
			// Seconds, like every demo clock: a failed rollback is retried for 20 s; health is watched for 30 s after it (the 20 s "5m" window must flush).
			rollbackRetryForMs: 20_000,
			postRollbackWatchMs: 30_000,
		},
		cloudwatch: {
			region: 'us-east-1',
			endpoint: options.cloudwatchUrl,
			pollIntervalMs: 2000,
			metrics: [
				{
					id: 'api_p95',
					label: 'API Gateway latency p95',
					namespace: 'AWS/ApiGateway',
					metricName: 'Latency',
					dimensions: {ApiName: 'statusboard'},
					stat: 'p95',
					periodSec: 10,
				},
				{
					id: 'api_5xx',
					label: 'API Gateway 5XX errors',
					namespace: 'AWS/ApiGateway',
					metricName: '5XXError',
					dimensions: {ApiName: 'statusboard'},
					stat: 'Sum',
					periodSec: 10,
				},
			],
			alarms: {prefix: 'statusboard-'},
		},
		gates: [
			{id: 'a_health', gate: 'A', label: 'Staging reachable: health endpoint 200', kind: 'auto', check: {kind: 'health', url: `${serviceUrl}/health`}},
			{
				id: 'a_performance',
				gate: 'A',
				label: 'Performance: board p95 < 800 ms, drawer avg < 200 ms',
				kind: 'auto',
				check: {kind: 'slo', rules: ['board_p95', 'drawer_avg']},
			},
			// `golive demo` signs this off as two demo operators; `golive run` takes --sign-off or the `s` key.
			{id: 'a_uat', gate: 'A', label: 'UAT approved with required sign-offs', kind: 'manual', roles: ['product_owner', 'eng_lead', 'qa_lead'], minApprovals: 2},
			{id: 'b_health', gate: 'B', label: 'Health endpoint returns 200', kind: 'auto', check: {kind: 'health', url: `${serviceUrl}/api/health`}},
			{id: 'b_alarms', gate: 'B', label: 'All alarms OK or INSUFFICIENT_DATA', kind: 'auto', check: {kind: 'alarms-ok'}},
			{id: 'b_rollback', gate: 'B', label: 'Rollback configured and flag read-back works', kind: 'auto', check: {kind: 'rollback-configured'}},
			...canaryGates,
			{id: 'g_stable', gate: 'G', label: 'All SLOs green for 12 s at 100 % (30 min in production)', kind: 'auto', check: {kind: 'stabilized'}},
		],
		plannedDurationMs: 60_000,
		windowsMs: {'1m': 8000, '5m': 20_000},
	};
}
