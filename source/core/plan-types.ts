/**
 * The launch plan (`golive.json`): everything golive needs to run a go-live.
 * Validated by the JSON Schema in `plan-schema.ts`; these types are what the
 * rest of the program sees after validation and `${ENV}` interpolation.
 * Durations are milliseconds, latencies milliseconds, rates ratios (0.01 = 1 %).
 */
import type {NotifyTarget, ReportPlan} from './plan-outputs.js';

/** Which statistic of a probe window a rule reads. */
export const probeStats = ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean', 'errorRate', 'conflicts', 'requests'] as const;
export type ProbeStat = (typeof probeStats)[number];

export const windowNames = ['1m', '5m'] as const;
export type WindowName = (typeof windowNames)[number];

export const gateIds = ['A', 'B', 'C', 'D', 'E', 'F', 'G'] as const;
export type GateId = (typeof gateIds)[number];

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type ProbeSpec = {
	/** Stable id used by rules, e.g. `board`. */
	id: string;
	label: string;
	method: HttpMethod;
	/** Path appended to the environment's base URL, or an absolute URL. `{id}` is replaced by an id from `ids`. */
	path: string;
	/** Requests per second, open model. */
	ratePerSec: number;
	/** Total deadline per request (connect + headers + body). @default 5000 */
	timeoutMs: number;
	/** @default 1048576 */
	maxResponseBytes: number;
	/** Header values may reference env vars as `${NAME}`; resolved at run time, never logged. */
	headers?: Record<string, string>;
	/** JSON body template; `{id}` and `{status}` are replaced. */
	body?: unknown;
	/** Ids rotated through for `{id}` in the path. */
	ids?: string[];
	/**
	 * `read`: plain request. `occ-move`: optimistic-concurrency move; the probe tracks
	 * each id's version from replies and a 409 counts as an OCC conflict, not an error.
	 * @default 'read'
	 */
	kind?: 'read' | 'occ-move';
	/** Response header whose value says which variant served the request (e.g. `x-served-by: v2`). */
	variantHeader?: string;
};

type ProbeSource = {kind: 'probe'; probe: string; stat: ProbeStat};
type CloudWatchSource = {kind: 'cloudwatch'; metric: string};
/** What a fleet rule reads: CloudWatch's percentiles over every agent, or the fleet's error rate or request count. */
export const fleetStats = ['p50', 'p95', 'p99', 'errorRate', 'requests'] as const;
type FleetStat = (typeof fleetStats)[number];
/** The probe agents' merged reading (`golive agent`); needs the plan's `fleet` section. */
type FleetSource = {kind: 'fleet'; probe: string; stat: FleetStat};
type RuleSource = ProbeSource | CloudWatchSource | FleetSource;

/**
 * The V2-vs-V1 judge for one rule (`SloRule.compare`): the rule's probe must have a
 * `variantHeader`. Latency rules are judged on the whole distribution (rank test,
 * shift, tail); `errorRate` and `conflicts` rules as two proportions.
 */
export type CompareConfig = {
	/** @default true */
	enabled: boolean;
	/** Smallest relative effect that is HIGH (V2 worse) or LOW (V2 better), %. @default 10 */
	minEffectPct: number;
	/**
	 * Smallest absolute effect, in the rule's unit: ms for latency rules, a rate difference
	 * (0.005 = 0.5 points) for `errorRate` and `conflicts` rules. @default 5 (ms) or 0.005
	 */
	minEffectAbs?: number;
	/** Fewer samples on either variant is NO_DATA. @default 50 */
	minSamples: number;
	/** HIGH only after this many consecutive checks say so (repeated looks). @default 3 */
	consecutive: number;
	/** Significance level of one check; strict because every check looks again. @default 0.001 */
	alpha: number;
	/** What a HIGH does: hold the stage, or roll back. @default 'rollback' */
	onHigh: 'hold' | 'rollback';
};

/** What an SLO rule does when it has no usable data. */
type NoDataPolicy = 'hold' | 'fail';

export type SloRule = {
	/** e.g. `board_p95` */
	id: string;
	label: string;
	source: RuleSource;
	window: WindowName;
	/** The rule PASSes when `value op threshold` holds on usable data. */
	op: '<' | '<=';
	threshold: number;
	unit: 'ms' | 'ratio' | 'count';
	/** @default 20 */
	minSamples: number;
	/** Data older than this is stale (NO_DATA). @default 3 × check interval */
	maxAgeMs: number;
	/** @default 'hold' */
	onNoData: NoDataPolicy;
	/** Judge V2 against V1 on this rule while both serve (stages below 100 %); NO_DATA then holds the stage. */
	compare?: CompareConfig;
};

export type CanaryPlan = {
	/** Feature flag, e.g. `STATUS_BOARD_V2_ENABLED`. */
	flag: string;
	/** Rollout percentages, strictly ascending, last is 100. */
	stages: number[];
	/** Each stage is held this long, green, before it auto-advances. */
	stageDurationMs: number;
	/** How often checks run. */
	checkIntervalMs: number;
	/** Gate G: all SLOs green at 100 % for this long. */
	stabilizationMs: number;
	/** Abort thresholds checked at every interval during the canary. */
	abort: {
		/** e.g. 0.01 */
		errorRate: number;
		/** e.g. 2000 */
		latencyMs: number;
		/** Latency statistic compared with `latencyMs`. */
		latency: ProbeSource;
		/** Error-rate source. Defaults to all probes blended. */
		errorRateProbe?: string;
	};
	/** Hold promotion while a plan alarm is INSUFFICIENT_DATA. @default true */
	holdOnInsufficientData: boolean;
	/**
	 * What a rollback decided during Gate G does: `emergency` sets the flag to 0 %;
	 * `full` also runs `actions.fullRollback` once the flag reads back at 0 % (the
	 * Go-Live Commander script: "If Gate G FAILS → full rollback"). @default 'emergency'
	 */
	onGateGFail?: 'emergency' | 'full';
};

type TriggerPlan = {
	/** Any SLO breached continuously for this long → rollback. @default 600000 */
	sloBreachForMs: number;
	/** Error rate above `threshold` for `intervals` consecutive checks → rollback. */
	errorBurst: {threshold: number; intervals: number};
	/** An alarm in ALARM → rollback. @default true */
	alarm: boolean;
	/** Synthetic monitors (the probe agents, needs `fleet`): a location failing this many checks in a row. @default alert after 2 (the TEEI run-of-show) */
	syntheticFailures?: SyntheticFailuresTrigger;
};

/** "Alert if 2 consecutive failures" (the TEEI run-of-show), or a rollback when the plan says so. */
export type SyntheticFailuresTrigger = {
	/** Failed checks in a row at one location (a check is one publish interval). @default 2 */
	consecutive: number;
	/** `alert`: a warning and a journal note; `rollback`: also a rollback trigger while the canary is live. @default 'alert' */
	action: 'alert' | 'rollback';
};

export type HttpActuator = {
	kind: 'http';
	method: HttpMethod;
	url: string;
	headers?: Record<string, string>;
	/** Body template; `{flag}`, `{percent}`, `{version}` are replaced. */
	body?: unknown;
	timeoutMs: number;
};

type CommandActuator = {
	kind: 'command';
	/** argv, run without a shell; `{percent}`, `{reason}`, `{flag}` are replaced per argument. */
	argv: string[];
	timeoutMs: number;
};

export type Actuator = HttpActuator | CommandActuator;

type FlagReadBack = {
	url: string;
	headers?: Record<string, string>;
	/** Dotted path to the rollout percent in the JSON reply, e.g. `flags.STATUS_BOARD_V2_ENABLED.rolloutPercent`. */
	percentPath: string;
	/** Dotted path to a version for compare-and-set, if the API has one. */
	versionPath?: string;
	timeoutMs: number;
};

/** `actions.rollbackRetryForMs` when the plan does not say: 5 minutes of retrying a failed rollback. */
export const defaultRollbackRetryForMs = 300_000;
/** `actions.postRollbackWatchMs` when the plan does not say: the run sheet's 10 minutes of monitoring after a rollback. */
export const defaultPostRollbackWatchMs = 600_000;

export type ActionsPlan = {
	/** Sets the flag to `{percent}` (promote and emergency rollback to 0). */
	setFlag: Actuator;
	readBack: FlagReadBack;
	/** Full rollback (the StatusBoardV2 run sheet's `./rollback.sh full`). */
	fullRollback?: Actuator;
	/**
	 * How long a failed rollback write is retried (capped exponential backoff, read-back after each
	 * try) before headless gives up with `rollback_failed`, exit 4. The console keeps retrying. @default 300000
	 */
	rollbackRetryForMs?: number;
	/**
	 * After the flag reads 0 %, how long health may take to come back (the run sheet's 10 minutes of
	 * monitoring after a rollback) before golive says "Rollback applied — service NOT healthy". @default 600000
	 */
	postRollbackWatchMs?: number;
};

export type CloudWatchMetricQuery =
	| {
			id: string;
			label: string;
			namespace: string;
			metricName: string;
			dimensions?: Record<string, string>;
			/** `Average`, `Sum`, `Maximum`, `p95`, … */
			stat: string;
			periodSec: number;
	  }
	| {id: string; label: string; expression: string; periodSec: number};

export type CloudWatchPlan = {
	region?: string;
	/** Endpoint override (tests and the demo). */
	endpoint?: string;
	/** @default 60000, never below 10000 except in the demo */
	pollIntervalMs: number;
	metrics: CloudWatchMetricQuery[];
	alarms: {names?: string[]; prefix?: string};
	/** Datapoints older than this are stale. */
	maxAgeMs: number;
};

/** Probe agents (`golive agent`) and the fleet they form (the Fleet section of the README). */
export type FleetPlan = {
	/** CloudWatch namespace the agents publish to and the console reads, e.g. `golive/fleet`. */
	namespace: string;
	/** How often each agent publishes (and the length of one synthetic check), ms; 1000…60000, a divisor of 60000. @default 10000 */
	publishIntervalMs: number;
	/** Fewer agents reporting than this makes a fleet rule NO_DATA. @default 1 */
	minAgents: number;
};

export type AutoCheck =
	| {kind: 'health'; url: string}
	| {kind: 'dns'; host: string}
	| {kind: 'tls'; host: string; port?: number; minDays: number}
	| {kind: 'alarms-ok'}
	| {kind: 'slo'; rules: string[]}
	| {kind: 'rollback-configured'}
	| {kind: 'canary-stage'; percent: number}
	| {kind: 'stabilized'}
	/** The TEEI run-of-show's success criterion: synthetic-monitor uptime ≥ 90 % at every fleet location (needs `fleet`). */
	| {kind: 'synthetic-uptime'};

/** What a step must produce to pass. @default exit code 0 for a command, any 2xx for HTTP */
type StepExpectation = {exitCode?: number; status?: number};

/**
 * A runbook step (`./deploy-staging.sh`, a smoke-test call): run once, in plan
 * order, when its gate becomes the one being worked on; a failure holds the gate.
 */
export type StepItemPlan = {
	id: string;
	gate: GateId;
	label: string;
	kind: 'step';
	/** The same actuator shapes as `actions`; argv runs without a shell. */
	action: Actuator;
	/** Extra attempts after a failure, each run in full. @default 0 */
	retries?: number;
	expect?: StepExpectation;
};

export type GateItemPlan =
	| {id: string; gate: GateId; label: string; kind: 'auto'; check: AutoCheck}
	| {id: string; gate: GateId; label: string; kind: 'manual'; roles: string[]; minApprovals: number}
	| StepItemPlan;

export const severities = ['P0', 'P1', 'P2', 'P3'] as const;
/**
 * TEEI's incident levels: P0 rolls back at the first breached check, P1 when
 * breached for `sustainedMs`, P2 holds the canary and announces, P3 is logged.
 */
export type Severity = (typeof severities)[number];

/** Rules judged by a severity instead of `triggers.sloBreachForMs`. */
type SeverityPlan = {severity: Severity; rules: string[]; /** P1 only: how long the breach must last. */ sustainedMs?: number};

/**
 * After Gate G: the triggers stay armed for `watchMs` and a status checkpoint is
 * written at each offset (ms after Gate G passed) or every `everyMs`.
 */
export type PostLaunchPlan = {
	watchMs: number;
	checkpoints: {offsetsMs: number[]} | {everyMs: number};
};

type EnvironmentPlan = {baseUrl: string};

export type Plan = {
	version: 1;
	service: string;
	/** Name of the environment to run against (key of `environments`). */
	environment: string;
	environments: Record<string, EnvironmentPlan>;
	probes: ProbeSpec[];
	slos: SloRule[];
	canary: CanaryPlan;
	triggers: TriggerPlan;
	actions: ActionsPlan;
	cloudwatch?: CloudWatchPlan;
	/** Probe agents on other hosts publish to CloudWatch here; read with the plan's `cloudwatch` region and endpoint. */
	fleet?: FleetPlan;
	gates: GateItemPlan[];
	/** Severities by rule; a rule not listed rolls back after `triggers.sloBreachForMs`. */
	severities?: SeverityPlan[];
	/** Post-launch watch; absent, the run ends when Gate G passes. */
	postLaunch?: PostLaunchPlan;
	/** Where the journal goes. @default conf's data dir */
	journalDir?: string;
	/** Planned duration for the report, ms. */
	plannedDurationMs?: number;
	/**
	 * How long each named rolling window really is, ms. Only the time-compressed demo sets
	 * this (e.g. `{'1m': 8000, '5m': 20000}`); rules keep saying `1m`/`5m`.
	 * @default {'1m': 60000, '5m': 300000}
	 */
	windowsMs?: Record<WindowName, number>;
	/** Where status messages are sent (Slack, webhooks). @default none */
	notify?: NotifyTarget[];
	/** Build id, git tag, links, adoption metric and message style for the report and the messages. */
	report?: ReportPlan;
};
