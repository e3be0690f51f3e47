/**
 * The engine's runbook side: runs the steps the core says are due (one at a
 * time, journaled before they run), lets the operator run one again, and
 * writes the post-launch checkpoints. It decides nothing: `core/steps.ts`,
 * `core/gate-progress.ts` and `core/post-launch.ts` do.
 */
import type {CanaryState, CheckInput} from '../core/canary-types.js';
import type {GateView} from '../core/decision-types.js';
import {workingGate} from '../core/gate-progress.js';
import type {Plan, StepItemPlan} from '../core/plan-types.js';
import {checkpointMessage, dueWatchCheckpoints, watchBannerFor} from '../core/post-launch.js';
import type {LogLevel} from '../core/snapshot.js';
import {nextStep, rerunStep, type StepRun, type StepStates} from '../core/steps.js';
import type {JournalInput} from '../journal/records.js';

/** What running a step reports (already sanitized and redacted). */
type StepResult = {ok: boolean; attempts: number; detail: string; output: string};

export type StepPort = {
	/** Runs the step to a verdict; `onAttempt` is awaited with what is about to run before each attempt. */
	run(item: StepItemPlan, onAttempt: (attempt: number, sent: unknown) => Promise<void>): Promise<StepResult>;
};

export type RunbookDriverOptions = {
	plan: Plan;
	now: () => number;
	steps: StepPort;
	/** Resolves once the record is on disk; a failure keeps the step from running. */
	append(entry: JournalInput): Promise<unknown>;
	log(level: LogLevel, text: string, message?: string): void;
	/** Something the screen shows changed (a step started or finished). */
	changed(): void;
};

export type RunbookDriver = {
	states(): StepStates;
	/** Starts the working gate's next step when none runs. */
	advance(canary: CanaryState, gates: readonly GateView[]): void;
	/** The operator asks for a step again; returns why not, or null when it will run in its gate's turn. */
	rerun(itemId: string): string | null;
	/** Writes every post-launch checkpoint that fell due. */
	checkpoints(canary: CanaryState, input: Pick<CheckInput, 'errorRate' | 'rules'>, now: number): void;
	/** `POST-LAUNCH WATCH T+1:12 · next checkpoint T+4h` while the watch runs, else null. */
	banner(canary: CanaryState, now: number): string | null;
	/** Starts no more steps; resolves when none is running. */
	stop(): Promise<void>;
};

export function createRunbookDriver(options: RunbookDriverOptions): RunbookDriver {
	const {plan, now} = options;
	let states: StepStates = {};
	let running: Promise<void> = Promise.resolve();
	let busy = false;
	let stopped = false;
	/** Items the operator asked to run again: their runs are journaled as the operator's. */
	const operatorRuns = new Set<string>();
	let written = 0;

	function set(id: string, run: StepRun): void {
		states = {...states, [id]: run};
		options.changed();
	}

	async function runOne(item: StepItemPlan): Promise<void> {
		const by = operatorRuns.delete(item.id) ? 'operator' : 'auto';
		set(item.id, {status: 'running', attempt: 1, since: now()});
		options.log('info', `Step ${item.id} (Gate ${item.gate}): ${item.label}`);
		let result: StepResult;
		try {
			result = await options.steps.run(item, async (attempt, sent) => {
				set(item.id, {status: 'running', attempt, since: now()});
				// Write-ahead: the step is on disk before it runs.
				await options.append({type: 'step', itemId: item.id, gate: item.gate, phase: 'start', attempt, by, sent});
			});
		} catch (error) {
			result = {ok: false, attempts: 0, detail: `not run: ${error instanceof Error ? error.message : String(error)}`, output: ''};
		}
		set(item.id, {status: result.ok ? 'pass' : 'fail', at: now(), attempts: result.attempts, detail: result.detail, output: result.output});
		await options
			.append({
				type: 'step',
				itemId: item.id,
				gate: item.gate,
				phase: 'result',
				attempt: result.attempts,
				by,
				ok: result.ok,
				detail: result.detail,
				output: result.output,
			})
			.catch((error: unknown) => options.log('error', `journal write failed: ${String(error)}`));
		options.log(result.ok ? 'success' : 'error', `Step ${item.id} ${result.ok ? 'passed' : `FAILED — Gate ${item.gate} holds`}: ${result.detail}`);
	}

	return {
		states: () => states,
		advance(canary, gates) {
			if (busy || stopped) return;
			const item = nextStep(plan, workingGate(plan, canary, gates), states);
			if (!item) return;
			busy = true;
			running = runOne(item).finally(() => {
				busy = false;
			});
		},
		rerun(itemId) {
			const verdict = rerunStep(plan, states, itemId);
			if (!verdict.ok) return verdict.why;
			states = verdict.states;
			operatorRuns.add(itemId);
			options.changed();
			return null;
		},
		checkpoints(canary, input, at) {
			for (const checkpoint of dueWatchCheckpoints(plan, canary, written, at)) {
				written = checkpoint.index + 1;
				const message = checkpointMessage(plan, checkpoint, input);
				const green = input.rules.every((r) => r.status === 'PASS');
				options.log(green ? 'success' : 'warn', `Post-launch ${checkpoint.label} checkpoint written`, message);
				options
					.append({type: 'checkpoint', label: checkpoint.label, offsetMs: checkpoint.offsetMs, green, message})
					.catch((error: unknown) => options.log('error', `journal write failed: ${String(error)}`));
			}
		},
		banner: (canary, at) => watchBannerFor(plan, canary, written, at),
		async stop() {
			stopped = true;
			await running;
		},
	};
}
