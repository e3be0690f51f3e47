/**
 * Runbook steps as gate items (`"kind": "step"`): which one runs next, what a
 * result means for its item, and when the operator may run one again. Pure:
 * the engine runs the step (`source/actions/step-runner.ts`) and reports back.
 *
 * A gate's steps run once each, in plan order, when the gate becomes the one
 * being worked on (A, then B once A passed, C–F while their stage runs, G while
 * stabilizing). A step that fails stops the steps after it in the same gate and
 * holds the gate until the operator re-runs it and it passes.
 */
import type {GateItemStatus} from './decision-types.js';
import type {GateId, GateItemPlan, Plan, StepItemPlan} from './plan-types.js';

/** Where one step stands. `output` is its sanitized, redacted tail. */
export type StepRun =
	{status: 'running'; attempt: number; since: number} | {status: 'pass' | 'fail'; at: number; attempts: number; detail: string; output: string};

/** Step runs by gate item id; a step without an entry has not run. */
export type StepStates = Readonly<Record<string, StepRun>>;

function isStep(item: GateItemPlan): item is StepItemPlan {
	return item.kind === 'step';
}

/** The step to start now in `gate`: the first not yet run, unless one runs or an earlier one failed. */
export function nextStep(plan: Plan, gate: GateId | null, states: StepStates): StepItemPlan | null {
	if (gate === null) return null;
	for (const item of plan.gates) {
		if (item.gate !== gate || !isStep(item)) continue;
		const run = states[item.id];
		if (run === undefined) return item;
		if (run.status !== 'pass') return null;
	}
	return null;
}

export type RerunVerdict = {ok: true; states: StepStates} | {ok: false; why: string};

/** The operator asks for a step again: allowed unless it is running; it then waits for its gate's turn. */
export function rerunStep(plan: Plan, states: StepStates, itemId: string): RerunVerdict {
	const item = plan.gates.find((g) => g.id === itemId);
	if (!item || !isStep(item)) {
		const steps = plan.gates.filter(isStep).map((s) => s.id);
		return {ok: false, why: `no step "${itemId}" in the plan (steps: ${steps.join(', ') || 'none'})`};
	}
	const run = states[itemId];
	if (run?.status === 'running') return {ok: false, why: `step ${itemId} is running (attempt ${run.attempt})`};
	const next: Record<string, StepRun> = {...states};
	delete next[itemId];
	return {ok: true, states: next};
}

/** A step's gate item status and its one-line detail. */
export function stepItemResult(item: StepItemPlan, run: StepRun | undefined): {status: GateItemStatus; detail: string; output?: string} {
	const what = item.action.kind === 'command' ? item.action.argv.join(' ') : `${item.action.method} ${item.action.url}`;
	if (run === undefined) return {status: 'pending', detail: `not run yet: ${what}`};
	switch (run.status) {
		case 'running': {
			return {status: 'pending', detail: `running (attempt ${run.attempt}): ${what}`};
		}
		case 'pass':
		case 'fail': {
			return {status: run.status, detail: run.detail, output: run.output};
		}
		default: {
			const _never: never = run;
			return _never;
		}
	}
}

/** Whether a finished attempt met the step's expectation: exit code (default 0) or HTTP status (default any 2xx). */
export function stepPassed(item: StepItemPlan, result: {exitCode: number | null} | {status: number | null}): boolean {
	if ('exitCode' in result) return result.exitCode !== null && result.exitCode === (item.expect?.exitCode ?? 0);
	if (result.status === null) return false;
	const expected = item.expect?.status;
	return expected === undefined ? result.status >= 200 && result.status < 300 : result.status === expected;
}
