/**
 * The post-launch watch after Gate G: when its checkpoints fall due, what each
 * says, and the console's banner. The Fleet Manager playbook reviews every
 * 15 min in hour 1, 30 min to hour 4, 2 h to hour 24; TEEI's run-of-show
 * checkpoints at T+1/4/8/24 h with a day-1 summary. Pure: the engine writes
 * each checkpoint (status message, journal record) when `dueCheckpoints` says.
 */
import {decision, type CanaryStep} from './canary-step.js';
import type {CanaryState, CheckInput} from './canary-types.js';
import type {RuleResult} from './decision-types.js';
import {formatDuration, formatRuleResult, formatRuleValueCompact} from './format.js';
import type {Plan, PostLaunchPlan} from './plan-types.js';

/** A cadence is cut off here: a week of 1-second checkpoints is not a review. */
const maxCheckpoints = 1000;

const hour = 3_600_000;
const day = 24 * hour;

/** The checkpoints' offsets after Gate G passed, ascending, within the watch. */
export function checkpointOffsets(post: PostLaunchPlan): number[] {
	const checkpoints = post.checkpoints;
	if ('offsetsMs' in checkpoints) return checkpoints.offsetsMs.filter((o) => o <= post.watchMs);
	const offsets: number[] = [];
	for (let at = checkpoints.everyMs; at <= post.watchMs && offsets.length < maxCheckpoints; at += checkpoints.everyMs) offsets.push(at);
	return offsets;
}

/** `T+1h`, `T+30m`, `T+1h30m`, `T+20s`. */
export function offsetLabel(ms: number): string {
	const h = Math.floor(ms / hour);
	const m = Math.floor((ms % hour) / 60_000);
	const s = Math.floor((ms % 60_000) / 1000);
	if (h === 0 && m === 0) return `T+${s}s`;
	return `T+${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 ? `${s}s` : ''}`;
}

export type Checkpoint = {index: number; offsetMs: number; label: string; dayOne: boolean};

/** Checkpoints from `written` on whose time has come (oldest first). */
export function dueCheckpoints(post: PostLaunchPlan, startedAt: number, written: number, now: number): Checkpoint[] {
	return checkpointOffsets(post)
		.map((offsetMs, index) => ({index, offsetMs, label: offsetLabel(offsetMs), dayOne: offsetMs === day}))
		.filter((c) => c.index >= written && startedAt + c.offsetMs <= now);
}

/** The next checkpoint after `written` were written, or null when none is left. */
function nextCheckpoint(post: PostLaunchPlan, written: number): number | null {
	return checkpointOffsets(post)[written] ?? null;
}

/** Elapsed time as the run-of-show writes it: `T+1:12` (h:mm) for a watch of an hour or more, `T+0:42` (m:ss) below. */
function elapsedLabel(post: PostLaunchPlan, ms: number): string {
	const clamp = Math.max(0, ms);
	const long = post.watchMs >= hour;
	const major = Math.floor(clamp / (long ? hour : 60_000));
	const minor = Math.floor((clamp % (long ? hour : 60_000)) / (long ? 60_000 : 1000));
	return `T+${major}:${String(minor).padStart(2, '0')}`;
}

/** `POST-LAUNCH WATCH T+1:12 · next checkpoint T+4h` (or `· last checkpoint written`). */
export function watchBanner(post: PostLaunchPlan, startedAt: number, written: number, now: number): string {
	const next = nextCheckpoint(post, written);
	return `POST-LAUNCH WATCH ${elapsedLabel(post, now - startedAt)} · ${next === null ? 'all checkpoints written' : `next checkpoint ${offsetLabel(next)}`}`;
}

/** `Error: 0.2%, board_p95: 412ms`: the check's error rate and its latency rules. */
function checkSummary(input: Pick<CheckInput, 'errorRate' | 'rules'>): string {
	const latencies = input.rules.filter((r) => r.unit === 'ms').map((r) => `${r.ruleId}: ${formatRuleValueCompact(r.value, 'ms')}`);
	return [`Error: ${formatRuleValueCompact(input.errorRate, 'ratio')}`, ...latencies].join(', ');
}

/** The checkpoint's status message: green or not, the numbers, what comes next. */
export function checkpointMessage(plan: Plan, checkpoint: Checkpoint, input: Pick<CheckInput, 'errorRate' | 'rules'>): string {
	const failing: RuleResult[] = input.rules.filter((r) => r.status !== 'PASS');
	const verdict = failing.length === 0 ? 'All SLOs green' : `NOT green: ${failing.map(formatRuleResult).join('; ')}`;
	const what = checkpoint.dayOne ? 'Day 1 summary' : 'checkpoint';
	const post = plan.postLaunch;
	const next = post ? nextCheckpoint(post, checkpoint.index + 1) : null;
	const after = next === null ? (post ? `Watch ends at ${offsetLabel(post.watchMs)}.` : '') : `Next: ${offsetLabel(next)}.`;
	return `${checkpoint.label} ${what}: ${plan.service} ${verdict}. ${checkSummary(input)}. ${after}`.trimEnd();
}

/** Gate G passed: with a `postLaunch` plan the watch starts now, triggers armed. */
export function startWatch(plan: Pick<Plan, 'postLaunch'>, at: number): {watch?: NonNullable<CanaryState['watch']>} {
	return plan.postLaunch ? {watch: {startedAt: at, until: at + plan.postLaunch.watchMs, endedAt: null}} : {};
}

/** The first check at or after the watch's end closes it: the triggers switch off and the run may end. */
export function endWatch(state: CanaryState, at: number): CanaryStep | null {
	const watch = state.watch;
	if (state.phase.kind !== 'succeeded' || !watch || watch.endedAt !== null || at < watch.until) return null;
	const d = decision('hold', at, `Post-launch watch over after ${formatDuration(watch.until - watch.startedAt)}: no rollback trigger fired`);
	return {state: {...state, watch: {...watch, endedAt: at}, lastDecision: d}, effects: [{kind: 'announce', decision: d}]};
}

/** Where a rollback decided now stands: in Gate G or in the watch (the gates before keep their pass). */
export function rollbackDuring(state: CanaryState): {during?: 'gate_g' | 'watch'} {
	if (state.phase.kind === 'stabilizing') return {during: 'gate_g'};
	return state.phase.kind === 'succeeded' ? {during: 'watch'} : {};
}

/** The checkpoints due now in a running (or just ended) watch; none outside one. */
export function dueWatchCheckpoints(plan: Pick<Plan, 'postLaunch'>, canary: CanaryState, written: number, at: number): Checkpoint[] {
	const post = plan.postLaunch;
	const watch = canary.watch;
	if (!post || !watch || canary.phase.kind !== 'succeeded') return [];
	return dueCheckpoints(post, watch.startedAt, written, Math.min(at, watch.until));
}

/** The console's banner while the watch runs; null otherwise. */
export function watchBannerFor(plan: Pick<Plan, 'postLaunch'>, canary: CanaryState, written: number, at: number): string | null {
	const post = plan.postLaunch;
	const watch = canary.watch;
	if (!post || !watch || watch.endedAt !== null || canary.phase.kind !== 'succeeded') return null;
	return watchBanner(post, watch.startedAt, written, at);
}
