/** Start-up checks re-run at every check until gates A and B pass, one run at a time, never after the canary started. */
import {describe, expect, it} from 'vitest';
import {initialCanaryState, reduceCanary} from '../source/core/canary-machine.js';
import type {CanaryState} from '../source/core/canary-types.js';
import {startupChecksDue} from '../source/core/startup-checks.js';
import {seedPlan, t0} from './helpers/plan-fixture.js';
import {gates} from './helpers/snapshot-fixtures.js';

const plan = seedPlan();
const failingB = gates({B: {status: 'fail', items: [{id: 'b-health', label: 'Health endpoints 200', kind: 'auto', status: 'fail', detail: 'HTTP 500'}]}});
const withGates = (state: CanaryState, g = failingB): CanaryState => reduceCanary(plan, state, {type: 'gates', at: t0, gates: g}).state;

describe('startupChecksDue', () => {
	it('is due before the canary while gate A or B does not pass, and not while a run is in flight', () => {
		const failing = withGates(initialCanaryState());
		expect(startupChecksDue(failing, false)).toBe(true);
		expect(startupChecksDue(failing, true)).toBe(false);
		expect(startupChecksDue(withGates(initialCanaryState(), gates({A: {status: 'no_data'}})), false)).toBe(true);
	});

	it('stops once gates A and B pass, once the first write is decided, and after the canary started', () => {
		expect(startupChecksDue(withGates(initialCanaryState(), gates()), false)).toBe(false);
		const starting: CanaryState = {...withGates(initialCanaryState()), pending: {purpose: 'start', percent: 10, since: t0, attempts: 1}};
		expect(startupChecksDue(starting, false)).toBe(false);
		const staged: CanaryState = {...withGates(initialCanaryState()), phase: {kind: 'stage', index: 0, percent: 10, enteredAt: t0, greenSince: null}};
		expect(startupChecksDue(staged, false)).toBe(false);
	});
});
