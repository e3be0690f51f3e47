/**
 * The running launch's status messages, as they happen: engine events in,
 * catalogue messages out (`report/messages.ts`). Kickoff, Gates A/B, each
 * stage passed or failed with the numbers of the check that decided, the 📊
 * update every `report.statusUpdateEveryMs` during a canary, 🚨 incident,
 * rollback — complete only when `mitigation.rollback.phase` reads `verified` —
 * Gate G, 🎉 success and the post-launch checkpoints. Pure apart from its own
 * memory of what it already said; the clock comes from the events.
 */
import {greenProgress} from '../core/canary-machine.js';
import type {Decision} from '../core/decision-types.js';
import type {Plan} from '../core/plan-types.js';
import type {Snapshot} from '../core/snapshot.js';
import type {EngineEvent} from '../engine/engine-types.js';
import {formatDuration, windowText} from '../core/format.js';
import {readingsOf, ruleUnits, type CheckNumbers, planTargets, type StatusMessage} from '../report/messages.js';

/** The 📊 stage update's default cadence: the Go-Live Commander script's 10 minutes. */
const defaultStatusUpdateEveryMs = 600_000;

export type MessageFeed = (event: EngineEvent) => StatusMessage[];

/** A snapshot's rules as the messages print them; the first ratio rule is the error rate. */
function snapshotNumbers(snapshot: Snapshot): CheckNumbers {
	const readings = readingsOf(snapshot.slos);
	const error = readings.find((r) => r.unit === 'ratio');
	return {
		errorRate: error && Number.isFinite(error.value) ? error.value : null,
		errorWindow: error ? windowText(error.window, error.windowMs) : 'n/a',
		readings,
	};
}

function requestsPerMin(plan: Plan, snapshot: Snapshot): number | null {
	if (snapshot.probes.length === 0) return null;
	const windowMs = plan.windowsMs?.['1m'] ?? 60_000;
	return (snapshot.probes.reduce((sum, p) => sum + p.windows['1m'].requests, 0) * 60_000) / windowMs;
}

export function createMessageFeed(plan: Plan): MessageFeed {
	const stages = plan.canary.stages;
	const last = stages.at(-1) ?? 100;
	const everyMs = plan.report?.statusUpdateEveryMs ?? defaultStatusUpdateEveryMs;
	const checkpoints = [...(plan.report?.checkpointsMs ?? [])].sort((a, b) => a - b);
	const units = ruleUnits(plan);
	const links = plan.report?.links ?? [];
	const url = plan.environments[plan.environment]?.baseUrl ?? null;
	const said = new Set<string>();
	let latest: Snapshot | null = null;
	let t0: number | null = null;
	let stageKey = '';
	let lastUpdateAt = 0;
	let checkpointIndex = 0;
	let rollbackPhase: string | null = null;
	const gatesPassed = new Set<'A' | 'B'>();

	const once = (key: string, ...messages: StatusMessage[]): StatusMessage[] => {
		if (said.has(key)) return [];
		said.add(key);
		return messages;
	};

	function onDecision(d: Decision): StatusMessage[] {
		const numbers = latest ? snapshotNumbers(latest) : {errorRate: null, errorWindow: 'n/a', readings: []};
		const phase = latest?.canary.phase.kind;
		switch (d.kind) {
			case 'promote':
				if (d.fromPercent !== undefined && d.fromPercent > 0 && d.toPercent !== undefined && d.toPercent > d.fromPercent) {
					return once(`stage:${d.fromPercent}`, {
						kind: 'stage_passed',
						percent: d.fromPercent,
						next: d.toPercent,
						stabilizationMs: plan.canary.stabilizationMs,
						numbers,
					});
				}
				if (d.fromPercent === last && d.toPercent === last)
					return once(`stage:${last}`, {kind: 'stage_passed', percent: last, next: null, stabilizationMs: plan.canary.stabilizationMs, numbers});
				return [];
			case 'rollback': {
				const percent = d.fromPercent ?? latest?.flagPercent ?? 0;
				if (d.trigger === 'operator' || d.trigger === undefined)
					return once(`rollback:${d.at}`, {kind: 'rollback_started', percent, reason: d.reason, by: 'operator'});
				if (phase === 'stabilizing') return once(`rollback:${d.at}`, {kind: 'gate_g_failed', breach: d.evidence, units, rollback: 'emergency'});
				return once(
					`rollback:${d.at}`,
					{kind: 'stage_failed', percent, breach: d.evidence, units, rollback: 'emergency'},
					{kind: 'incident', percent, breach: d.evidence, units, rollback: 'emergency'},
				);
			}
			case 'succeed':
				return once(
					'succeed',
					{kind: 'gate_g_passed', stabilizationMs: plan.canary.stabilizationMs, numbers},
					{kind: 'success', stabilizationMs: plan.canary.stabilizationMs, url, links},
				);
			case 'hold':
			case 'abort':
				return [];
			default: {
				const _never: never = d.kind;
				return _never;
			}
		}
	}

	function onSnapshot(snapshot: Snapshot, check: boolean): StatusMessage[] {
		latest = snapshot;
		const out: StatusMessage[] = [];
		// The runbook's order: Gate A, then Gate B, whichever the checks finished first.
		if (gatesPassed.has('A')) out.push(...once('gate:A', {kind: 'gate_passed', gate: 'A', numbers: snapshotNumbers(snapshot)}));
		if (gatesPassed.has('B') && said.has('gate:A')) out.push(...once('gate:B', {kind: 'gate_passed', gate: 'B', numbers: null}));
		// Rollback: what the mitigation reads now, said once per phase; "complete" only from `verified`.
		const rollback = snapshot.mitigation?.rollback;
		if (rollback && rollback.phase !== rollbackPhase) {
			rollbackPhase = rollback.phase;
			const seconds = snapshot.mitigation?.confirmedAt != null ? (snapshot.mitigation.confirmedAt - snapshot.mitigation.triggeredAt) / 1000 : null;
			if (rollback.phase === 'verified')
				out.push({kind: 'rollback_complete', rollback: snapshot.mitigation?.kind === 'full' ? 'full' : 'emergency', seconds, detail: rollback.detail});
			else if (rollback.phase !== 'applied' && rollback.phase !== 'writing')
				out.push({
					kind: 'rollback_not_verified',
					phase: rollback.phase,
					flagPercent: 'flagReadPercent' in rollback ? rollback.flagReadPercent : snapshot.flagPercent,
					detail: rollback.detail,
				});
		}
		const phase = snapshot.canary.phase;
		if (!check || (phase.kind !== 'stage' && phase.kind !== 'stabilizing')) return out;
		t0 ??= snapshot.at;
		const key = phase.kind === 'stage' ? `stage:${phase.percent}` : 'stabilizing';
		if (key !== stageKey) {
			stageKey = key;
			lastUpdateAt = snapshot.at;
		} else if (snapshot.at - lastUpdateAt >= everyMs) {
			lastUpdateAt = snapshot.at;
			const progress = greenProgress(plan, snapshot.canary, snapshot.at);
			const percent = phase.kind === 'stage' ? phase.percent : last;
			const next = phase.kind === 'stage' ? (stages[phase.index + 1] ?? null) : null;
			out.push({kind: 'stage_update', percent, next, greenMs: progress?.greenMs ?? 0, neededMs: progress?.neededMs ?? 0, numbers: snapshotNumbers(snapshot)});
		}
		while (checkpointIndex < checkpoints.length && snapshot.at - t0 >= checkpoints[checkpointIndex]!) {
			out.push({
				kind: 'checkpoint',
				label: `T+${formatDuration(checkpoints[checkpointIndex]!)}`,
				numbers: snapshotNumbers(snapshot),
				requestsPerMin: requestsPerMin(plan, snapshot),
			});
			checkpointIndex += 1;
		}
		return out;
	}

	return (event) => [...once('kickoff', {kind: 'kickoff', targets: planTargets(plan)}), ...onEvent(event)];

	function onEvent(event: EngineEvent): StatusMessage[] {
		switch (event.kind) {
			case 'snapshot':
				return onSnapshot(event.snapshot, event.check);
			case 'gate':
				// Said with the snapshot of the same evaluation, which the engine emits right after the gate.
				if ((event.gate.gate === 'A' || event.gate.gate === 'B') && event.gate.status === 'pass') gatesPassed.add(event.gate.gate);
				return [];
			case 'decision':
				return onDecision(event.decision);
			case 'result': {
				// A gate that never passed is reported failed once, at the end: not at every cold-start blip.
				const open = (['A', 'B'] as const).find((g) => !said.has(`gate:${g}`));
				if (open && latest?.canary.phase.kind === 'pre') return once(`gate-failed:${open}`, {kind: 'gate_failed', gate: open, issue: event.result.reason});
				return [];
			}
			case 'action':
			case 'log':
				return [];
			default: {
				const _never: never = event;
				return _never;
			}
		}
	}
}
