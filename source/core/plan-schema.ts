/**
 * The JSON Schema (draft-07) of the launch plan, `golive.json`. It mirrors the
 * source of the plan's TypeScript types: `plan-types.ts` derives them from it
 * (json-schema-to-ts `FromSchema`), so the schema is written `as const` and its
 * helpers keep literal types. Every object is closed
 * (`additionalProperties: false`) so a typo is an error, not a silently ignored
 * field. `default`s are filled in by the validator (ajv `useDefaults`) and are
 * the only place a default is written. Checks a schema cannot express (stages
 * ascending, ids unique, references resolve) live in
 * `source/plan/plan-checks.ts`. Pure data: no I/O.
 */
import {notifySchema, reportPlanSchema} from './plan-outputs.js';
import {fleetStats, gateIds, probeStats, severities, windowNames} from './plan-types.js';

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

/** A closed object; `required` may only name its own properties. */
function closed<const P extends Record<string, unknown>, const R extends readonly (keyof P & string)[]>(properties: P, required: R) {
	return {type: 'object', additionalProperties: false, properties, required} as const;
}

/** A closed union keyed by `kind`; ajv's `discriminator` keeps errors to the chosen branch. */
function byKind<const B extends readonly unknown[]>(branches: B) {
	return {type: 'object', discriminator: {propertyName: 'kind'}, oneOf: branches} as const;
}

const probeSource = closed({kind: {const: 'probe'}, probe: id, stat: {enum: [...probeStats]}}, ['kind', 'probe', 'stat']);
const cloudWatchSource = closed({kind: {const: 'cloudwatch'}, metric: id}, ['kind', 'metric']);
const fleetSource = closed({kind: {const: 'fleet'}, probe: id, stat: {enum: [...fleetStats]}}, ['kind', 'probe', 'stat']);

const probeSpec = closed(
	{
		id,
		label: text,
		method: {enum: [...httpMethods]},
		path: {
			type: 'string',
			minLength: 1,
			maxLength: 2000,
			description: "Appended to the environment's base URL, or an absolute URL; {id} is replaced by an id from ids.",
		},
		ratePerSec: {type: 'number', exclusiveMinimum: 0, maximum: 100_000, description: 'Requests per second, open model.'},
		timeoutMs: {...durationMs, default: 5000, description: 'Total deadline per request (connect + headers + body).'},
		maxResponseBytes: {type: 'integer', exclusiveMinimum: 0, default: 1_048_576},
		// Header values may reference env vars as ${NAME}: resolved at request time, never logged.
		headers,
		body: {description: 'JSON body template; {id} and {status} are replaced.'},
		ids: {type: 'array', minItems: 1, items: {type: 'string', minLength: 1}},
		kind: {
			enum: ['read', 'occ-move'],
			default: 'read',
			description: "occ-move: the probe tracks each id's version from replies; a 409 is an OCC conflict, not an error.",
		},
		variantHeader: {
			type: 'string',
			pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",
			description: 'Response header naming the variant that served (e.g. x-served-by: v2).',
		},
	},
	['id', 'label', 'method', 'path', 'ratePerSec'],
);

const compare = closed(
	{
		enabled: {type: 'boolean', default: true},
		minEffectPct: {type: 'number', minimum: 0, maximum: 1000, default: 10, description: 'Smallest relative effect that is HIGH (V2 worse) or LOW, %.'},
		minEffectAbs: {
			type: 'number',
			minimum: 0,
			maximum: 600_000,
			description: "Smallest absolute effect in the rule's unit. Absent: 5 (ms) for latency rules, 0.005 for rates.",
		},
		minSamples: {type: 'integer', minimum: 5, maximum: 1_000_000, default: 50},
		consecutive: {type: 'integer', minimum: 1, maximum: 100, default: 3, description: 'HIGH only after this many consecutive checks say so (repeated looks).'},
		alpha: {type: 'number', exclusiveMinimum: 0, maximum: 0.1, default: 0.001},
		onHigh: {enum: ['hold', 'rollback'], default: 'rollback', description: 'What a HIGH does: hold the stage, or roll back.'},
	},
	[],
);

const sloRule = closed(
	{
		id,
		label: text,
		source: byKind([probeSource, cloudWatchSource, fleetSource]),
		window: {enum: [...windowNames]},
		op: {enum: ['<', '<='], description: 'The rule passes when value op threshold holds on usable data.'},
		threshold: {type: 'number'},
		unit: {enum: ['ms', 'ratio', 'count']},
		minSamples: {type: 'integer', minimum: 1, default: 20},
		// Default (3 × check interval) depends on the canary, so the loader fills it.
		maxAgeMs: {...durationMs, description: 'Data older than this is stale (NO_DATA).'},
		onNoData: {enum: ['hold', 'fail'], default: 'hold'},
		// Judge V2 against V1 on this rule while both serve (stages below 100 %); the probe needs a variantHeader.
		compare,
	},
	['id', 'label', 'source', 'window', 'op', 'threshold', 'unit'],
);

const canary = closed(
	{
		flag: {type: 'string', pattern: '^[A-Za-z0-9_.:-]+$', maxLength: 128},
		stages: {type: 'array', minItems: 1, maxItems: 20, items: {type: 'number'}, description: 'Rollout percentages, strictly ascending, last is 100.'},
		stageDurationMs: {...durationMs, description: 'Each stage is held this long, green, before it auto-advances.'},
		// Decisions read windows of many samples: a check more often than every second only adds noise and load.
		checkIntervalMs: {...durationMs, minimum: 1000},
		stabilizationMs: {...durationMs, description: 'Gate G: all SLOs green at 100 % for this long.'},
		abort: closed(
			{
				errorRate: ratio,
				latencyMs: {type: 'number', exclusiveMinimum: 0},
				latency: probeSource,
				errorRateProbe: {...id, description: 'Error-rate source. Absent: all probes blended.'},
			},
			['errorRate', 'latencyMs', 'latency'],
		),
		holdOnInsufficientData: {type: 'boolean', default: true, description: 'Hold promotion while a plan alarm is INSUFFICIENT_DATA.'},
		onGateGFail: {
			enum: ['emergency', 'full'],
			description: 'A rollback during Gate G: emergency sets the flag to 0 %; full also runs actions.fullRollback. Absent: emergency.',
		},
	},
	['flag', 'stages', 'stageDurationMs', 'checkIntervalMs', 'stabilizationMs', 'abort'],
);

/** `actions.rollbackRetryForMs` when the plan does not say: 5 minutes of retrying a failed rollback. */
const defaultRollbackRetryForMs = 300_000;
/** `actions.postRollbackWatchMs` when the plan does not say: the run sheet's 10 minutes of monitoring after a rollback. */
const defaultPostRollbackWatchMs = 600_000;

const triggers = closed(
	{
		sloBreachForMs: {...durationMs, default: 600_000, description: 'Any SLO breached continuously for this long rolls back.'},
		errorBurst: closed({threshold: ratio, intervals: {type: 'integer', minimum: 1}}, ['threshold', 'intervals']),
		alarm: {type: 'boolean', default: true, description: 'An alarm in ALARM rolls back.'},
		syntheticFailures: closed(
			{
				consecutive: {
					type: 'integer',
					minimum: 1,
					maximum: 100,
					default: 2,
					description: 'Failed checks in a row at one location (a check is one publish interval).',
				},
				action: {
					enum: ['alert', 'rollback'],
					default: 'alert',
					description: '`alert`: a warning and a journal note; `rollback`: also a rollback trigger while the canary is live.',
				},
			},
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
				percentPath: {type: 'string', minLength: 1, description: 'Dotted path to the rollout percent in the JSON reply.'},
				versionPath: {type: 'string', minLength: 1, description: 'Dotted path to a version for compare-and-set, if the API has one.'},
				timeoutMs: {...durationMs, default: 5000},
			},
			['url', 'percentPath'],
		),
		fullRollback: actuator,
		rollbackRetryForMs: {
			...durationMs,
			default: defaultRollbackRetryForMs,
			description: 'How long a failed rollback write is retried before headless gives up (rollback_failed, exit 4).',
		},
		postRollbackWatchMs: {
			...durationMs,
			default: defaultPostRollbackWatchMs,
			description: 'After the flag reads 0 %, how long health may take to come back before the rollback reads NOT healthy.',
		},
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
		endpoint: {...httpUrl, description: 'Endpoint override (tests and the demo).'},
		pollIntervalMs: {...durationMs, minimum: 1000, default: 60_000},
		metrics: {type: 'array', items: metricQuery, default: []},
		alarms: {
			type: 'object',
			additionalProperties: false,
			properties: {names: {type: 'array', items: {type: 'string', minLength: 1}}, prefix: {type: 'string', minLength: 1}},
			default: {},
		},
		// Default depends on the poll interval and periods, so the loader fills it.
		maxAgeMs: {...durationMs, description: 'Datapoints older than this are stale.'},
	},
	[],
);

const fleet = closed(
	{
		namespace: {type: 'string', pattern: '^[A-Za-z0-9_./#:-]+$', minLength: 1, maxLength: 255, not: {pattern: '^AWS/'}},
		// Whole seconds dividing a minute (checked by the loader), so CloudWatch periods line up.
		publishIntervalMs: {type: 'integer', minimum: 1000, maximum: 60_000, default: 10_000},
		minAgents: {type: 'integer', minimum: 1, maximum: 10_000, default: 1, description: 'Fewer agents reporting than this makes a fleet rule NO_DATA.'},
	},
	['namespace'],
);

const noArgCheck = <const K extends string>(kind: K) => closed({kind: {const: kind}}, ['kind']);
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

/** A manual item's approvals when the plan does not say (`golive init`'s hint reads it too). */
export const defaultMinApprovals = 1;

/** A step may run for at most two hours: a deploy, not a daemon. */
const stepTimeoutMs = {type: 'integer', exclusiveMinimum: 0, maximum: 7_200_000} as const;
const stepAction = byKind([
	closed({...httpActuator.properties, timeoutMs: {...stepTimeoutMs, default: 30_000}}, ['kind', 'method', 'url']),
	closed({...commandActuator.properties, timeoutMs: {...stepTimeoutMs, default: 600_000}}, ['kind', 'argv']),
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
			minApprovals: {type: 'integer', minimum: 1, default: defaultMinApprovals},
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
export const planSchema = {
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
						sustainedMs: {...durationMs, maximum: 86_400_000, description: 'P1 only: how long the breach must last.'},
					},
					['severity', 'rules'],
				),
			},
			journalDir: {type: 'string', minLength: 1, description: "Where the journal goes. Absent: conf's data directory."},
			plannedDurationMs: {...durationMs, description: 'Planned duration for the report, ms.'},
			// Only the time-compressed demo sets this (e.g. {'1m': 8000, '5m': 20000}); rules keep saying 1m/5m. Absent: 60000 and 300000.
			windowsMs: closed({'1m': durationMs, '5m': durationMs}, [...windowNames]),
			notify: notifySchema,
			report: reportPlanSchema,
		},
		['version', 'service', 'environment', 'environments', 'probes', 'slos', 'canary', 'triggers', 'actions'],
	),
} as const;
