/**
 * Start-up checks that failed once are not final: before the canary, while
 * gates A and B do not pass, the infra checks (health, DNS, TLS, the flag's
 * read-back) run again at every check interval, one run at a time. Until a run
 * comes back, the last results stand: a check that is failing never reads green.
 */
import type {CanaryState} from './canary-types.js';
import {preLaunchBlocker} from './pre-launch.js';

/** Whether the infra checks run again at this check: before the canary, gates A or B not passed, no run in flight. */
export function startupChecksDue(state: CanaryState, running: boolean): boolean {
	return !running && state.phase.kind === 'pre' && state.pending == null && preLaunchBlocker(state) !== null;
}
