/**
 * Whether a rollback mitigated the incident, from measurements only. "Health
 * verified" needs, after the flag read back 0 %: consecutive successful
 * responses (2xx/3xx, no timeout, no transport error), none from the canary,
 * and every plan rule passing on data newer than the rollback. Timeouts, 5xx
 * and connection errors break the run. After `actions.postRollbackWatchMs`
 * without that, the verdict is "NOT healthy". Pure: counters and clock come in.
 */
import type {RuleResult} from './decision-types.js';
import type {ProbeSnapshot} from './measurements.js';
import type {Plan} from './plan-types.js';
import type {Mitigation} from './snapshot.js';

/** Responses in a row that confirm health after a rollback. @default 20 */
const defaultHealthEvidence = 20;

/** Cumulative probe counters, summed over probes. */
export type ResponseCounters = {requests: number; successes: number; canary: number};

export function responseCounters(probes: ProbeSnapshot[], canaryVariant: string): ResponseCounters {
	let requests = 0;
	let successes = 0;
	let canary = 0;
	for (const p of probes) {
		requests += p.totalRequests;
		successes += p.totalSuccesses ?? 0;
		canary += p.variants[canaryVariant]?.count ?? 0;
	}
	return {requests, successes, canary};
}

/** A run of clean responses: where it started and the counters last seen. */
export type CleanRun = {startSuccesses: number; last: ResponseCounters};

export function startCleanRun(counters: ResponseCounters): CleanRun {
	return {startSuccesses: counters.successes, last: counters};
}

/**
 * Extends the run with the responses since the last look. Any response that
 * was not a success, or any canary response, restarts it: the count is of
 * responses in a row, never of requests sent.
 */
export function advanceCleanRun(run: CleanRun, now: ResponseCounters): {run: CleanRun; inARow: number} {
	const newRequests = now.requests - run.last.requests;
	const newSuccesses = now.successes - run.last.successes;
	const dirty = now.canary !== run.last.canary || newSuccesses < newRequests || newRequests < 0;
	const next: CleanRun = dirty ? startCleanRun(now) : {startSuccesses: run.startSuccesses, last: now};
	return {run: next, inARow: now.successes - next.startSuccesses};
}

export type MitigationVerdict = {kind: 'verified'; detail: string} | {kind: 'watching'; why: string} | {kind: 'not_healthy'; detail: string};

export type MitigationInput = {
	at: number;
	/** Epoch ms when the flag read back 0 %. */
	appliedAt: number;
	/** Successful responses in a row since the last failure or canary response. */
	inARow: number;
	/** The plan's rules as last evaluated. */
	rules: RuleResult[];
	canaryVariant: string;
	/** @default defaultHealthEvidence */
	evidence?: number;
};

function postRollbackWatchMs(plan: Pick<Plan, 'actions'>): number {
	return plan.actions.postRollbackWatchMs;
}

/** Why health is not (yet) proven, or null when it is. */
function notYetHealthy(plan: Pick<Plan, 'slos'>, input: MitigationInput): string | null {
	const evidence = input.evidence ?? defaultHealthEvidence;
	const why: string[] = [];
	const cleanRun = input.inARow >= evidence;
	if (!cleanRun) why.push(`${Math.max(0, input.inARow)} of ${evidence} successful responses in a row without ${input.canaryVariant}`);
	for (const rule of plan.slos) {
		const r = input.rules.find((x) => x.ruleId === rule.id);
		// A probe error rate's post-rollback data is the clean run itself: N successes in a row is 0 % errors since
		// the rollback, while the rule's own window (5 minutes) still holds the incident's errors.
		if (cleanRun && rule.source.kind === 'probe' && rule.source.stat === 'errorRate' && r !== undefined && r.status !== 'NO_DATA') continue;
		if (!r) why.push(`${rule.id} not evaluated`);
		else if (r.status !== 'PASS') why.push(`${r.ruleId} ${r.status}`);
		// A window's newest sample older than the rollback says nothing about the service after it.
		else if (r.ageMs === null || input.at - r.ageMs < input.appliedAt) why.push(`${r.ruleId} has no data since the rollback`);
	}
	if (plan.slos.length === 0) why.push('the plan has no SLO rules: nothing proves health');
	return why.length === 0 ? null : why.join('; ');
}

export function mitigationVerdict(plan: Pick<Plan, 'slos' | 'actions'>, input: MitigationInput): MitigationVerdict {
	const why = notYetHealthy(plan, input);
	if (why === null)
		return {
			kind: 'verified',
			detail: `${input.inARow} successful responses in a row, none from ${input.canaryVariant}; every rule passes on data since the rollback (error rates: 0 % over that run)`,
		};
	if (input.at - input.appliedAt >= postRollbackWatchMs(plan)) return {kind: 'not_healthy', detail: why};
	return {kind: 'watching', why};
}

/** What `result.mitigation` says after a rollback: each field from a read-back or a measurement. */
export type MitigationSummary = {
	/** The flag as last read back; null when unknown. */
	flagPercent: number | null;
	/** The flag read back at 0 %. */
	verified: boolean;
	/** Health came back after it (clean responses, none from the canary, rules passing). */
	healthRestored: boolean;
};

export function mitigationSummary(mitigation: Mitigation | null, flagPercent: number | null): MitigationSummary | null {
	if (!mitigation) return null;
	const phase = mitigation.rollback.phase;
	const verified = phase === 'applied' || phase === 'verified' || phase === 'not_healthy';
	return {flagPercent, verified, healthRestored: phase === 'verified'};
}
