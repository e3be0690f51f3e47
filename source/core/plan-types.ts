/**
 * The launch plan (`golive.json`) as TypeScript sees it. Derived from the JSON
 * Schema in `plan-schema.ts` (json-schema-to-ts `FromSchema`), never written by
 * hand: a field added to the schema appears here, and a field the schema does
 * not have cannot be used. What each field means, its bounds and its default
 * are written once, in the schema.
 * Durations are milliseconds, latencies milliseconds, rates ratios (0.01 = 1 %).
 */
import type {FromSchema} from 'json-schema-to-ts';
import type {planSchema} from './plan-schema.js';

/** Which statistic of a probe window a rule reads. */
export const probeStats = ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean', 'errorRate', 'conflicts', 'requests'] as const;
export type ProbeStat = (typeof probeStats)[number];

/** What a fleet rule reads: CloudWatch's percentiles over every agent, or the fleet's error rate or request count. */
export const fleetStats = ['p50', 'p95', 'p99', 'errorRate', 'requests'] as const;

export const windowNames = ['1m', '5m'] as const;
export type WindowName = (typeof windowNames)[number];

export const gateIds = ['A', 'B', 'C', 'D', 'E', 'F', 'G'] as const;
export type GateId = (typeof gateIds)[number];

/**
 * TEEI's incident levels: P0 rolls back at the first breached check, P1 when
 * breached for `sustainedMs`, P2 holds the canary and announces, P3 is logged.
 */
export const severities = ['P0', 'P1', 'P2', 'P3'] as const;
export type Severity = (typeof severities)[number];

/** `metricQuery` picks its branch with if/then/else. */
type SchemaOptions = {parseIfThenElseKeywords: true};

/**
 * A plan as written in `golive.json`: fields with a schema default may be absent.
 * Presets and the demo plan are written in this shape and go through the loader.
 */
export type PlanDocument = Omit<FromSchema<typeof planSchema, SchemaOptions & {keepDefaultedPropertiesOptional: true}>, '$schema'>;

/** A plan that passed the schema: every schema default filled in (ajv `useDefaults`). */
type ValidatedPlan = Omit<FromSchema<typeof planSchema, SchemaOptions>, '$schema'>;

/** Makes `K` present: defaults the loader derives from other fields (`fillDerivedDefaults`). */
type WithRequired<T, K extends keyof T> = Omit<T, K> & Required<Pick<T, K>>;

/** An SLO rule; `maxAgeMs` defaults to 3 × the check interval (at least the CloudWatch data age), filled by the loader. */
export type SloRule = WithRequired<ValidatedPlan['slos'][number], 'maxAgeMs'>;
/** `maxAgeMs` defaults to 3 × the slowest of the poll interval and the metric periods, filled by the loader. */
export type CloudWatchPlan = WithRequired<NonNullable<ValidatedPlan['cloudwatch']>, 'maxAgeMs'>;

/** What the rest of the program sees: validated, `${ENV}` interpolated, every default filled. */
export type Plan = Omit<ValidatedPlan, 'slos' | 'cloudwatch'> & {slos: SloRule[]; cloudwatch?: CloudWatchPlan};

export type ProbeSpec = Plan['probes'][number];
export type HttpMethod = ProbeSpec['method'];
/** The V2-vs-V1 judge for one rule (`SloRule.compare`). */
export type CompareConfig = NonNullable<SloRule['compare']>;
export type ActionsPlan = Plan['actions'];
export type Actuator = ActionsPlan['setFlag'];
export type HttpActuator = Extract<Actuator, {kind: 'http'}>;
export type CloudWatchMetricQuery = CloudWatchPlan['metrics'][number];
/** Probe agents (`golive agent`) and the fleet they form. */
export type FleetPlan = NonNullable<Plan['fleet']>;
/** "Alert if 2 consecutive failures" (the TEEI run-of-show), or a rollback when the plan says so. */
export type SyntheticFailuresTrigger = Required<NonNullable<Plan['triggers']['syntheticFailures']>>;
export type GateItemPlan = Plan['gates'][number];
/** A runbook step: run once, in plan order, when its gate becomes the one being worked on. */
export type StepItemPlan = Extract<GateItemPlan, {kind: 'step'}>;
export type AutoCheck = Extract<GateItemPlan, {kind: 'auto'}>['check'];
/** After Gate G: triggers stay armed for `watchMs`, a checkpoint at each offset or every `everyMs`. */
export type PostLaunchPlan = NonNullable<Plan['postLaunch']>;
