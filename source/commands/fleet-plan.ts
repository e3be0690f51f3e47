/**
 * What `golive agent` and `golive fleet` take from a plan: the fleet section, the
 * CloudWatch region and endpoint, the base URL. One place so both read it the same way.
 */
import type {FleetPlan, Plan} from '../core/plan-types.js';
import {formatPlanErrors, loadPlan, resolvePlanFile} from '../plan/load-plan.js';
import type {CommandIo} from '../cli-args.js';

export type FleetSetup = {plan: Plan; fleet: FleetPlan; region?: string; endpoint?: string; baseUrl: string; file: string};

/** Loads the plan; prints one clear line per problem and returns null when it cannot be used. */
export function loadFleetSetup(planArg: string | undefined, io: CommandIo, command: string): FleetSetup | null {
	const file = resolvePlanFile(planArg, io.cwd ?? process.cwd());
	const loaded = loadPlan(file, io.env);
	if (!loaded.ok) {
		io.stderr.write(`golive ${command}: ${formatPlanErrors(loaded.errors)}\n`);
		return null;
	}
	const plan = loaded.plan;
	if (!plan.fleet) {
		io.stderr.write(`golive ${command}: ${file}: /fleet: the plan has no fleet section (e.g. "fleet": {"namespace": "golive/fleet"})\n`);
		return null;
	}
	return {
		plan,
		fleet: plan.fleet,
		...(plan.cloudwatch?.region !== undefined ? {region: plan.cloudwatch.region} : {}),
		...(plan.cloudwatch?.endpoint !== undefined ? {endpoint: plan.cloudwatch.endpoint} : {}),
		baseUrl: plan.environments[plan.environment]!.baseUrl,
		file,
	};
}
