/** A `launch_start` journal record for a plan, as the engine writes it (with the plan's rules). */
import type {Plan} from '../../source/core/plan-types.js';
import {launchPlanFacts} from '../../source/engine/journal-records.js';
import type {LaunchStartRecord} from '../../source/journal/records.js';

export function launchStartFor(plan: Plan, launchId: string, startedAt: number, plannedDurationMs: number): LaunchStartRecord {
	const {service, environment, canary} = plan;
	return {
		type: 'launch_start',
		launchId,
		format: 1,
		service,
		environment,
		flag: canary.flag,
		stages: canary.stages,
		stageDurationMs: canary.stageDurationMs,
		stabilizationMs: canary.stabilizationMs,
		plannedDurationMs,
		planHash: 'sha256:x',
		startedAt,
		...launchPlanFacts(plan),
	};
}
