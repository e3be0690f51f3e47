/**
 * Engine events → the `--json` stream's objects (see source/core/stream-schema.ts).
 * JSON has no NaN: unknown numbers become null, never 0.
 */
import {fleetReadingJson} from '../core/fleet-json.js';
import type {Decision, GateView} from '../core/decision-types.js';
import {comparisonJson, variantsJson} from '../core/judge/comparison-json.js';
import {streakAfter} from '../core/judge/judge-tracking.js';
import type {SourceState} from '../core/measurements.js';
import type {MitigationSummary} from '../core/mitigation-verdict.js';
import {ruleJson} from '../core/rule-json.js';
import type {FlagObservation, Snapshot} from '../core/snapshot.js';
import type {StreamEvent, StreamEventOf} from '../core/stream-event-types.js';
import type {Plan} from '../core/plan-types.js';
import {streamSchemaVersion} from '../core/stream-schema.js';
import type {EngineEvent, LaunchResult} from './launch-engine.js';
import {finiteOrNull} from '../core/rule-json.js';

type SnapshotEvent = StreamEventOf<'snapshot'>;

function iso(ms: number | null | undefined): string | null {
	return typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

function source(state: SourceState): SnapshotEvent['sources']['probes'] {
	return {...state};
}

function snapshotEvent(s: Snapshot): SnapshotEvent {
	const lastRead = s.cloudwatch?.lastSuccessAt ?? null;
	const readAge = lastRead === null ? null : s.at - lastRead;
	const phase = s.canary.phase;
	const stage =
		phase.kind === 'stage'
			? {index: phase.index, percent: phase.percent, enteredAt: iso(phase.enteredAt)}
			: phase.kind === 'stabilizing'
				? {index: null, percent: 100, enteredAt: iso(phase.enteredAt)}
				: {index: null, percent: null, enteredAt: null};
	return {
		type: 'snapshot',
		ts: new Date(s.at).toISOString(),
		phase: phase.kind,
		stage,
		flagPercent: finiteOrNull(s.flagPercent),
		paused: s.canary.paused,
		armed: s.canary.armed,
		slos: s.slos.map((r) => ({
			...ruleJson(r),
			source: r.source,
			...(r.note ? {note: r.note} : {}),
			// The snapshot is taken before the check reaches the reducer: count this look too.
			...(r.comparison ? {comparison: comparisonJson(r.comparison, streakAfter(s.canary.judge?.[r.ruleId] ?? 0, r.comparison.verdict))} : {}),
		})),
		probes: s.probes.map((p) => ({
			id: p.probeId,
			requests: p.windows['1m'].requests,
			errorRate: finiteOrNull(p.windows['1m'].errorRate),
			conflicts: p.windows['5m'].conflicts,
			p95Ms: finiteOrNull(p.windows['1m'].latencyMs.p95),
			meanMs: finiteOrNull(p.windows['1m'].latencyMs.mean),
			lagP99Ms: finiteOrNull(p.scheduler.lagP99Ms),
			schedulerValid: p.scheduler.valid,
			lastError: p.lastError,
			...(p.windows['1m'].variants ? {variants: variantsJson(p.windows['1m'].variants)} : {}),
		})),
		cloudwatch: s.cloudwatch
			? {
					state: source(s.cloudwatch.state),
					metrics: s.cloudwatch.metrics.map((m) => ({
						id: m.id,
						label: m.label,
						value: finiteOrNull(m.value),
						ageMs: m.timestamp === null ? null : s.at - m.timestamp,
						statusCode: m.statusCode,
					})),
					// ageMs: since the state changed; readAgeMs: since CloudWatch last said so (an OK read a minute ago is not OK now).
					alarms: s.cloudwatch.alarms.map((a) => ({name: a.name, state: a.state, reason: a.reason, ageMs: s.at - a.updatedAt, readAgeMs: readAge})),
					missingAlarms: s.cloudwatch.missingAlarms,
					callsLastHour: s.cloudwatch.callsLastHour,
				}
			: null,
		...(s.fleet !== undefined ? {fleet: s.fleet ? fleetReadingJson(s.fleet, s.syntheticFailures ?? []) : null} : {}),
		sources: {
			probes: source(s.sources.probes),
			cloudwatch: source(s.sources.cloudwatch),
			flag: source(s.sources.flag),
			...(s.sources.notify ? {notify: source(s.sources.notify)} : {}),
		},
		gates: s.gates.map((g) => ({gate: g.gate, status: g.status})),
		mitigation: s.mitigation
			? {triggeredAt: new Date(s.mitigation.triggeredAt).toISOString(), confirmedAt: iso(s.mitigation.confirmedAt), rollback: s.mitigation.rollback}
			: null,
		...(s.flagObservation ? {flagObservation: flagObservationJson(s.flagObservation)} : {}),
	};
}

/** The flag as read at the last check and any change made outside golive, with times as ISO strings. */
function flagObservationJson(o: FlagObservation): NonNullable<SnapshotEvent['flagObservation']> {
	const outside = o.outsideChange;
	return {
		percent: finiteOrNull(o.percent),
		readAt: iso(o.readAt),
		outsideChange: outside ? {from: finiteOrNull(outside.from), to: finiteOrNull(outside.to), at: iso(outside.at), acknowledged: outside.acknowledged} : null,
	};
}

function decisionEvent(d: Decision): StreamEventOf<'decision'> {
	return {
		type: 'decision',
		ts: new Date(d.at).toISOString(),
		kind: d.kind,
		reason: d.reason,
		...(d.trigger ? {trigger: d.trigger} : {}),
		...(d.severity ? {severity: d.severity} : {}),
		...(d.fromPercent !== undefined ? {fromPercent: d.fromPercent} : {}),
		...(d.toPercent !== undefined ? {toPercent: d.toPercent} : {}),
		evidence: d.evidence.map((e) => ({...e, value: finiteOrNull(e.value), threshold: finiteOrNull(e.threshold), ageMs: finiteOrNull(e.ageMs)})),
	};
}

export function gateEvent(g: GateView, at: number, exitCode?: StreamEventOf<'gate'>['exitCode']): StreamEventOf<'gate'> {
	return {
		type: 'gate',
		ts: new Date(at).toISOString(),
		gate: g.gate,
		status: g.status,
		items: g.items.map((i) => ({id: i.id, label: i.label, kind: i.kind, status: i.status, detail: i.detail, ...(i.output ? {output: i.output} : {})})),
		...(exitCode !== undefined ? {exitCode} : {}),
	};
}

/** The stream's first line: what runs against what; `extra` adds `scenario` or `watching`. */
export function startEvent(
	plan: Plan,
	at: number,
	run: {command: 'demo' | 'run'; auto: boolean; journal: string | null},
	extra: Partial<Pick<StreamEventOf<'start'>, 'scenario' | 'watching'>> = {},
): StreamEvent {
	return {
		type: 'start',
		ts: new Date(at).toISOString(),
		schemaVersion: streamSchemaVersion,
		command: run.command,
		...extra,
		service: plan.service,
		environment: plan.environment,
		flag: plan.canary.flag,
		stages: plan.canary.stages,
		auto: run.auto,
		journal: run.journal,
	};
}

export function resultEvent(
	r: LaunchResult,
	extra: {startedAt: number; mitigationSeconds: number | null; journal: string | null; report: string | null; mitigation?: MitigationSummary | null},
): StreamEventOf<'result'> {
	return {
		type: 'result',
		ts: new Date(r.at).toISOString(),
		outcome: r.outcome,
		exitCode: r.exitCode,
		reason: r.reason,
		durationMs: r.at - extra.startedAt,
		mitigationSeconds: extra.mitigationSeconds,
		...(extra.mitigation ? {mitigation: extra.mitigation} : {}),
		journal: extra.journal,
		report: extra.report,
	};
}

/** Maps one engine event to stream events; `snapshot` only at checks, to keep the stream proportional to decisions. */
export function toStreamEvents(event: EngineEvent, now: number): StreamEvent[] {
	switch (event.kind) {
		case 'snapshot':
			return event.check ? [snapshotEvent(event.snapshot)] : [];
		case 'decision':
			return [decisionEvent(event.decision)];
		case 'gate':
			return [gateEvent(event.gate, now)];
		case 'action':
			return [
				{
					type: 'action',
					ts: new Date(now).toISOString(),
					phase: event.phase,
					id: event.id,
					action: event.action,
					targetPercent: event.targetPercent,
					...(event.ok !== undefined ? {ok: event.ok} : {}),
					detail: event.detail,
					reason: event.reason,
				},
			];
		case 'log':
			return [
				{
					type: 'log',
					ts: new Date(event.entry.at).toISOString(),
					level: event.entry.level,
					text: event.entry.text,
					...(event.entry.message ? {message: event.entry.message} : {}),
				},
			];
		case 'result':
			// The runner writes the result itself, with journal and report paths.
			return [];
		default: {
			const _never: never = event;
			return _never;
		}
	}
}
