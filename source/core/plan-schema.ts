/**
 * The JSON Schema (draft-07) of the launch plan, `golive.json`. It mirrors the
 * `Plan` type in `plan-types.ts` exactly: every object is closed
 * (`additionalProperties: false`) so a typo is an error, not a silently ignored
 * field. `default`s are the `@default`s documented on the type and are filled in
 * by the validator (ajv `useDefaults`). Checks a schema cannot express (stages
 * ascending, ids unique, references resolve) live in
 * `source/plan/plan-checks.ts`. Pure data: no I/O.
 */
import {notifySchema, reportPlanSchema} from './plan-outputs.js';
import {defaultPostRollbackWatchMs, defaultRollbackRetryForMs, fleetStats, gateIds, probeStats, severities, windowNames} from './plan-types.js';

type JsonSchema = Record<string, unknown>;

const httpMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Probe, rule and gate item ids: short, printable, usable as keys in `--json`. */
const id = {type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', maxLength: 64} as const;
const text = {type: 'string', minLength: 1, maxLength: 200} as const;
/** Node's timers hold at most 2³¹−1 ms; a longer one fires at once (a check every millisecond). */
const maxDurationMs = 2_147_483_647;
/** A positive duration in milliseconds, within what a timer can wait. */
const durationMs = {type: 'integer', exclusiveMinimum: 0, maximum: maxDurationMs} as const;
/** A plan URL golive sends to: http or https only (no file:, no data:). */
const httpUrl = {type: 'string', pattern: '^https?://[^\\s/]+'} as const;
const ratio = {type: 'number', minimum: 0, maximum: 1} as const;
const headers = {
	type: 'object',
	propertyNames: {pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"},
	additionalProperties: {type: 'string'},
} as const;

function closed(properties: Record<string, unknown>, required: string[]): JsonSchema {
	return {type: 'object', additionalProperties: false, properties, required};
}

/** A closed union keyed by `kind`; ajv's `discriminator` keeps errors to the chosen branch. */
function byKind(branches: JsonSchema[]): JsonSchema {
	return {type: 'object', discriminator: {propertyName: 'kind'}, oneOf: branches};
}

const probeSource = closed({kind: {const: 'probe'}, probe: id, stat: {enum: [...probeStats]}}, ['kind', 'probe', 'stat']);
const cloudWatchSource = closed({kind: {const: 'cloudwatch'}, metric: id}, ['kind', 'metric']);
const fleetSource = closed({kind: {const: 'fleet'}, probe: id, stat: {enum: [...fleetStats]}}, ['kind', 'probe', 'stat']);

const probeSpec = closed(
	{
		id,
		label: text,
		method: {enum: [...httpMethods]},
		path: {type: 'string', minLength: 1, maxLength: 2000},
		ratePerSec: {type: 'number', exclusiveMinimum: 0, maximum: 100_000},
		timeoutMs: {...durationMs, default: 5000},
		maxResponseBytes: {type: 'integer', exclusiveMinimum: 0, default: 1_048_576},
		headers,
		body: {},
		ids: {type: 'array', minItems: 1, items: {type: 'string', minLength: 1}},
		kind: {enum: ['read', 'occ-move'], default: 'read'},
		variantHeader: {type: 'string', pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"},
	},
	['id', 'label', 'method', 'path', 'ratePerSec'],
);

const compare = closed(
	{
		enabled: {type: 'boolean', default: true},
		minEffectPct: {type: 'number', minimum: 0, maximum: 1000, default: 10},
		minEffectAbs: {type: 'number', minimum: 0, maximum: 600_000},
		minSamples: {type: 'integer', minimum: 5, maximum: 1_000_000, default: 50},
		consecutive: {type: 'integer', minimum: 1, maximum: 100, default: 3},
		alpha: {type: 'number', exclusiveMinimum: 0, maximum: 0.1, default: 0.001},
		onHigh: {enum: ['hold', 'rollback'], default: 'rollback'},
	},
	[],
);

const sloRule = closed(
	{
		id,
		label: text,
		source: byKind([probeSource, cloudWatchSource, fleetSource]),
		window: {enum: [...windowNames]},
		op: {enum: ['<', '<=']},
		threshold: {type: 'number'},
		unit: {enum: ['ms', 'ratio', 'count']},
		minSamples: {type: 'integer', minimum: 1, default: 20},
		// Default (3 × check interval) depends on the canary, so the loader fills it.
		maxAgeMs: durationMs,
		onNoData: {enum: ['hold', 'fail'], default: 'hold'},
		compare,
	},
	['id', 'label', 'source', 'window', 'op', 'threshold', 'unit'],
);

const canary = closed(
	{
		flag: {type: 'string', pattern: '^[A-Za-z0-9_.:-]+$', maxLength: 128},
		stages: {type: 'array', minItems: 1, maxItems: 20, items: {type: 'number'}},
		stageDurationMs: durationMs,
		// Decisions read windows of many samples: a check more often than every second only adds noise and load.
		checkIntervalMs: {...durationMs, minimum: 1000},
		stabilizationMs: durationMs,
		abort: closed(
			{
				errorRate: ratio,
				latencyMs: {type: 'number', exclusiveMinimum: 0},
				latency: probeSource,
				errorRateProbe: id,
			},
			['errorRate', 'latencyMs', 'latency'],
		),
		holdOnInsufficientData: {type: 'boolean', default: true},
		onGateGFail: {enum: ['emergency', 'full']},
	},
	['flag', 'stages', 'stageDurationMs', 'checkIntervalMs', 'stabilizationMs', 'abort'],
);

const triggers = closed(
	{
		sloBreachForMs: {...durationMs, default: 600_000},
		errorBurst: closed({threshold: ratio, intervals: {type: 'integer', minimum: 1}}, ['threshold', 'intervals']),
		alarm: {type: 'boolean', default: true},
		syntheticFailures: closed(
			{consecutive: {type: 'integer', minimum: 1, maximum: 100, default: 2}, action: {enum: ['alert', 'rollback'], default: 'alert'}},
			[],
		),
	},
	['errorBurst'],
);

const httpActuator = closed(
	{
		kind: {const: 'http'},
		method: {enum: [...httpMethods]},
		url: httpUrl,
		headers,
		body: {},
		timeoutMs: {...durationMs, default: 5000},
	},
	['kind', 'method', 'url'],
);
const commandActuator = closed(
	{
		kind: {const: 'command'},
		argv: {type: 'array', minItems: 1, items: {type: 'string', minLength: 1}},
		timeoutMs: {...durationMs, default: 300_000},
	},
	['kind', 'argv'],
);
const actuator = byKind([httpActuator, commandActuator]);

const actions = closed(
	{
		setFlag: actuator,
		readBack: closed(
			{
				url: httpUrl,
				headers,
				percentPath: {type: 'string', minLength: 1},
				versionPath: {type: 'string', minLength: 1},
				timeoutMs: {...durationMs, default: 5000},
			},
			['url', 'percentPath'],
		),
		fullRollback: actuator,
		rollbackRetryForMs: {...durationMs, default: defaultRollbackRetryForMs},
		postRollbackWatchMs: {...durationMs, default: defaultPostRollbackWatchMs},
	},
	['setFlag', 'readBack'],
);

// CloudWatch's own rule for query ids: a lowercase letter, then letters, digits, underscores.
const metricId = {type: 'string', pattern: '^[a-z][a-zA-Z0-9_]*$', maxLength: 255} as const;
const periodSec = {type: 'integer', minimum: 1} as const;
const metricQuery = {
	type: 'object',
	if: {type: 'object', properties: {expression: {}}, required: ['expression']},
	then: closed({id: metricId, label: text, expression: {type: 'string', minLength: 1}, periodSec}, ['id', 'label', 'expression', 'periodSec']),
	else: closed(
		{
			id: metricId,
			label: text,
			namespace: {type: 'string', minLength: 1},
			metricName: {type: 'string', minLength: 1},
			dimensions: {type: 'object', additionalProperties: {type: 'string'}},
			stat: {type: 'string', minLength: 1},
			periodSec,
		},
		['id', 'label', 'namespace', 'metricName', 'stat', 'periodSec'],
	),
} as const;

const cloudwatch = closed(
	{
		region: {type: 'string', pattern: '^[a-z]{2}(-[a-z]+)+-\\d+$'},
		endpoint: httpUrl,
		pollIntervalMs: {...durationMs, minimum: 1000, default: 60_000},
		metrics: {type: 'array', items: metricQuery, default: []},
		alarms: {
			type: 'object',
			additionalProperties: false,
			properties: {names: {type: 'array', items: {type: 'string', minLength: 1}}, prefix: {type: 'string', minLength: 1}},
			default: {},
		},
		// Default depends on the poll interval and periods, so the loader fills it.
		maxAgeMs: durationMs,
	},
	[],
);

const fleet = closed(
	{
		namespace: {type: 'string', pattern: '^[A-Za-z0-9_./#:-]+$', minLength: 1, maxLength: 255, not: {pattern: '^AWS/'}},
		// Whole seconds dividing a minute (checked by the loader), so CloudWatch periods line up.
		publishIntervalMs: {type: 'integer', minimum: 1000, maximum: 60_000, default: 10_000},
		minAgents: {type: 'integer', minimum: 1, maximum: 10_000, default: 1},
	},
	['namespace'],
);

const noArgCheck = (kind: string): JsonSchema => closed({kind: {const: kind}}, ['kind']);
const autoCheck = byKind([
	// Absolute, so the item says which environment it checks (Gate A staging, Gate B production).
	closed({kind: {const: 'health'}, url: httpUrl}, ['kind', 'url']),
	closed({kind: {const: 'dns'}, host: {type: 'string', minLength: 1}}, ['kind', 'host']),
	closed(
		{
			kind: {const: 'tls'},
			host: {type: 'string', minLength: 1},
			port: {type: 'integer', minimum: 1, maximum: 65_535},
			minDays: {type: 'number', minimum: 0, default: 30},
		},
		['kind', 'host'],
	),
	noArgCheck('alarms-ok'),
	closed({kind: {const: 'slo'}, rules: {type: 'array', minItems: 1, items: id}}, ['kind', 'rules']),
	noArgCheck('rollback-configured'),
	closed({kind: {const: 'canary-stage'}, percent: {type: 'number', exclusiveMinimum: 0, maximum: 100}}, ['kind', 'percent']),
	noArgCheck('stabilized'),
	noArgCheck('synthetic-uptime'),
]);

/** A step may run for at most two hours: a deploy, not a daemon. */
const stepTimeoutMs = {type: 'integer', exclusiveMinimum: 0, maximum: 7_200_000} as const;
const stepAction = byKind([
	closed({...(httpActuator.properties as Record<string, unknown>), timeoutMs: {...stepTimeoutMs, default: 30_000}}, ['kind', 'method', 'url']),
	closed({...(commandActuator.properties as Record<string, unknown>), timeoutMs: {...stepTimeoutMs, default: 600_000}}, ['kind', 'argv']),
]);
const stepItem = closed(
	{
		id,
		gate: {enum: [...gateIds]},
		label: text,
		kind: {const: 'step'},
		action: stepAction,
		retries: {type: 'integer', minimum: 0, maximum: 5},
		expect: closed({exitCode: {type: 'integer', minimum: 0, maximum: 255}, status: {type: 'integer', minimum: 100, maximum: 599}}, []),
	},
	['id', 'gate', 'label', 'kind', 'action'],
);

const gateItem = byKind([
	closed({id, gate: {enum: [...gateIds]}, label: text, kind: {const: 'auto'}, check: autoCheck}, ['id', 'gate', 'label', 'kind', 'check']),
	closed(
		{
			id,
			gate: {enum: [...gateIds]},
			label: text,
			kind: {const: 'manual'},
			roles: {type: 'array', minItems: 1, uniqueItems: true, items: id},
			minApprovals: {type: 'integer', minimum: 1, default: 1},
		},
		['id', 'gate', 'label', 'kind', 'roles'],
	),
	stepItem,
]);

/** A watch of up to 7 days; checkpoints at least 1 s apart (the demo's cadence is seconds). */
const watchMs = {type: 'integer', minimum: 1000, maximum: 604_800_000} as const;
const postLaunch = closed(
	{
		watchMs,
		checkpoints: {
			type: 'object',
			oneOf: [closed({offsetsMs: {type: 'array', minItems: 1, maxItems: 100, items: watchMs}}, ['offsetsMs']), closed({everyMs: watchMs}, ['everyMs'])],
		},
	},
	['watchMs', 'checkpoints'],
);

/** The plan's JSON Schema; `golive init` writes plans that validate against it. */
export const planSchema: JsonSchema = {
	$schema: 'http://json-schema.org/draft-07/schema#',
	$id: 'https://golive.dev/schema/plan-v1.json',
	title: 'golive launch plan',
	...closed(
		{
			// Lets editors find this schema; ignored by golive.
			$schema: {type: 'string'},
			version: {const: 1},
			service: text,
			environment: id,
			environments: {
				type: 'object',
				minProperties: 1,
				propertyNames: id,
				additionalProperties: closed({baseUrl: httpUrl}, ['baseUrl']),
			},
			probes: {type: 'array', minItems: 1, items: probeSpec},
			slos: {type: 'array', items: sloRule},
			canary,
			triggers,
			actions,
			cloudwatch,
			fleet,
			gates: {type: 'array', items: gateItem, default: []},
			postLaunch,
			severities: {
				type: 'array',
				maxItems: 20,
				items: closed(
					{
						severity: {enum: [...severities]},
						rules: {type: 'array', minItems: 1, uniqueItems: true, items: id},
						sustainedMs: {...durationMs, maximum: 86_400_000},
					},
					['severity', 'rules'],
				),
			},
			journalDir: {type: 'string', minLength: 1},
			plannedDurationMs: durationMs,
			windowsMs: closed({'1m': durationMs, '5m': durationMs}, [...windowNames]),
			notify: notifySchema,
			report: reportPlanSchema,
		},
		['version', 'service', 'environment', 'environments', 'probes', 'slos', 'canary', 'triggers', 'actions'],
	),
};
