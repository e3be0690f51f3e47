/**
 * A comparison as JSON, one shape for the `--json` stream (`comparison` on rules)
 * and `golive compare --json`: V1 is the baseline, V2 the canary. JSON has no NaN
 * or Infinity, so unknown numbers are null.
 */
import type {VariantId, VariantWindow} from '../measurements.js';
import type {StreamEventOf} from '../stream-event-types.js';
import type {Comparison} from './comparison.js';

type ProbeJson = NonNullable<StreamEventOf<'snapshot'>['probes']>[number];
/** The stream schema's `comparison` on a rule (`comparisonJsonSchema`). */
type ComparisonJson = NonNullable<StreamEventOf<'snapshot'>['slos'][number]['comparison']>;

function num(v: number): number | null {
	return Number.isFinite(v) ? v : null;
}

export function comparisonJson(c: Comparison, checks?: number): ComparisonJson {
	const common = {
		metric: c.metric,
		verdict: c.verdict,
		...(checks === undefined ? {} : {checks}),
		pValue: num(c.pValue),
		method: c.method,
		v1: num(c.v1),
		v2: num(c.v2),
		v1Samples: c.v1Samples,
		v2Samples: c.v2Samples,
		deltaPct: num(c.deltaPct),
		note: c.note,
	};
	if (c.metric === 'latency') {
		return {
			...common,
			shiftMs: num(c.effectAbs.estimate),
			shiftMsInterval: [num(c.effectAbs.lower), num(c.effectAbs.upper)],
			shiftPct: num(c.effectPct.estimate),
			shiftPctInterval: [num(c.effectPct.lower), num(c.effectPct.upper)],
			tail: c.tail
				? {v1P99Ms: num(c.tail.v1P99Ms), v2P99Ms: num(c.tail.v2P99Ms), ratio: num(c.tail.ratio), pValue: num(c.tail.pValue), high: c.tail.high}
				: null,
		};
	}
	return {
		...common,
		difference: num(c.effectAbs.estimate),
		differenceInterval: [num(c.effectAbs.lower), num(c.effectAbs.upper)],
		relativePct: num(c.effectPct.estimate),
	};
}

const nullableNumber = {type: ['number', 'null']} as const;
const interval = {type: 'array', minItems: 2, maxItems: 2, items: nullableNumber} as const;

/** JSON Schema of `comparisonJson` (the stream schema and `golive compare` share it). */
export const comparisonJsonSchema = {
	type: 'object',
	description: 'V2 (canary) against V1 (baseline) at this check: Mann-Whitney + Hodges-Lehmann + tail for latency, two proportions for rates.',
	required: ['metric', 'verdict', 'pValue', 'method', 'v1', 'v2', 'v1Samples', 'v2Samples', 'note'],
	properties: {
		metric: {enum: ['latency', 'errorRate', 'conflicts']},
		verdict: {enum: ['PASS', 'HIGH', 'LOW', 'NO_DATA']},
		checks: {type: 'integer', minimum: 0, description: 'Consecutive checks that said HIGH (HIGH counts after the rule’s `consecutive`).'},
		pValue: nullableNumber,
		method: {enum: ['mann-whitney-exact', 'mann-whitney-normal', 'fisher', 'z', null]},
		v1: nullableNumber,
		v2: nullableNumber,
		v1Samples: {type: 'number'},
		v2Samples: {type: 'number'},
		deltaPct: nullableNumber,
		shiftMs: nullableNumber,
		shiftMsInterval: interval,
		shiftPct: nullableNumber,
		shiftPctInterval: interval,
		tail: {type: ['object', 'null']},
		difference: nullableNumber,
		differenceInterval: interval,
		relativePct: nullableNumber,
		note: {type: 'string'},
	},
} as const;

/** A probe's 1 m window per variant, for the stream: samples, error rate, p50/p95/p99, mean. */
export function variantsJson(variants: Partial<Record<VariantId, VariantWindow>> | undefined): ProbeJson['variants'] {
	if (!variants) return undefined;
	const out: NonNullable<ProbeJson['variants']> = {};
	for (const [id, v] of Object.entries(variants) as Array<[VariantId, VariantWindow]>) {
		out[id] = {
			requests: v.requests,
			errorRate: num(v.errorRate),
			p50Ms: num(v.latencyMs.p50),
			p95Ms: num(v.latencyMs.p95),
			p99Ms: num(v.latencyMs.p99),
			meanMs: num(v.latencyMs.mean),
		};
	}
	return out;
}

const variantJsonSchema = {
	type: 'object',
	required: ['requests', 'errorRate', 'p50Ms', 'p95Ms', 'p99Ms', 'meanMs'],
	properties: {
		requests: {type: 'number'},
		errorRate: nullableNumber,
		p50Ms: nullableNumber,
		p95Ms: nullableNumber,
		p99Ms: nullableNumber,
		meanMs: nullableNumber,
	},
} as const;

/** JSON Schema of `variantsJson`. */
export const variantsJsonSchema = {
	type: 'object',
	description: 'Probes with a variantHeader: the 1 m window per variant that served (v1, v2, unknown).',
	properties: {v1: variantJsonSchema, v2: variantJsonSchema, unknown: variantJsonSchema},
	additionalProperties: false,
} as const;
