/** Feeds events to the canary reducer in order: the last state and every effect asked for. */
import {reduceCanary} from '../../source/core/canary-machine.js';
import type {CanaryEffect, CanaryEvent, CanaryState} from '../../source/core/canary-types.js';
import type {Plan} from '../../source/core/plan-types.js';

export function feedCanary(plan: Plan, state: CanaryState, events: CanaryEvent[]): {state: CanaryState; effects: CanaryEffect[]} {
	let s = state;
	const effects: CanaryEffect[] = [];
	for (const e of events) {
		const step = reduceCanary(plan, s, e);
		s = step.state;
		effects.push(...step.effects);
	}
	return {state: s, effects};
}
