/** Messages between the main thread and the probe worker (structured-clone safe). */
import type {ProbeSnapshot} from '../source/core/measurements.js';
import type {ProbeEngineOptions, ProbeTotals} from './probe-engine.js';

/** Engine options minus the clock: a function cannot cross threads; the worker uses Date.now. */
export type WorkerEngineOptions = Omit<ProbeEngineOptions, 'now'>;

export type WorkerInit = {options: WorkerEngineOptions; snapshotIntervalMs: number};

export type WorkerCommand = {type: 'stop'};

export type WorkerMessage =
	{type: 'snapshot'; snapshots: ProbeSnapshot[]} | {type: 'stopped'; snapshots: ProbeSnapshot[]; totals: ProbeTotals[]} | {type: 'error'; message: string};
