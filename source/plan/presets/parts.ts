/**
 * Building blocks the presets share: probes and rules with the loader's
 * defaults spelled out (so a preset loads to exactly itself), Gate B's
 * production checks, the canary's stage gates, steps and approvals.
 */
import type {Actuator, GateId, GateItemPlan, ProbeSpec, SloRule, StepItemPlan} from '../../core/plan-types.js';

export const minute = 60_000;
export const hour = 60 * minute;
export const auth = {Authorization: 'Bearer ${API_TOKEN}'};

export function probe(spec: Omit<ProbeSpec, 'timeoutMs' | 'maxResponseBytes'> & Partial<ProbeSpec>): ProbeSpec {
	return {timeoutMs: 5000, maxResponseBytes: 1_048_576, kind: 'read', ...spec};
}

export function rule(spec: Omit<SloRule, 'minSamples' | 'maxAgeMs' | 'onNoData'> & Partial<SloRule>): SloRule {
	// maxAgeMs = 3 × the check interval, as the loader would fill it.
	return {minSamples: 20, maxAgeMs: 3 * minute, onNoData: 'hold', ...spec};
}

/** A command step (argv, no shell) with its timeout spelled out. */
export function command(id: string, gate: GateId, label: string, argv: string[], timeoutMs: number, extra: Partial<StepItemPlan> = {}): StepItemPlan {
	const action: Actuator = {kind: 'command', argv, timeoutMs};
	return {id, gate, label, kind: 'step', action, ...extra};
}

/** An HTTP step; any 2xx passes unless `expect.status` says otherwise. */
export function call(id: string, gate: GateId, label: string, method: 'GET' | 'POST', url: string, extra: Partial<StepItemPlan> = {}): StepItemPlan {
	return {id, gate, label, kind: 'step', action: {kind: 'http', method, url, headers: auth, timeoutMs: 30_000}, ...extra};
}

export function approval(id: string, gate: GateId, label: string, roles: string[], minApprovals = 1): GateItemPlan {
	return {id, gate, label, kind: 'manual', roles, minApprovals};
}

/** Gate B as the run sheets run `production-launch.sh validate`, against `${PROD_URL}`. */
export function productionPrepGate(healthPath: string, withAlarms: boolean): GateItemPlan[] {
	return [
		{id: 'b_health', gate: 'B', label: 'Production health endpoint returns 200', kind: 'auto', check: {kind: 'health', url: `\${PROD_URL}${healthPath}`}},
		{id: 'b_dns', gate: 'B', label: 'Production DNS resolves', kind: 'auto', check: {kind: 'dns', host: '${PROD_URL}'}},
		{id: 'b_tls', gate: 'B', label: 'TLS certificate valid ≥ 30 days', kind: 'auto', check: {kind: 'tls', host: '${PROD_URL}', minDays: 30}},
		...(withAlarms ? [{id: 'b_alarms', gate: 'B', label: 'All alarms OK or INSUFFICIENT_DATA', kind: 'auto', check: {kind: 'alarms-ok'}} as const] : []),
		{id: 'b_rollback', gate: 'B', label: 'Rollback configured and flag read-back works', kind: 'auto', check: {kind: 'rollback-configured'}},
	];
}

export function canaryGates(stages: number[]): GateItemPlan[] {
	const gates = ['C', 'D', 'E', 'F'] as const;
	return stages.map((percent, index) => ({
		id: `canary_${percent}`,
		gate: gates[Math.min(index, gates.length - 1)]!,
		label: `Canary ${percent} % held green for the stage`,
		kind: 'auto',
		check: {kind: 'canary-stage', percent},
	}));
}

export function stabilizedGate(label: string): GateItemPlan {
	return {id: 'g_stable', gate: 'G', label, kind: 'auto', check: {kind: 'stabilized'}};
}
