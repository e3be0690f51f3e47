/**
 * URL → route for the simulated StatusBoardV2 API. Pure: no I/O, so every
 * odd path a client can send maps to a route, a 404 or a 400 here.
 */
import type {ServedRoute} from './latency-model.js';

export type RequestRoute = 'health' | 'board' | 'drawer' | 'stats' | 'move' | 'flags' | 'other';

export type Route =
	| {kind: 'health'}
	| {kind: 'board'}
	| {kind: 'drawer'; id: string}
	| {kind: 'move'; id: string}
	| {kind: 'stats'}
	| {kind: 'flags'}
	| {kind: 'not_found'}
	| {kind: 'bad_path'};

export const allowedMethods = {
	health: ['GET', 'HEAD'],
	board: ['GET', 'HEAD'],
	drawer: ['GET', 'HEAD'],
	stats: ['GET', 'HEAD'],
	move: ['PATCH'],
	flags: ['GET', 'HEAD', 'PUT'],
} as const satisfies Record<ServedRoute, readonly string[]>;

const idPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** A 404 message that echoes the id only when it is plainly an id, never arbitrary client bytes. */
export function describeId(id: string | undefined): string {
	return id !== undefined && idPattern.test(id) ? `no appointment ${id}` : 'no such appointment';
}

export function matchRoute(rawUrl: string | undefined): Route {
	const raw = rawUrl ?? '/';
	// Origin-form is split by hand: `new URL('//x', base)` would read `x` as a host.
	let pathname = raw.split(/[?#]/, 1)[0] ?? '';
	if (!pathname.startsWith('/')) {
		try {
			pathname = new URL(raw).pathname;
		} catch {
			return {kind: 'bad_path'};
		}
	}
	let segments: string[];
	try {
		segments = pathname
			.split('/')
			.filter((s) => s !== '')
			.map((s) => decodeURIComponent(s));
	} catch {
		return {kind: 'bad_path'};
	}
	const path = segments.join('/');
	if (path === 'health' || path === 'api/health') return {kind: 'health'};
	if (path === 'api/admin/appointments/board') return {kind: 'board'};
	if (path === 'api/admin/dashboard/stats') return {kind: 'stats'};
	if (path === 'api/admin/feature-flags') return {kind: 'flags'};
	const [a, b, c, id, action, ...rest] = segments;
	if (a === 'api' && b === 'admin' && c === 'appointments' && id !== undefined && rest.length === 0) {
		if (action === undefined) return {kind: 'drawer', id};
		if (action === 'move') return {kind: 'move', id};
	}
	return {kind: 'not_found'};
}

export function recordRoute(route: Route): RequestRoute {
	switch (route.kind) {
		case 'health':
		case 'board':
		case 'drawer':
		case 'move':
		case 'stats':
		case 'flags':
			return route.kind;
		case 'not_found':
		case 'bad_path':
			return 'other';
		default: {
			const _never: never = route;
			return _never;
		}
	}
}
