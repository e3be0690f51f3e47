/**
 * What the engine's modules share: the plan, the clock, the ports, the mutable
 * run state, the event log, and the few entry points they call on each other
 * (bound once by `launch-engine.ts`). Nothing here decides.
 */
import type {CanaryEvent, CanaryState} from '../core/canary-types.js';
import type {SignOff} from '../core/decision-types.js';
import type {LaunchOutcome, LaunchResult} from '../core/launch-outcome.js';
import type {SourceState} from '../core/measurements.js';
import type {Plan} from '../core/plan-types.js';
import type {ActionView, FlagObservation, Mitigation, Snapshot} from '../core/snapshot.js';
import type {EngineEvent} from './engine-types.js';
import type {EventLog} from './event-log.js';
import type {RunbookDriver} from './runbook-driver.js';
import type {FleetPort} from './fleet-port.js';
import type {CloudWatchPort, FlagPort, InfraCheckResult, InfraPort, JournalPort, ProbePort} from './ports.js';

/** Everything that changes during a run. */
export type EngineState = {
	canary: CanaryState;
	/** The flag as last read back; null when unknown. */
	flagPercent: number | null;
	flagVersion: string | number | null;
	flagState: SourceState;
	/** Epoch ms of the last good flag read (the flag's source turns stale when it is too old); null before the first. */
	flagOkAt: number | null;
	/** The flag as read at every check (and whether someone else changed it). */
	flagObservation: FlagObservation;
	action: ActionView;
	mitigation: Mitigation | null;
	/** Epoch ms the rollback write read back; the probes' confirmation is timed from here. */
	rollbackWrittenAt: number | null;
	resumeNotice: string | null;
	/** The start-up flag read has succeeded (a failed one is retried at every check, and the first success counts as it). */
	flagReadAtStart: boolean;
	infraResults: Record<string, InfraCheckResult>;
	signOffs: SignOff[];
	snapshot: Snapshot;
	result: LaunchResult | null;
	/** True while an operator command is being dispatched: its effects are the operator's. */
	operatorActing: boolean;
};

type EngineSettings = {
	canaryVariant: string;
	endWhenDone: boolean;
	historyLength: number;
	startedAt: number;
	until: 'gate-g' | 'watch-end';
	operatorPresent: boolean;
	/** Extra sources the screen shows (notification delivery). */
	notifySource: () => SourceState | null;
};

export type EngineContext = {
	readonly plan: Plan;
	readonly now: () => number;
	readonly settings: EngineSettings;
	readonly ports: {probes: ProbePort; cloudwatch: CloudWatchPort; fleet?: FleetPort; flag: FlagPort; journal: JournalPort; infra: InfraPort};
	readonly state: EngineState;
	readonly log: EventLog;
	/** Runbook steps and post-launch checkpoints. */
	readonly runbook: RunbookDriver;
	emit(event: EngineEvent): void;
	/** Feeds one event to the canary reducer and carries out its effects. */
	dispatch(event: CanaryEvent): void;
	/** Publishes a fresh snapshot (unless the run is over). */
	publishQuietly(): void;
	finish(outcome: LaunchOutcome, reason: string): void;
};
