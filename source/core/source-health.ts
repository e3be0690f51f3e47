/**
 * Whether a measuring source can be trusted right now, as the screen's source
 * line and the stream's `sources` show it. Not trusted is never green.
 */
import type {ProbeSnapshot, SourceState} from './measurements.js';
import {sourceNotOkWhy} from './measurements.js';
import type {Plan} from './plan-types.js';

/** The probes as one source: starting, degraded (scheduler behind), unreachable (every request failed) or ok. */
export function probeSourceState(list: ProbeSnapshot[]): SourceState {
	if (list.length === 0) return {kind: 'starting'};
	const invalid = list.filter((p) => !p.scheduler.valid);
	if (invalid.length > 0) return {kind: 'degraded', why: `scheduler could not hold the rate: ${invalid.map((p) => p.probeId).join(', ')}`, retryInMs: 0};
	const dead = list.filter((p) => p.windows['1m'].requests > 0 && p.windows['1m'].errors === p.windows['1m'].requests);
	if (dead.length > 0) {
		const first = dead[0]!;
		return {kind: 'error', code: 'unreachable', message: `${first.probeId}: every request failed${first.lastError ? ` (${first.lastError})` : ''}`};
	}
	return {kind: 'ok'};
}

/** A source whose last good read is older than this many of its read intervals is stale. */
const staleAfterReads = 3;

/** How old each source's last good read may be, from the plan: the probes and the flag are read at every check, CloudWatch at its poll interval. */
export type SourceStaleBounds = {probes: number; cloudwatch: number; flag: number};

/**
 * The bounds for a plan. `cloudWatchPollMs` is the interval the poller really uses
 * (a real endpoint is never polled faster than every 10 s, whatever the plan says).
 */
export function sourceStaleBounds(plan: Pick<Plan, 'canary'>, cloudWatchPollMs: number | null): SourceStaleBounds {
	const check = staleAfterReads * plan.canary.checkIntervalMs;
	return {probes: check, flag: check, cloudwatch: cloudWatchPollMs === null ? check : Math.max(check, staleAfterReads * cloudWatchPollMs)};
}

/**
 * What a source says of itself, judged by the age of its last good read: past
 * `maxAgeMs` it is `stale` (with that age, and what it says now), whether it
 * still says ok (a reading that stopped coming) or fails (its last values are
 * old). Starting and disabled sources have no old values to judge.
 */
export function judgeSourceAge(state: SourceState, lastOkAt: number | null, at: number, maxAgeMs: number): SourceState {
	if (state.kind === 'starting' || state.kind === 'disabled' || state.kind === 'stale' || lastOkAt === null) return state;
	const ageMs = Math.max(0, at - lastOkAt);
	if (ageMs <= maxAgeMs) return state;
	return {kind: 'stale', lastOkAt, ageMs, why: state.kind === 'ok' ? 'no new reading' : sourceNotOkWhy(state)};
}

/** When the probes last read well: the newest probe snapshot, if some of its requests were answered (a scheduler behind is degraded, not stale). */
export function probesLastOkAt(list: ProbeSnapshot[], previous: number | null): number | null {
	const kind = probeSourceState(list).kind;
	if (kind !== 'ok' && kind !== 'degraded') return previous;
	const newest = Math.max(...list.map((p) => p.at));
	return previous === null ? newest : Math.max(previous, newest);
}
