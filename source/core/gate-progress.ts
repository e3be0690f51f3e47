/**
 * Which gate the launch is working on, and what in it still holds the way
 * forward. Manual items (approvals) and runbook steps block what their gate
 * gates: A and B the canary's start, C–F the promotion out of their stage, G the
 * success. Pure: the engine passes the blocker into the canary's check.
 */
import type {CanaryState} from './canary-types.js';
import type {GateView} from './decision-types.js';
import {gateOfStage} from './gates.js';
import type {GateId, Plan} from './plan-types.js';

/**
 * The gate being worked on: before the canary the first of A, B not yet passed
 * (null once both passed); the running stage's gate; G while stabilizing.
 */
export function workingGate(plan: Plan, canary: CanaryState, gates: readonly GateView[]): GateId | null {
	const phase = canary.phase;
	switch (phase.kind) {
		case 'pre': {
			for (const id of ['A', 'B'] as const) {
				const gate = gates.find((g) => g.gate === id);
				if (gate && gate.status !== 'pass') return id;
			}
			return null;
		}
		case 'stage': {
			return gateOfStage(plan, phase.percent);
		}
		case 'stabilizing': {
			return 'G';
		}
		case 'succeeded':
		case 'rolled_back':
		case 'aborted': {
			return null;
		}
		default: {
			const _never: never = phase;
			return _never;
		}
	}
}

/** The gate the current stage (or Gate G) must pass before the canary moves on. */
function gateToLeave(plan: Plan, canary: CanaryState): GateId | null {
	const phase = canary.phase;
	if (phase.kind === 'stage') return gateOfStage(plan, phase.percent);
	return phase.kind === 'stabilizing' ? 'G' : null;
}

/**
 * Why the canary may not leave its stage (or Gate G may not succeed) yet: the
 * gate's approvals and steps that have not passed, with their detail. null when
 * nothing of that kind holds it; the SLOs are the reducer's own business.
 */
export function exitBlocker(plan: Plan, canary: CanaryState, gates: readonly GateView[]): string | null {
	const id = gateToLeave(plan, canary);
	const gate = id === null ? undefined : gates.find((g) => g.gate === id);
	if (!gate) return null;
	const open = gate.items.filter((i) => (i.kind === 'manual' || i.kind === 'step') && i.status !== 'pass');
	if (open.length === 0) return null;
	return `Gate ${gate.gate}: ${open.map((i) => `${i.label} (${i.status === 'fail' ? 'FAILED: ' : ''}${i.detail})`).join('; ')}`;
}

/** The environment Gate A validates: `environments.staging`, when the plan runs against another one. */
export function stagingEnvironment(plan: Plan): string | null {
	return Object.hasOwn(plan.environments, 'staging') && plan.environment !== 'staging' ? 'staging' : null;
}

/**
 * Which environment the probes measure: staging while Gate A is being worked
 * on (the runbooks validate performance on staging), the plan's environment
 * from Gate B on (once Gate A passed on staging, or the canary runs).
 */
export function measuredEnvironment(plan: Plan, canary: CanaryState): string {
	const staging = stagingEnvironment(plan);
	return staging !== null && canary.phase.kind === 'pre' && !canary.preLaunchGates?.stagingA ? staging : plan.environment;
}
