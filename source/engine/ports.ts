/**
 * What the engine needs from the outside world, as narrow interfaces, so the
 * engine is tested with an injected clock, fake timers and scripted sources,
 * and wired to the real probes, CloudWatch, flag API and journal in `wire.ts`.
 */
import type {CloudWatchSnapshot, ProbeSnapshot} from '../core/measurements.js';
import type {JournalInput} from '../journal/records.js';

export type ProbePort = {
	/** Starts measuring (against `baseUrl`, default the plan's environment); called once by the engine's start. Ports that need no start omit it. */
	start?(baseUrl?: string): void;
	/** Measures another base URL from now on, with fresh windows (Gate A staging → Gate B production). */
	retarget?(baseUrl: string): void;
	/** Newest snapshots, one per probe; empty before the first. */
	latest(): ProbeSnapshot[];
	stop(): Promise<void>;
};

export type CloudWatchPort = {
	/** Newest poll result; null when CloudWatch is not configured. */
	latest(): CloudWatchSnapshot | null;
	/** The interval the poller really uses (what the source's staleness is judged by); null before it starts or without CloudWatch. */
	pollIntervalMs?(): number | null;
	stop(): Promise<void>;
};

type FlagRead = {ok: true; percent: number; version: string | number | null} | {ok: false; error: string};

export type FlagWriteResult =
	| {kind: 'ok'; percent: number; version: string | number | null; detail: string}
	| {kind: 'failed'; detail: string}
	/** Someone else changed the flag (compare-and-set refused or read-back differs). */
	| {kind: 'conflict'; observedPercent: number | null; detail: string};

type OnSend = (sent: unknown) => Promise<void>;

export type FlagPort = {
	read(): Promise<FlagRead>;
	/**
	 * Writes the percent (compare-and-set on `expectVersion` when known) and reads it back.
	 * `onSend` is awaited with exactly what is about to go out (redacted): the engine journals it.
	 */
	setPercent(percent: number, expectVersion: string | number | null, onSend?: OnSend): Promise<FlagWriteResult>;
	/** Full rollback (the StatusBoardV2 run sheet's `./rollback.sh full`); undefined when the plan has none. */
	fullRollback?: (reason: string, onSend?: OnSend) => Promise<FlagWriteResult>;
};

export type JournalPort = {
	/** Resolves once the record is on disk (fsynced); the journal adds `seq` and `ts`. */
	append(entry: JournalInput): Promise<unknown>;
	close(): Promise<void>;
	readonly path: string | null;
};

/** Results of the I/O-backed gate items (health, DNS, TLS, flag read-back). */
export type InfraCheckResult = {status: 'pass' | 'fail' | 'no_data'; detail: string};

export type InfraPort = {
	/** Runs every auto check that needs I/O; keyed by gate item id. */
	run(): Promise<Record<string, InfraCheckResult>>;
};

export type TimerPort = {
	setInterval(fn: () => void, ms: number): unknown;
	clearInterval(handle: unknown): void;
};
