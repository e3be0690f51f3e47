/**
 * `golive probe URL`: an ad-hoc latency probe, the Sprint 6 operator guide's `curl -w "%{time_total}"` done
 * right — many samples, HDR percentiles, latency from the intended send time.
 */
import {parseArgs} from 'node:util';
import {joinNegativeValues} from '../cli-args.js';
import type {ProbeSpec, HttpMethod} from '../core/plan-types.js';
import {sanitize} from '../core/sanitize.js';
import type {ProbeMode, ProbeTotals} from '../../probes/probe-engine.js';
import {createProbeEngine} from '../../probes/probe-engine.js';
import {maxThreads, startThreadedEngine} from '../../probes/threaded-engine.js';
import {MissingEnvError} from '../../probes/request-template.js';

export type ProbeCommandIo = {
	stdout: NodeJS.WritableStream;
	stderr: NodeJS.WritableStream;
	env: NodeJS.ProcessEnv;
	/** Ends the run early, like Ctrl-C (tests). SIGINT is also listened to while running. */
	signal?: AbortSignal;
};

export const probeHelp = `Usage: golive probe URL [options]

Sends requests to URL and reports latency percentiles (HDR, microsecond resolution).
Open model by default: requests leave at a fixed rate and latency is measured from the
time each request was due, so a stalled server shows in every request it delayed.

Options:
  --rate N          requests per second, open model (default 10, at most 100000)
  --connections N   closed loop instead: N connections (at most 1000), each sends when its last reply is in
  --duration S      seconds to run (default 10)
  --threads N       split the connections (closed loop) or the rate (open model) over N
                    worker threads, for hosts with more cores; percentiles are merged exactly (default 1)
  --method M        GET, HEAD, POST, PUT, PATCH or DELETE (default GET)
  --header 'K: V'   request header, repeatable; \${NAME} is read from the environment
  --timeout MS      total deadline per request (default 5000, at most 600000)
  --max-bytes N     largest response body accepted (default 1048576)
  --insecure        accept self-signed TLS certificates
  --json            print one JSON object instead of the table
  -h, --help        show this help

Exit codes: 0 done, 2 usage error, 3 no successful response, 130 interrupted.
`;

const methods: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

type ProbeCommand = {
	url: URL;
	mode: ProbeMode;
	rate: number;
	durationMs: number;
	method: HttpMethod;
	headers: Record<string, string>;
	timeoutMs: number;
	maxBytes: number;
	insecure: boolean;
	json: boolean;
	threads: number;
};

class UsageError extends Error {}

function positiveNumber(flag: string, value: string | undefined, fallback: number, integer = false): number {
	if (value === undefined) return fallback;
	const n = Number(value);
	if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
		throw new UsageError(`--${flag} must be a positive ${integer ? 'integer' : 'number'}, got '${sanitize(value, 40)}'`);
	}
	return n;
}

/** A day: timers beyond 2³¹ ms would fire at once, and an ad-hoc probe has no business running longer. */
function maxDuration(seconds: number): number {
	if (seconds > 86_400) throw new UsageError('--duration must be at most 86400 seconds');
	return seconds;
}

const probeOptions = {
	rate: {type: 'string'},
	connections: {type: 'string'},
	duration: {type: 'string'},
	threads: {type: 'string'},
	method: {type: 'string'},
	header: {type: 'string', multiple: true},
	timeout: {type: 'string'},
	'max-bytes': {type: 'string'},
	insecure: {type: 'boolean'},
	json: {type: 'boolean'},
	help: {type: 'boolean', short: 'h'},
} as const;

/**
 * Upper bounds: beyond them a probe stops measuring the server and starts
 * measuring this machine (or never starts: 10⁶ connections spin).
 */
export const probeLimits = {rate: 100_000, connections: 1000, timeoutMs: 600_000, maxBytes: 1_073_741_824} as const;

function atMost(flag: string, value: number, limit: number): number {
	if (value > limit) throw new UsageError(`--${flag} must be at most ${limit}, got ${value}`);
	return value;
}

function parse(args: string[]): ProbeCommand | 'help' {
	const {values, positionals} = parseArgs({args: joinNegativeValues(args, probeOptions), strict: true, allowPositionals: true, options: probeOptions});
	if (values.help) return 'help';
	if (positionals.length === 0) throw new UsageError('missing URL');
	if (positionals.length > 1) throw new UsageError(`one URL expected, got ${positionals.length}`);
	const raw = positionals[0]!;
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw new UsageError(`not a URL: '${sanitize(raw, 100)}' (expected e.g. https://example.com/health)`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		throw new UsageError(`only http:// and https:// URLs can be probed, got '${sanitize(url.protocol, 20)}'`);
	if (url.hostname === '') throw new UsageError('the URL has no host');
	if (values.rate !== undefined && values.connections !== undefined) throw new UsageError('--rate and --connections are exclusive (open model or closed loop)');
	const method = (values.method ?? 'GET').toUpperCase();
	if (!methods.includes(method as HttpMethod)) throw new UsageError(`--method must be one of ${methods.join(', ')}`);
	const headers: Record<string, string> = {};
	for (const h of values.header ?? []) {
		const colon = h.indexOf(':');
		if (colon <= 0) throw new UsageError(`--header must look like 'Name: value', got '${sanitize(h.slice(0, 40), 40)}'`);
		const name = h.slice(0, colon).trim();
		if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`invalid header name '${sanitize(name, 40)}'`);
		headers[name] = h.slice(colon + 1).trim();
	}
	const connections =
		values.connections === undefined ? undefined : atMost('connections', positiveNumber('connections', values.connections, 1, true), probeLimits.connections);
	const threads = positiveNumber('threads', values.threads, 1, true);
	if (threads > maxThreads) throw new UsageError(`--threads must be at most ${maxThreads}`);
	if (connections !== undefined && threads > connections) throw new UsageError(`--threads ${threads} needs at least ${threads} --connections (one per thread)`);
	return {
		url,
		mode: connections === undefined ? {kind: 'open'} : {kind: 'closed', connections},
		rate: atMost('rate', positiveNumber('rate', values.rate, 10), probeLimits.rate),
		durationMs: maxDuration(positiveNumber('duration', values.duration, 10)) * 1000,
		method: method as HttpMethod,
		headers,
		timeoutMs: atMost('timeout', positiveNumber('timeout', values.timeout, 5000), probeLimits.timeoutMs),
		maxBytes: atMost('max-bytes', positiveNumber('max-bytes', values['max-bytes'], 1_048_576, true), probeLimits.maxBytes),
		insecure: values.insecure ?? false,
		json: values.json ?? false,
		threads,
	};
}

/** The URL as shown: no credentials, no query values (they may hold tokens). */
function displayUrl(url: URL): string {
	const shown = new URL(url.href);
	shown.username = '';
	shown.password = '';
	for (const key of [...shown.searchParams.keys()]) shown.searchParams.set(key, '…');
	return sanitize(shown.href.replaceAll('%E2%80%A6', '…'), 200);
}

type ProbeResult = {
	url: string;
	method: HttpMethod;
	mode: 'open' | 'closed';
	rate: number | null;
	connections: number | null;
	/** Worker threads the run was split over (1: the main thread). */
	threads: number;
	durationS: number;
	interrupted: boolean;
	requests: number;
	rps: number;
	latencyMs: ProbeTotals['latencyMs'];
	statusCounts: Record<string, number>;
	errors: number;
	errorRate: number | null;
	errorCounts: ProbeTotals['errorCounts'];
	scheduler: ProbeTotals['scheduler'];
	distribution: ProbeTotals['distribution'];
	/** HdrHistogram's compressed base64 encoding of the whole run, µs. */
	histogram: string;
	lastError: string | null;
};

function fmt(ms: number): string {
	if (!Number.isFinite(ms)) return '–';
	return ms < 10 ? ms.toFixed(3) : ms < 1000 ? ms.toFixed(2) : ms.toFixed(0);
}

function renderHuman(r: ProbeResult): string {
	const lines: string[] = [];
	const mode = r.mode === 'open' ? `open model, ${r.rate} req/s` : `closed loop, ${r.connections} connections`;
	lines.push(
		`${r.method} ${r.url}  (${mode}${r.threads > 1 ? ` over ${r.threads} threads` : ''}, ${r.durationS.toFixed(1)} s${r.interrupted ? ', interrupted' : ''})`,
		'',
	);
	lines.push(
		`requests  ${r.requests}   ${r.rps.toFixed(1)} req/s   errors ${r.errors}${r.errorRate === null ? '' : ` (${(r.errorRate * 100).toFixed(2)} %)`}`,
		'',
	);
	lines.push('latency (ms)');
	const rows: Array<[string, number]> = [
		['p50', r.latencyMs.p50],
		['p90', r.latencyMs.p90],
		['p95', r.latencyMs.p95],
		['p99', r.latencyMs.p99],
		['p99.9', r.latencyMs.p999],
		['max', r.latencyMs.max],
		['mean', r.latencyMs.mean],
	];
	for (const [name, v] of rows) lines.push(`  ${name.padEnd(6)}${fmt(v).padStart(10)}`);
	const buckets = r.distribution;
	const first = buckets.findIndex((b) => b.count > 0);
	if (first >= 0) {
		let last = buckets.length - 1;
		while (buckets[last]!.count === 0) last--;
		const peak = Math.max(...buckets.map((b) => b.count));
		lines.push('', 'histogram');
		for (let i = first; i <= last; i++) {
			const b = buckets[i]!;
			const label = b.leMs === null ? `> ${buckets[i - 1]?.leMs ?? 0}` : `≤ ${b.leMs}`;
			const bar = '█'.repeat(Math.round((b.count / peak) * 40));
			lines.push(`  ${label.padStart(9)} ms  ${bar} ${b.count}`);
		}
	}
	const statuses = Object.entries(r.statusCounts).map(([s, n]) => `${s}: ${n}`);
	if (statuses.length > 0) lines.push('', `status    ${statuses.join('  ')}`);
	const errors = Object.entries(r.errorCounts).map(([k, n]) => `${k}: ${n}`);
	if (errors.length > 0) lines.push(`errors    ${errors.join('  ')}`);
	if (r.lastError) lines.push(`last error  ${r.lastError}`);
	if (r.mode === 'open') {
		lines.push(
			'',
			`scheduler lag p99 ${fmt(r.scheduler.lagP99Ms)} ms, dropped ${r.scheduler.dropped}${r.scheduler.valid ? '' : '  ⚠ the client could not hold the rate: numbers are suspect'}`,
		);
	}
	return `${lines.join('\n')}\n`;
}

/** One engine on this thread, or `threads` of them in worker threads, driven alike. */
type ProbeRun = {start(): void; stop(): Promise<void>; totals(): ProbeTotals[]; lastError(): string | null};

async function startProbeRun(options: Parameters<typeof createProbeEngine>[0], threads: number): Promise<ProbeRun> {
	// Worker threads read the environment themselves: pass the resolved one.
	if (threads > 1) return startThreadedEngine({...options, env: {...options.env}}, threads);
	const engine = createProbeEngine(options);
	return {start: engine.start, stop: engine.stop, totals: engine.totals, lastError: () => engine.snapshot()[0]?.lastError ?? null};
}

export async function runProbeCommand(args: string[], io: ProbeCommandIo): Promise<number> {
	let command: ProbeCommand | 'help';
	try {
		command = parse(args);
	} catch (error) {
		const message = error instanceof UsageError || (error as {code?: string}).code?.startsWith('ERR_PARSE_ARGS') ? (error as Error).message : String(error);
		io.stderr.write(`golive probe: ${sanitize(message, 300)}\nTry 'golive probe --help'.\n`);
		return 2;
	}
	if (command === 'help') {
		io.stdout.write(probeHelp);
		return 0;
	}
	const spec: ProbeSpec = {
		id: 'probe',
		label: command.url.pathname,
		method: command.method,
		path: command.url.pathname + command.url.search,
		ratePerSec: command.rate,
		timeoutMs: command.timeoutMs,
		maxResponseBytes: command.maxBytes,
		headers: command.headers,
		kind: 'read',
	};
	let engine: ProbeRun;
	try {
		engine = await startProbeRun(
			{baseUrl: command.url.origin, probes: [spec], env: io.env, mode: command.mode, keepTotals: true, insecure: command.insecure},
			command.threads,
		);
	} catch (error) {
		const message = error instanceof MissingEnvError ? error.message : `cannot start: ${error instanceof Error ? error.message : String(error)}`;
		io.stderr.write(`golive probe: ${sanitize(message, 300)}\nTry 'golive probe --help'.\n`);
		return 2;
	}
	let interrupted = false;
	await new Promise<void>((resolve) => {
		const timer = setTimeout(finish, command.durationMs);
		function finish(): void {
			clearTimeout(timer);
			process.off('SIGINT', onInterrupt);
			io.signal?.removeEventListener('abort', onInterrupt);
			resolve();
		}
		function onInterrupt(): void {
			interrupted = true;
			finish();
		}
		process.once('SIGINT', onInterrupt);
		// Interrupted before the first send: nothing goes out, so nothing is owed.
		if (io.signal?.aborted) return onInterrupt();
		io.signal?.addEventListener('abort', onInterrupt, {once: true});
		engine.start();
	});
	await engine.stop();
	const t = engine.totals()[0]!;
	const lastError = engine.lastError();
	const result: ProbeResult = {
		url: displayUrl(command.url),
		method: command.method,
		mode: command.mode.kind,
		rate: command.mode.kind === 'open' ? command.rate : null,
		connections: command.mode.kind === 'closed' ? command.mode.connections : null,
		threads: command.threads,
		durationS: t.elapsedMs / 1000,
		interrupted,
		requests: t.requests,
		rps: t.elapsedMs > 0 ? (t.requests / t.elapsedMs) * 1000 : 0,
		latencyMs: t.latencyMs,
		statusCounts: t.statusCounts,
		errors: t.errors,
		errorRate: Number.isFinite(t.errorRate) ? t.errorRate : null,
		errorCounts: t.errorCounts,
		scheduler: t.scheduler,
		distribution: t.distribution,
		histogram: t.histogram,
		lastError,
	};
	// JSON has no NaN: an empty run's percentiles become null, never 0.
	io.stdout.write(command.json ? `${JSON.stringify(result)}\n` : renderHuman(result));
	if (interrupted) return 130;
	return t.requests > t.errors ? 0 : 3;
}
