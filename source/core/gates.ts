/**
 * Gates A–G as the StatusBoardV2 run sheet defines them: A staging validation, B production prep,
 * C–F the canary stages, G stabilization. An item passes only on proof; a gate
 * passes only when every one of its items passes. Checks that need I/O (DNS,
 * TLS, health) arrive as `autoResults` from the engine.
 */
import {uptimeVerdict} from './fleet-checks.js';
import type {FleetSnapshot} from './fleet-types.js';
import type {CanaryState} from './canary-types.js';
import type {GateItemStatus, GateItemView, GateStatus, GateView, RuleResult, SignOff} from './decision-types.js';
import {formatDuration, formatRuleResult} from './format.js';
import {describeActuator} from './actuator-text.js';
import {skippedLabel} from './soak.js';
import {sourceNotOkWhy, type CloudWatchSnapshot} from './measurements.js';
import {gateIds, type AutoCheck, type GateId, type GateItemPlan, type Plan} from './plan-types.js';
import {stepItemResult, type StepStates} from './steps.js';
import {canaryStage, stabilized, stageRelation, type ItemResult, type StageRelation} from './canary-gate-items.js';

export type AutoResult = {status: GateItemStatus; detail: string};

export type GateInputs = {
	rules: RuleResult[];
	canary: CanaryState;
	signOffs: SignOff[];
	/** Results of I/O checks by gate item id (health, dns, tls; optionally rollback-configured). */
	autoResults: Record<string, AutoResult>;
	cloudwatch: CloudWatchSnapshot | null;
	/** Runbook steps' runs by item id. @default none run */
	steps?: StepStates;
	/** The probe agents' newest reading (synthetic-uptime items); absent without a fleet. */
	fleet?: FleetSnapshot | null;
};

const gateTitles: Record<GateId, string> = {
	A: 'Staging validation',
	B: 'Production preparation',
	C: 'Canary stage 1',
	D: 'Canary stage 2',
	E: 'Canary stage 3',
	F: 'Canary stage 4',
	G: 'Stabilization',
};

/** Gates C–F follow the canary stages in order. */
const stageGates: readonly GateId[] = ['C', 'D', 'E', 'F'];

/**
 * Manual item: `minApprovals` approvals from distinct people holding one of
 * `roles`. A person's latest word counts; one standing rejection fails the item
 * (the gate holds; the operator decides whether to roll back).
 */
export function evaluateSignOffs(item: GateItemPlan & {kind: 'manual'}, signOffs: SignOff[]): ItemResult {
	const roles = new Set(item.roles.map((r) => r.trim().toLowerCase()));
	const byName = new Map<string, SignOff>();
	for (const s of signOffs) {
		const name = s.name.trim().toLowerCase();
		if (s.itemId !== item.id || name === '' || !roles.has(s.role.trim().toLowerCase())) {
			continue;
		}

		byName.delete(name);
		byName.set(name, s);
	}

	const rejected = [...byName.values()].filter((s) => s.decision === 'reject');
	if (rejected.length > 0) {
		return {status: 'fail', detail: `rejected by ${rejected.map((s) => `${s.name} (${s.role})${s.note ? `: ${s.note}` : ''}`).join('; ')}`};
	}

	const count = byName.size;
	const who = [...byName.values()].map((s) => `${s.name} (${s.role})`).join(', ');
	const detail = `${count} of ${item.minApprovals} approval${item.minApprovals === 1 ? '' : 's'} (${item.roles.join(', ')})${who ? `: ${who}` : ''}`;
	return {status: count >= item.minApprovals && item.minApprovals > 0 ? 'pass' : 'waiting_sign_off', detail};
}

function alarmsOk(plan: Plan, cloudwatch: CloudWatchSnapshot | null): ItemResult {
	if (plan.cloudwatch === undefined) {
		return {status: 'no_data', detail: 'no CloudWatch section in the plan: alarms cannot be checked'};
	}

	if (!cloudwatch) {
		return {status: 'no_data', detail: 'CloudWatch not polled yet'};
	}

	const state = cloudwatch.state;
	if (state.kind !== 'ok') {
		const why = sourceNotOkWhy(state);
		return {status: 'no_data', detail: `CloudWatch ${state.kind} (${why})`};
	}

	if (cloudwatch.missingAlarms.length > 0) {
		return {status: 'fail', detail: `alarm not found in CloudWatch: ${cloudwatch.missingAlarms.join(', ')}`};
	}

	const inAlarm = cloudwatch.alarms.filter((a) => a.state === 'ALARM');
	if (inAlarm.length > 0) {
		return {status: 'fail', detail: `in ALARM: ${inAlarm.map((a) => a.name).join(', ')}`};
	}

	const unknown = cloudwatch.alarms.filter((a) => a.state !== 'OK' && a.state !== 'INSUFFICIENT_DATA');
	if (unknown.length > 0) {
		return {status: 'no_data', detail: `unknown state: ${unknown.map((a) => a.name).join(', ')}`};
	}

	if (cloudwatch.alarms.length === 0) {
		return {status: 'no_data', detail: 'no alarms matched the plan'};
	}

	const insufficient = cloudwatch.alarms.filter((a) => a.state === 'INSUFFICIENT_DATA').length;
	const extra = insufficient > 0 ? ` (${insufficient} INSUFFICIENT_DATA)` : '';
	return {status: 'pass', detail: `${cloudwatch.alarms.length} alarm${cloudwatch.alarms.length === 1 ? '' : 's'} OK${extra}`};
}

function slo(ids: string[], rules: RuleResult[]): ItemResult {
	if (ids.length === 0) {
		return {status: 'no_data', detail: 'no rules listed'};
	}

	const found = ids.map((id) => ({id, r: rules.find((x) => x.ruleId === id)}));
	const missing = found.filter((f) => !f.r).map((f) => f.id);
	const breached = found.flatMap((f) => (f.r?.status === 'BREACH' ? [f.r] : []));
	const noData = found.flatMap((f) => (f.r?.status === 'NO_DATA' || f.r?.status === 'STALE' ? [f.r] : []));
	if (breached.length > 0) {
		return {status: 'fail', detail: breached.map(formatRuleResult).join('; ')};
	}

	if (missing.length > 0) {
		return {status: 'no_data', detail: `not evaluated: ${missing.join(', ')}`};
	}

	if (noData.length > 0) {
		return {status: 'no_data', detail: noData.map(formatRuleResult).join('; ')};
	}

	return {status: 'pass', detail: found.map((f) => (f.r ? formatRuleResult(f.r) : f.id)).join('; ')};
}

function rollbackConfigured(plan: Plan, item: GateItemPlan, autoResults: Record<string, AutoResult>): ItemResult {
	const setFlag = plan.actions.setFlag as Plan['actions']['setFlag'] | undefined;
	const readBack = plan.actions.readBack as Plan['actions']['readBack'] | undefined;
	if (!setFlag || !readBack) {
		return {status: 'fail', detail: 'no flag write or read-back configured: cannot roll back'};
	}

	const verified = autoResults[item.id];
	if (verified) {
		return verified;
	}

	const full = plan.actions.fullRollback
		? `; full rollback runs: ${describeActuator(plan.actions.fullRollback)}`
		: '; no full rollback command (R sets the flag to 0 % only)';
	// Configured is not working: the item passes only once the flag has read back (the infra checks).
	return {status: 'pending', detail: `flag write (${setFlag.kind}) and read-back configured, read-back not checked yet${full}`};
}

function evaluateAuto(plan: Plan, item: GateItemPlan & {kind: 'auto'}, inputs: GateInputs, now: number): ItemResult {
	const check: AutoCheck = item.check;
	switch (check.kind) {
		case 'health':
		case 'dns':
		case 'tls': {
			return inputs.autoResults[item.id] ?? {status: 'pending', detail: `${check.kind} not checked yet`};
		}

		case 'alarms-ok': {
			return alarmsOk(plan, inputs.cloudwatch);
		}

		case 'slo': {
			return slo(check.rules, inputs.rules);
		}

		case 'rollback-configured': {
			return rollbackConfigured(plan, item, inputs.autoResults);
		}

		case 'canary-stage': {
			return canaryStage(plan, inputs.canary, check.percent, now);
		}

		case 'stabilized': {
			return stabilized(plan, inputs.canary, now);
		}

		case 'synthetic-uptime': {
			const verdict = uptimeVerdict(inputs.fleet ?? null);
			return {status: verdict.status === 'PASS' ? 'pass' : verdict.status === 'FAIL' ? 'fail' : 'no_data', detail: verdict.detail};
		}

		default: {
			const _never: never = check;
			return _never;
		}
	}
}

/** The stage percent a gate C–F stands for: its canary-stage item, else the stage at its position. */
function gatePercent(plan: Plan, gate: GateId, items: GateItemPlan[]): number | undefined {
	for (const item of items) {
		if (item.kind === 'auto' && item.check.kind === 'canary-stage') {
			return item.check.percent;
		}
	}

	const index = stageGates.indexOf(gate);
	return index < 0 ? undefined : plan.canary.stages[index];
}

/** The gate C–F that stands for a stage percent, or null when none does. */
export function gateOfStage(plan: Plan, percent: number): GateId | null {
	for (const gate of stageGates) {
		const planned = plan.gates.filter((g) => g.gate === gate);
		if (gatePercent(plan, gate, planned.length > 0 ? planned : defaultItems(plan, gate)) === percent) return gate;
	}

	return null;
}

/** C–F without items in the plan still show their stage; G its stabilization. */
function defaultItems(plan: Plan, gate: GateId): GateItemPlan[] {
	const index = stageGates.indexOf(gate);
	const percent = index < 0 ? undefined : plan.canary.stages[index];
	if (percent !== undefined) {
		return [{id: `${gate}-canary-${percent}`, gate, label: `Canary ${percent}% held green`, kind: 'auto', check: {kind: 'canary-stage', percent}}];
	}

	if (gate === 'G') {
		return [
			{id: 'G-stabilized', gate, label: `All SLOs green ${formatDuration(plan.canary.stabilizationMs)} at 100%`, kind: 'auto', check: {kind: 'stabilized'}},
		];
	}

	return [];
}

function gateStatus(items: GateItemView[], active: boolean): GateStatus {
	if (items.some((i) => i.status === 'fail')) {
		return 'fail';
	}

	if (items.length > 0 && items.every((i) => i.status === 'pass' || i.status === 'skipped')) {
		return items.some((i) => i.status === 'skipped') ? 'skipped' : 'pass';
	}

	if (active) {
		return 'active';
	}

	return items.some((i) => i.status === 'no_data') ? 'no_data' : 'pending';
}

/**
 * Gates A–G at `now`. For C–F, items other than the stage itself are judged
 * live only while that stage runs (or after it failed); before it they wait,
 * after it passed they stay passed, so later data cannot rewrite history.
 */
export function evaluateGates(plan: Plan, inputs: GateInputs, now: number): GateView[] {
	return gateIds.map((gate): GateView => {
		const planned = plan.gates.filter((g) => g.gate === gate);
		const items = planned.length > 0 ? planned : defaultItems(plan, gate);
		const percent = gatePercent(plan, gate, items);
		const isStageGate = stageGates.includes(gate) && percent !== undefined;
		const relation: StageRelation | null = isStageGate ? stageRelation(plan, inputs.canary, percent) : null;
		const stabilizing = gate === 'G' && inputs.canary.phase.kind === 'stabilizing';
		const views = items.map((item): GateItemView => {
			let result: ItemResult & {output?: string};
			if (item.kind === 'manual') {
				result = evaluateSignOffs(item, inputs.signOffs);
			} else if (item.kind === 'step') {
				result = stepItemResult(item, inputs.steps?.[item.id]);
			} else if (relation === 'before' && item.check.kind !== 'canary-stage') {
				result = {status: 'pending', detail: `waiting for the ${percent}% stage`};
			} else if (relation === 'passed' && percent !== undefined && inputs.canary.skippedSoaks?.[percent] !== undefined) {
				result = {status: 'skipped', detail: skippedLabel({heldMs: inputs.canary.skippedSoaks[percent] ?? 0})};
			} else if (relation === 'passed' && item.check.kind !== 'canary-stage') {
				result = {status: 'pass', detail: `passed at ${percent}%`};
			} else {
				result = evaluateAuto(plan, item, inputs, now);
			}

			return {id: item.id, label: item.label, kind: item.kind, status: result.status, detail: result.detail, ...(result.output ? {output: result.output} : {})};
		});
		const title = isStageGate ? `Canary ${percent}%` : gateTitles[gate];
		return {gate, title, status: gateStatus(views, relation === 'active' || stabilizing), items: views};
	});
}
