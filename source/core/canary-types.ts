/**
 * The canary state machine's state and events. The reducer (`canary-machine.ts`)
 * is `(state, event) => {state, effects}`: pure, clock passed in events.
 */
import type {Decision, GateView, RuleResult} from './decision-types.js';
import type {MonitorAlert} from './fleet-checks.js';
import type {JudgeTracks} from './judge/judge-tracking.js';
import type {AlarmView} from './measurements.js';

export type CanaryPhase =
	/** Before the canary starts: gates A and B. */
	| {kind: 'pre'}
	/** At stage `index` (percent = stages[index]); `greenSince` = start of the current all-green run. */
	| {kind: 'stage'; index: number; percent: number; enteredAt: number; greenSince: number | null}
	/** Gate G: 100 %, waiting for `stabilizationMs` of continuous green. */
	| {kind: 'stabilizing'; enteredAt: number; greenSince: number | null}
	| {kind: 'succeeded'; at: number}
	/** A rollback was decided; the flag write is in flight or done, probes confirming. */
	| {
			kind: 'rolled_back';
			at: number;
			decision: Decision;
			rollback: 'emergency' | 'full';
			/** Epoch ms when the flag read back at 0 %; null/absent while the write is in flight (the probes' confirmation is `Mitigation.confirmedAt`). */
			flagReadBackAt?: number | null;
			/** Decided in Gate G or the post-launch watch: the gates before keep their pass. */
			during?: 'gate_g' | 'watch';
			/** The full-rollback command runs once the flag reads back at 0 % (`onGateGFail: "full"`). */
			fullOnZero?: boolean;
	  }
	/** Stopped without rollback (flag changed by someone else, operator abort). */
	| {
			kind: 'aborted';
			at: number;
			reason: string;
			/** Stopped by a flag change made outside golive: what it expected and what it read (the operator may acknowledge it). */
			outside?: {from: number | null; to: number};
	  };

export type CanaryState = {
	phase: CanaryPhase;
	/** Auto-advance off (space). Rollback triggers still fire. */
	paused: boolean;
	/** Stage percent → green time it held when the operator skipped the rest of its soak (never reported PASSED). */
	skippedSoaks?: Record<number, number>;
	/** False after a rollback until the operator re-arms: nothing promotes meanwhile. */
	armed: boolean;
	/** Consecutive checks with error rate above the burst threshold. */
	errorBurstCount: number;
	/** Per SLO rule id: epoch ms since when it has been continuously BREACH. */
	breachSince: Record<string, number>;
	/** The last decision taken, for the screen's "why". */
	lastDecision: Decision | null;
	/**
	 * A flag write asked for and not yet read back. A stage's clock starts only
	 * when its percent is confirmed; while a write is pending nothing else promotes.
	 */
	pending?: PendingFlagWrite | null;
	/** Epoch ms of the last check; a gap of more than 2 check intervals restarts the green run. */
	lastCheckAt?: number | null;
	/** Whether the last check was complete, passing data (manual promote and start need it). */
	lastCheckGreen?: boolean;
	/** Why the last check was not green, for a refused promote's "why". */
	lastCheckNote?: string;
	/** What in the current gate (approvals, steps) held the last check; promote waits for it too. */
	exitBlocker?: string | null;
	/** After Gate G with a `postLaunch` plan: triggers armed until `until`; `endedAt` once it is over. */
	watch?: {startedAt: number; until: number; endedAt: number | null} | null;
	/** Per rule with `compare`: consecutive checks in which V2 was judged worse than V1 (`judge/judge-tracking.ts`). */
	judge?: JudgeTracks;
	/** How the canary may start by itself and when waiting for it ends; absent: only the operator starts it. */
	launchPolicy?: LaunchPolicy;
	/**
	 * Gates A and B as last evaluated (the `gates` event). While `frozen` they stand as they
	 * were when the canary started: a later breach shows in the canary's gates, not as a
	 * failed staging validation.
	 */
	preLaunchGates?: {gates: GateView[]; frozen: boolean; /** Gate A as it passed on staging. */ stagingA?: GateView} | null;
	/** Before the canary after an acknowledged outside change to 0 %: it starts only when the operator says so, never by itself. */
	startByOperator?: boolean;
	/** Restarted on an unfinished launch at a stage: triggers armed, nothing promotes by itself (`resume-guard.ts`). */
	resumeGuard?: ResumeGuard | null;
};

/** A resumed launch's stage, guarded with auto-advance off until the operator acts. */
export type ResumeGuard = {
	/** The stage the flag read at restart. */
	percent: number;
	/** Epoch ms the resumed run began. */
	since: number;
	/** Headless: end the watch (inconclusive) after this long; null in the console, which waits for the operator. */
	endAfterMs: number | null;
};

/** Starting by itself and giving up: fixed for the launch, kept through a re-arm. */
export type LaunchPolicy = {
	/** Start the canary when gates A and B pass and a check is green (`--auto`). */
	autoStart: boolean;
	/** Epoch ms the launch began: the pre-launch timeout counts from here. */
	startedAt: number;
	/** Waiting for gates A and B longer than this ends the launch inconclusive; null waits for the operator. */
	preLaunchTimeoutMs: number | null;
};

/** A flag write the reducer asked for, waiting for `flag_confirmed` or `action_failed`. */
export type PendingFlagWrite = {
	purpose: 'start' | 'promote' | 'rollback';
	percent: number;
	/** Epoch ms when the write was decided. */
	since: number;
	/** Writes tried so far (a failed rollback write is retried with backoff until it holds). */
	attempts: number;
	/** Rollback only: epoch ms of the first failed try; null/absent while none failed. */
	firstFailedAt?: number | null;
	/** Rollback only: epoch ms when the next try is due (`retry_due`); null/absent while a try is in flight. */
	nextTryAt?: number | null;
	/** Rollback only: `actions.rollbackRetryForMs` is spent (headless ends with exit 4; the console keeps retrying). */
	gaveUp?: boolean;
	/** Rollback only: why the last try failed, with the flag's last read value. */
	lastFailure?: string | null;
};

/** One periodic check: every input the decision needs, already evaluated. */
export type CheckInput = {
	at: number;
	rules: RuleResult[];
	/** Blended error rate across probes over the check window; NaN when unknown. */
	errorRate: number;
	errorRateSamples: number;
	/** Canary latency statistic (abort.latency), NaN when unknown. */
	latencyMs: number;
	latencySamples: number;
	alarms: AlarmView[];
	/** CloudWatch source healthy (alarms trustworthy). */
	alarmsKnown: boolean;
	/** Age of the newest sample behind `errorRate`, ms; null when unknown. */
	errorRateAgeMs?: number | null;
	/** Age of the newest sample behind `latencyMs`, ms; null when unknown. */
	latencyAgeMs?: number | null;
	/** The current gate's approvals or steps not yet passed (`exitBlocker` in gate-progress.ts); null when none. */
	exitBlocker?: string | null;
	/** Fleet locations whose synthetic checks failed `triggers.syntheticFailures.consecutive` times in a row; absent or empty when none (or unknown). */
	syntheticFailures?: MonitorAlert[];
};

export type CanaryEvent =
	/** Gates A and B passed: set the first stage. `auto` when the engine starts it by itself. @default 'operator' */
	| {type: 'start'; at: number; by?: 'auto' | 'operator'}
	| {type: 'check'; input: CheckInput}
	/** The gates as evaluated for the screen: records gates A and B (start refusals read them) and freezes them once the canary starts. */
	| {type: 'gates'; at: number; gates: GateView[]}
	/** The flag as read when the console starts: a flag already up pauses auto-advance. */
	| {type: 'flag_read'; at: number; percent: number}
	/** The flag as read at a check. A value golive did not write (and is not writing) is an outside change. */
	| {type: 'flag_observed'; at: number; percent: number}
	/** `to`: a later stage than the next; `skip`: the operator confirmed promoting before the stage held its green time. */
	| {type: 'promote'; at: number; by: 'operator'; to?: number; skip?: boolean}
	| {type: 'pause'; at: number}
	| {type: 'resume'; at: number}
	| {type: 'rollback'; at: number; rollback: 'emergency' | 'full'; reason: string; by: 'operator'}
	/** The flag was changed by someone else (compare-and-set failed or read-back differs). */
	| {type: 'external_change'; at: number; observedPercent: number}
	| {type: 'rearm'; at: number}
	/** The operator accepts an outside flag change: the launch goes on from `percent`, the flag as read at `readAt` (`acknowledge.ts`). */
	| {type: 'acknowledge'; at: number; percent: number | null; readAt: number | null}
	/** The engine read the flag back after a write the reducer asked for. */
	| {
			type: 'flag_confirmed';
			at: number;
			percent: number;
			/** The percent that write asked for; a write the reducer no longer waits for (a promote overtaken by a rollback) changes nothing. */
			requested?: number;
	  }
	/** A write the reducer asked for failed (timeout, HTTP error, command exit ≠ 0). */
	| {
			type: 'action_failed';
			at: number;
			action: 'set_flag' | 'full_rollback';
			detail: string;
			/** As in `flag_confirmed`. */
			requested?: number;
			/** In [0, 1]: spreads a failed rollback's next try over its backoff window. @default 0.5 */
			jitter?: number;
	  }
	/** Time passed: a failed rollback whose next try is due is tried again. */
	| {type: 'retry_due'; at: number};

/** Why a flag write is asked for: the engine journals and shows the purpose the reducer gives, never a guess from percents. */
type FlagWritePurpose = 'promote' | 'emergency_rollback';

/** What the reducer asks the engine to do. The engine journals, then acts. */
export type CanaryEffect =
	| {kind: 'set_flag'; purpose: FlagWritePurpose; percent: number; decision: Decision}
	| {kind: 'full_rollback'; decision: Decision}
	| {kind: 'announce'; decision: Decision}
	/** A line for the event log that is neither a decision nor a status message. */
	| {kind: 'notice'; level: 'info' | 'success' | 'warn'; text: string}
	/** Gates A and B did not pass within the pre-launch timeout: the launch ends inconclusive, nothing was changed. */
	| {kind: 'give_up'; reason: string};

/** What an effect that acts is for, as journal, screen and stream name it. */
export type ActionPurpose = FlagWritePurpose | 'full_rollback';
