/** What a plan says about the launch as a whole, for the journal's first record and the report. */
import type {Plan} from './plan-types.js';

/** The plan's own figure, or every stage plus Gate G's stabilization. */
export function plannedDurationMs(plan: Plan): number {
	return plan.plannedDurationMs ?? plan.canary.stages.length * plan.canary.stageDurationMs + plan.canary.stabilizationMs;
}
