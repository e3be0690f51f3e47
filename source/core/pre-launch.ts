/**
 * Before the canary: gates A and B must pass before anything is written, and
 * once the canary has started they stand as they were (a later breach belongs
 * to the canary's gates, not to a failed staging validation).
 */
import type {CanaryState, LaunchPolicy} from './canary-types.js';
import type {GateView} from './decision-types.js';
import type {Plan} from './plan-types.js';
import {resumeGuardAt} from './resume-guard.js';

/** The gates that must pass before the first flag write. */
const preLaunchGateIds: ReadonlyArray<GateView['gate']> = ['A', 'B'];

function isPreLaunchGate(gate: GateView): boolean {
	return preLaunchGateIds.includes(gate.gate);
}

/** Why gates A and B keep the canary from starting, or null when they pass (or were never evaluated). */
export function preLaunchBlocker(state: CanaryState): string | null {
	const gates = state.preLaunchGates?.gates ?? [];
	for (const id of preLaunchGateIds) {
		const gate = gates.find((g) => g.gate === id);
		if (!gate) continue;
		if (gate.status !== 'pass') {
			const open = gate.items.filter((i) => i.status !== 'pass').map((i) => `${i.label}: ${i.detail}`);
			return `Gate ${id} not passed — ${open.join('; ') || gate.status}`;
		}
	}
	return null;
}

/**
 * Records the newest gates A and B before the canary; after it started, keeps the first ones seen (frozen).
 * `stagingA`: Gate A validated staging, so once it passed its verdict stands while the probes measure production.
 */
export function recordPreLaunchGates(state: CanaryState, gates: GateView[], stagingA = false): CanaryState {
	const current = state.preLaunchGates ?? null;
	if (state.phase.kind === 'pre') {
		const passedA = stagingA ? (current?.stagingA ?? gates.find((g) => g.gate === 'A' && g.status === 'pass')) : undefined;
		const recorded = gates.filter(isPreLaunchGate).map((g) => (passedA && g.gate === 'A' ? passedA : g));
		return {...state, preLaunchGates: {gates: recorded, frozen: false, ...(passedA ? {stagingA: passedA} : {})}};
	}
	if (current?.frozen) return state;
	return {...state, preLaunchGates: {gates: gates.filter(isPreLaunchGate), frozen: true}};
}

/** The gates as the screen, stream and journal show them: A and B frozen once the canary started. */
export function gatesInView(state: CanaryState, gates: GateView[]): GateView[] {
	const recorded = state.preLaunchGates;
	const frozen = recorded?.frozen ? recorded.gates : recorded?.stagingA ? [recorded.stagingA] : [];
	return gates.map((g) => frozen.find((f) => f.gate === g.gate) ?? g);
}

/** Why waiting for gates A and B is over, or null while the launch may keep waiting. */
export function preLaunchTimedOut(policy: LaunchPolicy | undefined, blocker: string, at: number): string | null {
	if (!policy || policy.preLaunchTimeoutMs === null || at - policy.startedAt < policy.preLaunchTimeoutMs) return null;
	return `Launch did not start within ${Math.round(policy.preLaunchTimeoutMs / 1000)} s: ${blocker}`;
}

export type LaunchStateOptions = LaunchPolicy & {
	/** Restarted on an unfinished launch with the flag at this percent: that stage, paused, its triggers armed. @default none */
	resumeAtPercent?: number;
	/** Headless: how long a resumed stage is watched at most before the run ends inconclusive; null: until the operator acts. @default null */
	resumeWatchMs?: number | null;
};

/**
 * The reducer's state when a launch begins. Without `autoStart` auto-advance
 * starts paused; an unfinished launch's flag percent shows its stage, paused:
 * nothing moves until the operator does.
 */
export function initialLaunchState(plan: Plan, base: CanaryState, options: LaunchStateOptions): CanaryState {
	const launchPolicy: LaunchPolicy = {autoStart: options.autoStart, startedAt: options.startedAt, preLaunchTimeoutMs: options.preLaunchTimeoutMs};
	const index = options.resumeAtPercent === undefined ? -1 : plan.canary.stages.indexOf(options.resumeAtPercent);
	if (index >= 0) {
		const percent = plan.canary.stages[index]!;
		return {
			...base,
			launchPolicy,
			paused: true,
			phase: {kind: 'stage', index, percent, enteredAt: options.startedAt, greenSince: null},
			resumeGuard: resumeGuardAt(percent, options.startedAt, options.resumeWatchMs ?? null),
		};
	}
	return {...base, launchPolicy, paused: !options.autoStart};
}
