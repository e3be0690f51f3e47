/**
 * Building blocks the presets share: Gate B's production checks, the canary's
 * stage gates, steps and approvals. They state only what differs from the
 * schema's defaults; the loader fills the rest.
 */
import type {GateId, PlanDocument} from '../../core/plan-types.js';

/** A gate item as a plan document states it (schema defaults left to the loader). */
export type GateItemDocument = NonNullable<PlanDocument['gates']>[number];
type StepItemDocument = Extract<GateItemDocument, {kind: 'step'}>;

export const minute = 60_000;
export const hour = 60 * minute;
export const auth = {Authorization: 'Bearer ${API_TOKEN}'};

/** A command step (argv, no shell); without `timeoutMs` the schema's 10 minutes apply. */
export function command(id: string, gate: GateId, label: string, argv: string[], timeoutMs?: number, extra: Partial<StepItemDocument> = {}): StepItemDocument {
	const action: StepItemDocument['action'] = {kind: 'command', argv, ...(timeoutMs === undefined ? {} : {timeoutMs})};
	return {id, gate, label, kind: 'step', action, ...extra};
}

/** An HTTP step; any 2xx passes unless `expect.status` says otherwise. */
export function call(id: string, gate: GateId, label: string, method: 'GET' | 'POST', url: string, extra: Partial<StepItemDocument> = {}): StepItemDocument {
	return {id, gate, label, kind: 'step', action: {kind: 'http', method, url, headers: auth}, ...extra};
}

export function approval(id: string, gate: GateId, label: string, roles: string[], minApprovals?: number): GateItemDocument {
	return {id, gate, label, kind: 'manual', roles, ...(minApprovals === undefined ? {} : {minApprovals})};
}

/** Gate B as the run sheets run `production-launch.sh validate`, against `${PROD_URL}`. */
export function productionPrepGate(healthPath: string, withAlarms: boolean): GateItemDocument[] {
	return [
		{id: 'b_health', gate: 'B', label: 'Production health endpoint returns 200', kind: 'auto', check: {kind: 'health', url: `\${PROD_URL}${healthPath}`}},
		{id: 'b_dns', gate: 'B', label: 'Production DNS resolves', kind: 'auto', check: {kind: 'dns', host: '${PROD_URL}'}},
		{id: 'b_tls', gate: 'B', label: 'TLS certificate valid ≥ 30 days', kind: 'auto', check: {kind: 'tls', host: '${PROD_URL}'}},
		...(withAlarms ? [{id: 'b_alarms', gate: 'B', label: 'All alarms OK or INSUFFICIENT_DATA', kind: 'auto', check: {kind: 'alarms-ok'}} as const] : []),
		{id: 'b_rollback', gate: 'B', label: 'Rollback configured and flag read-back works', kind: 'auto', check: {kind: 'rollback-configured'}},
	];
}

export function canaryGates(stages: number[]): GateItemDocument[] {
	const gates = ['C', 'D', 'E', 'F'] as const;
	return stages.map((percent, index) => ({
		id: `canary_${percent}`,
		gate: gates[Math.min(index, gates.length - 1)]!,
		label: `Canary ${percent} % held green for the stage`,
		kind: 'auto',
		check: {kind: 'canary-stage', percent},
	}));
}

export function stabilizedGate(label: string): GateItemDocument {
	return {id: 'g_stable', gate: 'G', label, kind: 'auto', check: {kind: 'stabilized'}};
}
