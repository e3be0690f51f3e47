/**
 * The plans golive writes itself (the presets `golive init` writes, the demo
 * plan) are documents like any `golive.json`: they state only what differs
 * from the schema's defaults, and this loader path (`validatePlan`: `${ENV}`,
 * schema with defaults, cross-field checks, derived defaults) fills the rest,
 * so a default is written once, in the schema.
 */
import type {Plan, PlanDocument} from '../core/plan-types.js';
import {formatPlanErrors, validatePlan} from './load-plan.js';

/** The plan `document` loads to. A built-in plan that does not load is a bug in golive, so this throws with the loader's messages. */
export function loadPlanDocument(document: PlanDocument, env: NodeJS.ProcessEnv, name: string): Plan {
	const result = validatePlan(document, env, name);
	if (!result.ok) throw new Error(formatPlanErrors(result.errors));
	return result.plan;
}
