/**
 * `StreamEvent` is derived from the schema `golive schema` prints: a switch over
 * `type` is exhaustive at compile time, and what the emitters write validates
 * against the schema with every object closed, so a field an emitter writes and
 * the schema does not describe fails here (spreads escape TypeScript's excess
 * property check; this does not).
 */
import {Ajv} from 'ajv';
import {describe, expect, test} from 'vitest';
import {monitorAlerts} from '../source/core/fleet-checks.js';
import {fleetReadingJson} from '../source/core/fleet-json.js';
import type {FleetSnapshot} from '../source/core/fleet-types.js';
import type {StreamEvent} from '../source/core/stream-event-types.js';
import {streamSchema} from '../source/core/stream-schema.js';
import {gateEvent, resultEvent, toStreamEvents} from '../source/engine/stream-events.js';
import {breachWithNoData, gates, preLaunch, rolledBack, stage30Green, succeeded, t0} from './helpers/snapshot-fixtures.js';

/** Compile-time: one case per schema event; a new event in the schema breaks this until it is handled. */
function describeEvent(event: StreamEvent): string {
	switch (event.type) {
		case 'start':
			return `${event.service} ${event.stages.join('→')}`;
		case 'snapshot':
			return `${event.phase} ${event.flagPercent ?? '?'} %`;
		case 'gate':
			return `${event.gate} ${event.status}`;
		case 'decision':
			return `${event.kind}: ${event.reason}`;
		case 'action':
			return `${event.phase} ${event.action}`;
		case 'log':
			return `${event.level} ${event.text}`;
		case 'status':
			return `${event.source} ${event.phase}`;
		case 'control':
			return `${event.command} ${event.accepted}`;
		case 'watch':
			return `${event.phase} ${event.what}`;
		case 'result':
			return `${event.outcome} ${event.exitCode}`;
		default: {
			const never: never = event;
			return never;
		}
	}
}

/** The schema with `additionalProperties: false` on every object that lists its properties. */
function closed(schema: unknown): unknown {
	if (Array.isArray(schema)) return schema.map(closed);
	if (schema === null || typeof schema !== 'object') return schema;
	const out: Record<string, unknown> = Object.fromEntries(
		Object.entries(schema).map(([key, value]) => [key, key === 'properties' ? mapValues(value, closed) : closed(value)]),
	);
	if ('properties' in out && !('additionalProperties' in out)) out['additionalProperties'] = false;
	return out;
}

function mapValues(value: unknown, f: (v: unknown) => unknown): unknown {
	return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, f(v)]));
}

const ajv = new Ajv({allErrors: true, strict: false, validateFormats: false});
const validateClosed = ajv.compile(closed(streamSchema) as object);

function expectDescribed(event: StreamEvent): void {
	const described = validateClosed(event) as boolean;
	if (!described) throw new Error(`${event.type}: ${ajv.errorsText(validateClosed.errors)}`);
}

const fleet: FleetSnapshot = {
	at: t0,
	state: {kind: 'ok'},
	windowStartMs: t0 - 70_000,
	windowEndMs: t0 - 10_000,
	intervalMs: 10_000,
	agents: 3,
	minAgents: 3,
	probes: [
		{
			id: 'board',
			p50: 100,
			p95: 300,
			p99: Number.NaN,
			requests: 900,
			errors: 9,
			timeouts: 1,
			agents: 3,
			locations: [{name: 'eu', agents: 1, p95: 290, uptime: 1, checks: 30, failedChecks: 2, consecutiveFailures: 2}],
		},
	],
	callsLastHour: 720,
};

describe('stream events', () => {
	test('the switch covers exactly the schema’s event types', () => {
		const types = streamSchema.oneOf.map((e) => e.properties.type.const);
		expect(types).toEqual(['start', 'snapshot', 'gate', 'decision', 'action', 'log', 'status', 'control', 'watch', 'result']);
		expect(describeEvent({type: 'log', ts: new Date(t0).toISOString(), level: 'info', text: 'hi'})).toBe('info hi');
	});

	test.each([
		['stage 30 green', stage30Green()],
		['pre-launch', preLaunch()],
		['breach with no data', breachWithNoData()],
		['rolled back', rolledBack()],
		['succeeded', succeeded()],
		['with a fleet reading', {...stage30Green(), fleet}],
	])('a snapshot (%s) writes only fields the schema describes', (_name, snapshot) => {
		const [event] = toStreamEvents({kind: 'snapshot', snapshot, check: true}, t0);
		expect(event?.type).toBe('snapshot');
		expectDescribed(event!);
	});

	test('the fleet reading carries its window, alerts and per-location checks (described in the schema)', () => {
		const json = fleetReadingJson(fleet, monitorAlerts(fleet, 2));
		expect(json.alerts).toEqual([{location: 'eu', probe: 'board', consecutiveFailures: 2}]);
		expect(json.probes[0]?.p99).toBeNull();
	});

	test('gate, decision, action, log and result events are described by the schema', () => {
		for (const gate of gates()) expectDescribed(gateEvent(gate, t0, 3));
		const decision = rolledBack().canary.lastDecision;
		const emitted = [
			...(decision ? toStreamEvents({kind: 'decision', decision}, t0) : []),
			...toStreamEvents({kind: 'action', phase: 'intent', id: 'a1', action: 'emergency_rollback', targetPercent: 0, detail: 'set 0 %', reason: 'breach'}, t0),
			...toStreamEvents({kind: 'log', entry: {at: t0, level: 'warn', text: 'stale', message: 'status'}}, t0),
		];
		expect(emitted.map((e) => e.type)).toEqual([...(decision ? ['decision'] : []), 'action', 'log']);
		for (const event of emitted) expectDescribed(event);
		expectDescribed(
			resultEvent(
				{outcome: 'rolled_back', exitCode: 1, reason: 'rolled back', at: t0},
				{startedAt: t0 - 60_000, mitigationSeconds: 12, journal: null, report: null, mitigation: {flagPercent: 0, verified: true, healthRestored: true}},
			),
		);
	});

	test('the closed check can fail: a field the schema does not describe is refused', () => {
		expect(validateClosed({type: 'log', ts: new Date(t0).toISOString(), level: 'info', text: 'x', extra: 1})).toBe(false);
	});
});
