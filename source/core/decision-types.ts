/**
 * Results of evaluating rules, gates and the canary. Every verdict explains
 * itself: rule id, window, observed value, threshold, sample count, data age.
 */
import type {Comparison} from './judge/comparison.js';
import type {GateId, Severity, WindowName} from './plan-types.js';

/** `STALE`: there is a value, but older than the rule's `maxAgeMs` — never a pass, never green. */
export const ruleStatuses = ['PASS', 'BREACH', 'NO_DATA', 'STALE'] as const;
export type RuleStatus = (typeof ruleStatuses)[number];

export type RuleResult = {
	ruleId: string;
	label: string;
	status: RuleStatus;
	/** NaN when not known. */
	value: number;
	threshold: number;
	op: '<' | '<=';
	unit: 'ms' | 'ratio' | 'count';
	window: WindowName;
	/** The window's real length when the plan sets `windowsMs` (a time-compressed plan's "1m" may be 8 s): what text names. */
	windowMs?: number;
	samples: number;
	/** ms since the newest datapoint, null when none. */
	ageMs: number | null;
	/** `probe:board` or `cloudwatch:api_p95`. */
	source: string;
	/** Why it is NO_DATA (empty window, stale, NaN, source error, too few samples). */
	note?: string;
	/** Rules with `compare`: V2 against V1 at this check (see source/core/judge/). */
	comparison?: Comparison;
};

/** The evidence attached to a decision: what was seen. */
export type Evidence = {
	ruleId: string;
	window: string;
	/** The window's real length, when the plan sets `windowsMs`. */
	windowMs?: number;
	value: number;
	threshold: number;
	samples: number;
	ageMs: number | null;
};

export const decisionKinds = ['promote', 'hold', 'rollback', 'succeed', 'abort'] as const;
type DecisionKind = (typeof decisionKinds)[number];

export type TriggerId =
	'slo_breach_sustained' | 'error_burst' | 'canary_error_rate' | 'canary_latency' | 'alarm' | 'canary_comparison' | 'synthetic_failures' | 'operator';

export type Decision = {
	kind: DecisionKind;
	/** Epoch ms. */
	at: number;
	/** One line a human reads: "board_p95 BREACH 912 ms ≥ 800 ms for 10:00 (5m, 3120 samples)". */
	reason: string;
	/** For rollbacks: which trigger fired. */
	trigger?: TriggerId;
	/** The plan's severity of the rule behind it (`severities`), when it has one. */
	severity?: Severity;
	/** For promotions/rollbacks: the flag percent being left and the target. */
	fromPercent?: number;
	toPercent?: number;
	evidence: Evidence[];
	/** An operator promote before the stage held its green time (confirmed by typing SKIP). */
	skippedSoak?: SoakSkip;
};

/** What an early promote leaves out: journaled on the decision, reported `SKIPPED (operator, held 0:03)`. */
export type SoakSkip = {
	/** The stage whose soak is cut short. */
	stagePercent: number;
	heldMs: number;
	requiredMs: number;
	/** Stages jumped over entirely (promote 10 → 50 skips 30). */
	jumped: number[];
};

/** `skipped`: the operator promoted before the stage held its green time — never a pass. */
export type GateItemStatus = 'pass' | 'fail' | 'no_data' | 'waiting_sign_off' | 'pending' | 'skipped';

export type SignOff = {
	itemId: string;
	role: string;
	name: string;
	at: number;
	/** @default 'approve' */
	decision?: 'approve' | 'reject';
	/** Why, in the approver's words (the operator guide's "approved / rejected with notes"). */
	note?: string;
};

export type GateItemView = {
	id: string;
	label: string;
	kind: 'auto' | 'manual' | 'step';
	status: GateItemStatus;
	/** Short explanation, e.g. "1 of 2 approvals (qa_lead)". */
	detail: string;
	/** Steps: the tail of the command's output or the reply body, sanitized and redacted. */
	output?: string;
	/** Manual items: the roles that may sign off (offered by the console's sign-off form). */
	roles?: string[];
};

export type GateStatus = 'pass' | 'fail' | 'no_data' | 'pending' | 'active' | 'skipped';

export type GateView = {
	gate: GateId;
	title: string;
	status: GateStatus;
	items: GateItemView[];
};
