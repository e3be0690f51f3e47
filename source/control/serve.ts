/**
 * The owner opens its control socket beside its journal for the launch's
 * lifetime. A socket that cannot open never stops the launch: it is said on
 * stderr and the console keeps its keys.
 */
import type {EngineHandle} from '../core/operator-commands.js';
import type {Plan} from '../core/plan-types.js';
import type {JournalPort} from '../engine/ports.js';
import {createControlHandler} from './owner.js';
import {controlSocketPath} from './protocol.js';
import {startControlServer, type ControlServer} from './socket-server.js';

export type ServeControlOptions = {
	engine: EngineHandle & {readonly done: Promise<{outcome: string}>};
	plan: Plan;
	journal: JournalPort;
	journalDir: string;
	now: () => number;
	warn: (line: string) => void;
};

export async function serveLaunchControl(options: ServeControlOptions): Promise<ControlServer | null> {
	let outcome: string | null = null;
	void options.engine.done.then((result) => {
		outcome = result.outcome;
	});
	const handle = createControlHandler({engine: options.engine, plan: options.plan, journal: options.journal, now: options.now, outcome: () => outcome});
	try {
		return await startControlServer({socketPath: controlSocketPath(options.journalDir, options.plan), handle});
	} catch (error) {
		options.warn(
			`control socket not opened (golive status/promote/rollback cannot reach this launch): ${error instanceof Error ? error.message : String(error)}`,
		);
		return null;
	}
}
