/**
 * The report's headline. After a rollback it comes from the journaled mitigation (read-backs and probes):
 * `ROLLBACK` = flag read 0 % and health verified; `ROLLBACK — NOT HEALTHY` = flag 0 % but health
 * never came back; `ROLLBACK FAILED` = the flag never read 0 % (exit 4).
 */
import type {JournalRecord} from '../journal/records.js';
import type {LaunchResult} from './report-types.js';

type LaunchEnd = Extract<JournalRecord, {type: 'launch_end'}>;

export type ResultFacts = {
	end: LaunchEnd | null;
	/** Rollbacks ordered in the journal. */
	rollbacks: number;
	/** The newest rollback's reason, if any. */
	lastRollbackReason: string | undefined;
	/** The flag's last read-back percent. */
	currentPercent: number;
};

/** The headline and its reason; `clean` redacts and sanitizes text taken from the journal. */
export function launchResult(facts: ResultFacts, clean: (text: unknown) => string): {result: LaunchResult; resultReason: string} {
	const {end} = facts;
	if (end?.outcome === 'success') return {result: 'SUCCESS', resultReason: end.reason ? clean(end.reason) : 'launch completed'};
	if (end?.outcome === 'rollback_failed') return {result: 'ROLLBACK FAILED', resultReason: clean(end.reason)};
	if (end?.outcome === 'rolled_back' || facts.rollbacks > 0)
		return {
			result: end?.mitigation && !end.mitigation.healthRestored ? 'ROLLBACK — NOT HEALTHY' : 'ROLLBACK',
			resultReason: clean(end?.reason || facts.lastRollbackReason || 'rolled back'),
		};
	return {result: 'PARTIAL', resultReason: end ? `${end.outcome}: ${clean(end.reason)}` : `unfinished at ${facts.currentPercent} %`};
}
