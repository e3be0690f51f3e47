/** The launch report's shape: what `golive report --format json` prints and `markdown.ts` lays out. */
import type {SignOff} from '../core/decision-types.js';
import type {MessageStyle, RenderedMessage} from './messages.js';
import type {RuleRow} from './rule-rows.js';
import type {RunbookSections} from './runbook-sections.js';
import type {VariantComparisonRow} from './variant-comparison-table.js';

export type LaunchResult = 'SUCCESS' | 'PARTIAL' | 'ROLLBACK' | 'ROLLBACK — NOT HEALTHY' | 'ROLLBACK FAILED';

export type KeyMetrics = {
	/** Flag percent the numbers were measured at (the highest stage reached); null when no check. */
	atPercent: number | null;
	boardP95Ms: number | null;
	drawerAvgMs: number | null;
	errorRate: number | null;
	occConflicts: number | null;
};

export type StageResult = 'passed' | 'failed' | 'skipped' | 'in_progress' | 'stopped' | 'not_reached';

export type StageReport = KeyMetrics & {
	percent: number;
	/** `skipped`: promoted by an operator before the stage held its time; `stopped`: the launch ended while at it. */
	result: StageResult;
	/** How long the stage was held before it was left (passed, skipped or failed); null while at it or never reached. */
	heldMs: number | null;
	checks: number;
	/** Checks at this stage where not every rule passed. */
	failingChecks: number;
	enteredAt: number | null;
};

export type TimelineEntry = {at: number; t: string; text: string};

type IssueKind = 'rollback' | 'failed_action' | 'conflict' | 'breach' | 'interrupted' | 'journal';
export type Issue = TimelineEntry & {kind: IssueKind};

export type LaunchReport = {
	service: string;
	launchId: string | null;
	flag: string | null;
	/** ISO time the launch started; null when the journal has no launch_start. */
	launchDate: string | null;
	duration: {plannedMinutes: number | null; actualMinutes: number | null};
	result: LaunchResult;
	resultReason: string;
	/** Epoch ms of T+0 (the first promote: canary start); null when the canary never started. */
	t0: number | null;
	keyMetrics: KeyMetrics;
	targets: {boardP95Ms: number | null; drawerAvgMs: number | null; errorRate: number | null; occConflicts: number | null};
	stages: StageReport[];
	timeline: TimelineEntry[];
	issues: Issue[];
	signOffs: SignOff[];
	/** Rollback trigger → probes confirmed mitigation, seconds. */
	mitigations: Array<{triggeredAt: number; confirmedAt: number | null; seconds: number | null}>;
	/** Ready-to-paste status messages, in order. */
	messages: string[];
	/** Runbook steps, post-launch checkpoints, severities. */
	runbook: RunbookSections;
	/** The same messages with their kind, title and severity. */
	statusMessages: RenderedMessage[];
	messageStyle: MessageStyle;
	/** The plan's own rules with the value, threshold and window that decided. */
	rules: RuleRow[];
	/** The V2-vs-V1 judge per stage reached and rule compared: the last and the worst check (empty without `compare` rules). */
	variantComparisons: VariantComparisonRow[];
	/** Planned time per stage, ms; null for an old journal. */
	stageDurationMs: number | null;
	gateG: {result: 'passed' | 'failed' | 'in_progress' | 'not_reached'; enteredAt: number | null};
	/** From the plan's `report`: what the run sheet's Artifacts section asks for. */
	build: {buildId: string | null; gitTag: string | null; links: Array<{label: string; url: string}>};
	/** The plan's adoption metric one hour after T+0 (or its last reading before the end). */
	adoption: {label: string; value: number | null; at: string | null} | null;
	/** The run sheet's timeline milestones, as offsets from T+0; null when not reached. */
	milestones: {
		stagingValidated: string | null;
		productionReady: string | null;
		deploymentStarted: string | null;
		fullRollout: string | null;
		stabilized: string | null;
	};
	/** The run sheet's "lessons learned": a section for the team to fill. */
	lessonsLearned: string[];
	artifacts: {journalPath: string | null; planHash: string | null; records: number};
	/** About the journal itself: torn line dropped, unreadable lines, launch unfinished. */
	warnings: string[];
};
