/**
 * The embedded simulated StatusBoardV2 service `golive demo` runs against:
 * node:http on loopback, the run sheet's endpoints, a feature flag that
 * splits traffic between V1 and V2, and scenarios that make V2 misbehave the
 * way a real launch can. Never logs: the demo's stdout is the NDJSON stream.
 */
import http from 'node:http';
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {createAppointmentStore, isAppointmentStatus, appointmentStatuses} from './board-data.js';
import {answersMethod, asInteger, listenOnLoopback, readJsonObject, sendError, sendJson, sendJsonText} from './http-json.js';
import {drawLatencyMs, servedRoutes, type ServedRoute} from './latency-model.js';
import {defaultBaseline, isDemoScenario, routeBehaviour} from './scenarios.js';
import type {DemoScenario, Variant} from './scenarios.js';
import {allowedMethods, describeId, matchRoute, recordRoute} from './routes.js';
import type {RequestRoute} from './routes.js';
import {createRandom} from './seeded-random.js';

export type {DemoScenario} from './scenarios.js';
/** The one flag the demo's canary drives. */
export const demoFlagName = 'STATUS_BOARD_V2_ENABLED';

export type RequestRecord = {
	/** Epoch ms when the response finished (or the client went away). */
	at: number;
	route: RequestRoute;
	method: string;
	/** HTTP status sent; 499 when the client hung up before the response finished. */
	status: number;
	/** Server-side time from request arrival to response end, ms. */
	latencyMs: number;
	variant: Variant;
};

export type DemoServiceOptions = {
	/** @default 0 (an ephemeral port) */
	port?: number;
	/** @default 'healthy' */
	scenario?: DemoScenario;
	/** Seeds traffic split, latency draws, faults and the generated board. @default 1 */
	seed?: number;
	/** Flag rollout percent at start, integer 0..100. @default 0 */
	initialPercent?: number;
	/** Multiplies every simulated latency (tests use e.g. 0.05 to run fast). @default 1 */
	latencyScale?: number;
	/** Background 5xx share of board/drawer/stats/move for both variants (V1 and a healthy V2). @default 0.001 */
	faultRate?: number;
	/** Share of moves that find their card edited by someone else first (409 for both variants). @default 0.0005 */
	conflictRate?: number;
	/** Wall clock for timestamps (`at`, `updatedAt`). @default Date.now */
	now?: () => number;
};

type FlagState = {name: string; rolloutPercent: number; version: number; updatedAt: number};

export type DemoService = {
	/** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
	url: string;
	port: number;
	scenario: DemoScenario;
	flag(): FlagState;
	/** Successful flag writes so far. */
	flagWrites(): number;
	/** Ids the drawer and move endpoints know (`apt-1001` …). */
	appointmentIds(): string[];
	/** Subscribe to every served request (the CloudWatch feed uses this). Returns unsubscribe. */
	onRequest(listener: (record: RequestRecord) => void): () => void;
	/** Stops listening and destroys keep-alive sockets; pending simulated delays are cut short. Idempotent. */
	close(): Promise<void>;
};

function validateOptions(options: DemoServiceOptions): Required<Omit<DemoServiceOptions, 'now'>> {
	const scenario = options.scenario ?? 'healthy';
	if (!isDemoScenario(scenario)) throw new RangeError(`unknown demo scenario: ${String(scenario)}`);
	const port = options.port ?? 0;
	if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`port must be an integer 0..65535, got ${port}`);
	const seed = options.seed ?? 1;
	if (!Number.isFinite(seed)) throw new RangeError('seed must be a finite number');
	const initialPercent = options.initialPercent ?? 0;
	if (!Number.isInteger(initialPercent) || initialPercent < 0 || initialPercent > 100) {
		throw new RangeError(`initialPercent must be an integer 0..100, got ${initialPercent}`);
	}
	const latencyScale = options.latencyScale ?? 1;
	if (!Number.isFinite(latencyScale) || latencyScale < 0) throw new RangeError('latencyScale must be a finite number >= 0');
	const faultRate = options.faultRate ?? defaultBaseline.faultRate;
	const conflictRate = options.conflictRate ?? defaultBaseline.foreignEditRate;
	for (const [name, rate] of [
		['faultRate', faultRate],
		['conflictRate', conflictRate],
	] as const) {
		if (!(rate >= 0 && rate <= 1)) throw new RangeError(`${name} must be a number in 0..1`);
	}
	return {scenario, port, seed, initialPercent, latencyScale, faultRate, conflictRate};
}

export async function startDemoService(options: DemoServiceOptions = {}): Promise<DemoService> {
	const {scenario, port, seed, initialPercent, latencyScale, faultRate, conflictRate} = validateOptions(options);
	const noise = {faultRate, foreignEditRate: conflictRate};
	const now = options.now ?? Date.now;
	const startedAt = now();

	// Separate streams: one more latency draw must not change which requests V2 serves, and one
	// more drawer request must not change the board's latencies: a route's n-th request draws the
	// same latency whatever else was served (the console bench compares two runs by that).
	const variantRandom = createRandom(seed, 1);
	const latencyRandoms = new Map(servedRoutes.map((route, index) => [route, createRandom(seed, 10 + index)]));
	const faultRandom = createRandom(seed, 3);
	const occRandom = createRandom(seed, 4);
	const store = createAppointmentStore(createRandom(seed, 5), startedAt);

	let flag: FlagState = {name: demoFlagName, rolloutPercent: initialPercent, version: 1, updatedAt: startedAt};
	let flagWrites = 0;
	const listeners = new Set<(record: RequestRecord) => void>();
	const pendingDelays = new Set<{timer: NodeJS.Timeout; resolve: () => void}>();
	let closing: Promise<void> | undefined;
	/** Requests not yet reported to subscribers. */
	const unrecorded = new Set<() => void>();

	const delay = (ms: number): Promise<void> =>
		new Promise((resolve) => {
			if (closing) return resolve();
			const entry = {
				timer: setTimeout(() => {
					pendingDelays.delete(entry);
					resolve();
				}, ms),
				resolve,
			};
			pendingDelays.add(entry);
		});

	const flagJson = () => ({
		enabled: flag.rolloutPercent > 0,
		rolloutPercent: flag.rolloutPercent,
		version: flag.version,
		updatedAt: new Date(flag.updatedAt).toISOString(),
	});
	const flagsBody = () => ({flags: {[demoFlagName]: flagJson()}});

	/** Draws this request's latency and fault in a fixed number of RNG steps, then waits the latency out. */
	const simulate = async (route: ServedRoute, variant: Variant): Promise<{fault: boolean; foreignEdit: boolean; gone: boolean}> => {
		const behaviour = routeBehaviour(route, variant, scenario, flag.rolloutPercent, noise);
		const latency = drawLatencyMs(behaviour.latency, latencyRandoms.get(route)!, latencyScale);
		const fault = faultRandom.chance(behaviour.faultRate);
		const foreignEdit = occRandom.chance(behaviour.foreignEditRate);
		await delay(latency);
		return {fault, foreignEdit, gone: closing !== undefined};
	};

	const sendFault = (res: ServerResponse, variant: Variant): void => sendError(res, 500, 'internal_error', `simulated upstream failure (${variant})`);

	const handleMove = async (req: IncomingMessage, res: ServerResponse, id: string, variant: Variant): Promise<void> => {
		const body = await readJsonObject(req, res);
		if (!body) return;
		const version = asInteger(body['version']);
		if (!isAppointmentStatus(body['status'])) {
			sendError(res, 400, 'invalid_request', `status must be one of: ${appointmentStatuses.join(', ')}`);
			return;
		}
		if (version === undefined || version < 0) {
			sendError(res, 400, 'invalid_request', 'version must be a non-negative integer');
			return;
		}
		if (!store.get(id)) {
			sendError(res, 404, 'not_found', describeId(id));
			return;
		}
		const status = body['status'];
		const outcome = await simulate('move', variant);
		if (outcome.gone) return;
		if (outcome.fault) return sendFault(res, variant);
		// The version check happens after the simulated work, so movers that overlap in time really race.
		if (outcome.foreignEdit) store.touch(id, now());
		const result = store.move(id, status, version, now());
		switch (result.kind) {
			case 'moved':
				sendJson(res, 200, {id, status: result.appointment.status, version: result.appointment.version});
				return;
			case 'conflict':
				sendError(res, 409, 'version_conflict', `appointment ${id} was changed by someone else; reload and retry`, {
					extra: {currentVersion: result.currentVersion},
				});
				return;
			case 'not_found':
				sendError(res, 404, 'not_found', describeId(id));
				return;
			default: {
				const _never: never = result;
				return _never;
			}
		}
	};

	const handleFlagWrite = async (req: IncomingMessage, res: ServerResponse, variant: Variant): Promise<void> => {
		const body = await readJsonObject(req, res);
		if (!body) return;
		const name = body['flag'] ?? demoFlagName;
		if (typeof name !== 'string') {
			sendError(res, 400, 'invalid_request', 'flag must be a string');
			return;
		}
		if (name !== demoFlagName) {
			sendError(res, 404, 'unknown_flag', `no such flag; known: ${demoFlagName}`);
			return;
		}
		const percent = asInteger(body['rolloutPercent']);
		if (percent === undefined || percent < 0 || percent > 100) {
			sendError(res, 400, 'invalid_request', 'rolloutPercent must be an integer 0..100');
			return;
		}
		// A templated actuator with no version to offer may send null or "": both mean "no compare-and-set".
		const hasVersion = body['version'] !== undefined && body['version'] !== null && body['version'] !== '';
		const expectedVersion = hasVersion ? asInteger(body['version']) : undefined;
		if (hasVersion && expectedVersion === undefined) {
			sendError(res, 400, 'invalid_request', 'version must be an integer');
			return;
		}
		const outcome = await simulate('flags', variant);
		if (outcome.gone) return;
		if (expectedVersion !== undefined && expectedVersion !== flag.version) {
			sendError(res, 409, 'version_conflict', `flag ${demoFlagName} is at version ${flag.version}`, {extra: {currentVersion: flag.version}});
			return;
		}
		flag = {name: demoFlagName, rolloutPercent: percent, version: flag.version + 1, updatedAt: now()};
		flagWrites++;
		sendJson(res, 200, {flag: demoFlagName, ...flagJson(), ...flagsBody()});
	};

	const handleRead = async (res: ServerResponse, route: 'health' | 'board' | 'drawer' | 'stats' | 'flags', variant: Variant, id?: string): Promise<void> => {
		if (route === 'drawer' && (id === undefined || !store.get(id))) {
			sendError(res, 404, 'not_found', describeId(id));
			return;
		}
		const outcome = await simulate(route, variant);
		if (outcome.gone) return;
		if (outcome.fault) return sendFault(res, variant);
		switch (route) {
			case 'health':
				sendJson(res, 200, {
					status: 'healthy',
					service: 'statusboard',
					version: '2.0.0',
					uptimeSec: Math.max(0, Math.round((now() - startedAt) / 1000)),
					checks: {database: 'ok', cache: 'ok', queue: 'ok'},
				});
				return;
			case 'board':
				sendJsonText(res, 200, store.boardJson(now()));
				return;
			case 'drawer':
				sendJson(res, 200, store.drawer(id ?? ''));
				return;
			case 'stats':
				sendJson(res, 200, store.stats(now()));
				return;
			case 'flags':
				sendJson(res, 200, flagsBody());
				return;
			default: {
				const _never: never = route;
				return _never;
			}
		}
	};

	const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const started = performance.now();
		const method = (req.method ?? 'GET').toUpperCase();
		const route = matchRoute(req.url);
		const variant: Variant = variantRandom.next() * 100 < flag.rolloutPercent ? 'v2' : 'v1';
		res.setHeader('x-served-by', variant);
		res.setHeader('access-control-allow-origin', '*');
		res.setHeader('x-content-type-options', 'nosniff');

		let recorded = false;
		const record = (): void => {
			if (recorded) return;
			recorded = true;
			unrecorded.delete(record);
			const entry: RequestRecord = {
				at: now(),
				route: recordRoute(route),
				method,
				status: res.writableFinished ? res.statusCode : 499,
				latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
				variant,
			};
			for (const listener of listeners) {
				try {
					listener(entry);
				} catch {
					// A subscriber's bug must not take the service down mid-demo.
				}
			}
		};
		unrecorded.add(record);
		res.on('finish', record);
		res.on('close', record);

		switch (route.kind) {
			case 'bad_path':
				sendError(res, 400, 'bad_request', 'malformed request path');
				return;
			case 'not_found':
				sendError(res, 404, 'not_found', 'no such endpoint');
				return;
			case 'health':
			case 'board':
			case 'drawer':
			case 'move':
			case 'stats':
			case 'flags':
				break;
			default: {
				const _never: never = route;
				return _never;
			}
		}

		if (!answersMethod(res, method, allowedMethods[route.kind])) return;

		switch (route.kind) {
			case 'move':
				return handleMove(req, res, route.id, variant);
			case 'flags':
				return method === 'PUT' ? handleFlagWrite(req, res, variant) : handleRead(res, 'flags', variant);
			case 'drawer':
				return handleRead(res, 'drawer', variant, route.id);
			case 'health':
			case 'board':
			case 'stats':
				return handleRead(res, route.kind, variant);
			default: {
				const _never: never = route;
				return _never;
			}
		}
	};

	const server = http.createServer((req, res) => {
		handle(req, res).catch(() => {
			sendError(res, 500, 'internal_error', 'unexpected server error');
		});
	});
	await listenOnLoopback(server, port);
	const address = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${address.port}`,
		port: address.port,
		scenario,
		flag: () => ({...flag}),
		flagWrites: () => flagWrites,
		appointmentIds: () => store.ids(),
		onRequest(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		close() {
			closing ??= new Promise<void>((resolve) => {
				server.close(() => resolve());
				for (const entry of pendingDelays) {
					clearTimeout(entry.timer);
					entry.resolve();
				}
				pendingDelays.clear();
				server.closeAllConnections();
				// Socket `close` events land a loop turn later; report the cut-off requests (499) before close() resolves.
				for (const record of unrecorded) record();
			});
			return closing;
		},
	};
}
