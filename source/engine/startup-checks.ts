/**
 * Runs the start-up infra checks (health, DNS, TLS, the flag's read-back):
 * once at start, then again at every check while the core says they are due
 * (`core/startup-checks.ts`: before the canary, gates A and B not passed).
 * The flag itself is read at every check by the action runner.
 */
import {startupChecksDue} from '../core/startup-checks.js';
import type {EngineContext} from './engine-context.js';

export type StartupChecks = {
	/** Runs the infra checks and keeps their results. */
	run(): Promise<void>;
	/** At a check: runs them again in the background when due. */
	atCheck(): void;
};

export function createStartupChecks(ctx: EngineContext): StartupChecks {
	const {state} = ctx;
	let running = false;

	async function run(): Promise<void> {
		running = true;
		try {
			state.infraResults = await ctx.ports.infra.run().catch((error: unknown) => ({infra: {status: 'no_data' as const, detail: String(error)}}));
		} finally {
			running = false;
		}
	}

	return {
		run,
		atCheck() {
			if (state.result || !startupChecksDue(state.canary, running)) return;
			void run().then(() => ctx.publishQuietly());
		},
	};
}
