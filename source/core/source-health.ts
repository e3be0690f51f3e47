/**
 * Whether a measuring source can be trusted right now, as the screen's source
 * line and the stream's `sources` show it. Not trusted is never green.
 */
import type {ProbeSnapshot, SourceState} from './measurements.js';

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
