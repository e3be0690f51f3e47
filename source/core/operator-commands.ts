import type {Snapshot} from './snapshot.js';

/** What the operator (a key press, a `--sign-off` flag) asks the engine to do. */
export type OperatorCommand =
	/** `to`: a later stage (default the next); `skip`: promote before the stage held its green time (typed SKIP). */
	| {type: 'promote'; to?: number; skip?: boolean}
	| {type: 'emergency_rollback'; reason: string}
	| {type: 'full_rollback'; reason: string}
	| {type: 'pause'}
	| {type: 'resume'}
	| {type: 'rearm'}
	/** Accept a flag change made outside golive: go on from the value the flag reads now. */
	| {type: 'acknowledge'}
	| {type: 'sign_off'; itemId: string; role: string; name: string; /** @default 'approve' */ decision?: 'approve' | 'reject'; note?: string}
	/** Run a runbook step (a gate item of kind `step`) again. */
	| {type: 'rerun_step'; itemId: string}
	| {type: 'note'; text: string};

/** The engine as the console sees it: snapshots out, commands in. */
export type EngineHandle = {
	/** Called with every new snapshot; returns an unsubscribe function. */
	subscribe(listener: (snapshot: Snapshot) => void): () => void;
	getSnapshot(): Snapshot;
	/** Returns at once; the outcome shows in later snapshots (action, log). */
	send(command: OperatorCommand): void;
};
