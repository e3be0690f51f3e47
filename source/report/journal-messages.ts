/**
 * The status messages a launch posted, rebuilt from its journal with the
 * catalogue (`messages.ts`): kickoff, gates, stages with the numbers their
 * decision saw, rollback — "complete" only when the probes verified it —
 * and Gate G. Pure.
 */
import type {Decision, Evidence} from '../core/decision-types.js';
import {checkedRules, legacyRule} from '../journal/check-values.js';
import {windowText} from '../core/format.js';
import type {CheckRecord, IntentRecord, JournalRecord, LaunchStartRecord} from '../journal/records.js';
import {type CheckNumbers, type MessageStyle, messageStyles, type Reading, type StatusMessage} from './messages.js';
import type {PlanRule} from './rule-rows.js';
import {statusOf} from './rule-rows.js';
import {finiteOrNull} from '../core/rule-json.js';

/** A journaled window length, when there is a usable one. */
const windowMsFrom = (v: unknown): {windowMs?: number} => (finiteOrNull(v) === null ? {} : {windowMs: v as number});

export function styleOf(start: LaunchStartRecord | null): MessageStyle {
	const style = start?.report?.messageStyle;
	return messageStyles.find((s) => s === style) ?? 'statusboard';
}

function unitsOf(rules: readonly PlanRule[]): Record<string, Reading['unit']> {
	return Object.fromEntries(rules.map((r) => [r.id, r.unit]));
}

/** A decision's evidence as the catalogue's numbers; the first ratio rule is the error rate. */
function numbersFrom(evidence: readonly Evidence[], rules: readonly PlanRule[], check: CheckRecord | undefined): CheckNumbers {
	const readings: Reading[] = evidence.flatMap((e) => {
		const rule = rules.find((r) => r.id === e.ruleId);
		if (!rule) return [];
		const value = finiteOrNull(e.value) ?? Number.NaN;
		const status = statusOf(rule, finiteOrNull(e.value));
		return [
			{
				ruleId: rule.id,
				label: rule.label,
				value,
				threshold: rule.threshold,
				op: rule.op === '<=' ? '<=' : '<',
				unit: rule.unit,
				window: String(e.window) as Reading['window'],
				...windowMsFrom(e.windowMs ?? rule.windowMs),
				samples: finiteOrNull(e.samples) ?? 0,
				status: status === 'not recorded' ? 'NO_DATA' : status,
			},
		];
	});
	const error = readings.find((r) => r.unit === 'ratio');
	if (readings.length === 0 && check) {
		// No rule evidence (an operator's promote, an older journal): the last check's own numbers, the latencies and the first error rate.
		const recorded = [...checkedRules(check)].flatMap(([ruleId, r]) => {
			const rule = rules.find((p) => p.id === ruleId);
			const unit = rule?.unit ?? legacyRule(ruleId)?.unit;
			return r.value === null || unit === undefined ? [] : [{ruleId, label: rule?.label ?? legacyRule(ruleId)?.label ?? ruleId, value: r.value, unit}];
		});
		return {
			errorRate: recorded.find((r) => r.unit === 'ratio')?.value ?? null,
			errorWindow: 'last check',
			readings: recorded
				.filter((r) => r.unit === 'ms')
				.map((r) => ({...r, threshold: Number.NaN, op: '<', unit: 'ms', window: 'last check' as Reading['window'], samples: 0, status: 'PASS'})),
		};
	}
	return {errorRate: error ? finiteOrNull(error.value) : null, errorWindow: error ? windowText(error.window, error.windowMs) : 'n/a', readings};
}

const evidenceOf = (d: Decision | null | undefined): Evidence[] => (d && Array.isArray(d.evidence) ? d.evidence : []);

/** Every message the journal supports, in order. */
export function journalMessages(records: readonly JournalRecord[]): StatusMessage[] {
	const start = records.find((r): r is JournalRecord & LaunchStartRecord => r.type === 'launch_start') ?? null;
	const rules = start?.rules ?? [];
	const stages = start?.stages ?? [];
	const last = stages.at(-1) ?? 100;
	const stabilizationMs = finiteOrNull(start?.stabilizationMs) ?? 1_800_000;
	const out: StatusMessage[] = [];
	const seen = new Set<string>();
	const once = (key: string, message: StatusMessage): void => {
		if (seen.has(key)) return;
		seen.add(key);
		out.push(message);
	};
	const intents = new Map<string, IntentRecord & {from: number}>();
	let percent = 0;
	let lastCheck: CheckRecord | undefined;
	let gateG = false;
	let rollback: {kind: 'emergency' | 'full'; applied: boolean; verified: boolean; flag: number | null; triggeredAt: number} | null = null;

	if (start)
		out.push({
			kind: 'kickoff',
			targets: rules.map((r) => ({
				ruleId: r.id,
				label: r.label,
				value: Number.NaN,
				threshold: r.threshold,
				op: r.op === '<=' ? '<=' : '<',
				unit: r.unit,
				window: r.window as Reading['window'],
				...windowMsFrom(r.windowMs),
				samples: 0,
				status: 'NO_DATA',
			})),
		});
	for (const r of records) {
		switch (r.type) {
			case 'gate':
				if ((r.gate === 'A' || r.gate === 'B') && r.status === 'pass') once(`${r.gate}:pass`, {kind: 'gate_passed', gate: r.gate, numbers: null});
				if ((r.gate === 'A' || r.gate === 'B') && r.status === 'fail' && !seen.has(`${r.gate}:pass`))
					once(`${r.gate}:fail`, {kind: 'gate_failed', gate: r.gate, issue: r.detail ?? 'a check failed'});
				if (r.gate === 'G' && r.status === 'pass' && !gateG) {
					gateG = true;
					out.push({kind: 'gate_g_passed', stabilizationMs, numbers: null}, {kind: 'success', stabilizationMs, url: null, links: start?.report?.links ?? []});
				}
				break;
			case 'check':
				lastCheck = r;
				break;
			case 'decision': {
				const d = r.decision;
				if (d.kind === 'promote' && d.fromPercent === last && d.toPercent === last)
					once(`stage:${last}`, {kind: 'stage_passed', percent: last, next: null, stabilizationMs, numbers: numbersFrom(evidenceOf(d), rules, lastCheck)});
				if (d.kind === 'succeed' && !gateG) {
					gateG = true;
					out.push(
						{kind: 'gate_g_passed', stabilizationMs, numbers: numbersFrom(evidenceOf(d), rules, lastCheck)},
						{kind: 'success', stabilizationMs, url: null, links: start?.report?.links ?? []},
					);
				}
				break;
			}
			case 'intent': {
				intents.set(r.id, {...r, from: percent});
				if (r.action !== 'emergency_rollback' && r.action !== 'full_rollback') break;
				const kind = r.action === 'emergency_rollback' ? 'emergency' : 'full';
				rollback = {kind, applied: false, verified: false, flag: null, triggeredAt: Date.parse(r.ts)};
				const breach = evidenceOf(r.decision);
				if (r.by !== 'auto') out.push({kind: 'rollback_started', percent, reason: r.reason, by: r.by});
				else if (seen.has(`stage:${last}`) && percent === last) out.push({kind: 'gate_g_failed', breach, units: unitsOf(rules), rollback: kind});
				else
					out.push(
						{kind: 'stage_failed', percent, breach, units: unitsOf(rules), rollback: kind},
						{kind: 'incident', percent, breach, units: unitsOf(rules), rollback: kind},
					);
				break;
			}
			case 'outcome': {
				const intent = intents.get(r.id);
				const read = finiteOrNull(r.readBackPercent);
				// A soak the operator skipped did not pass: no "PASSED" message for it.
				if (intent?.action === 'promote' && r.result === 'ok' && read !== null && intent.from > 0 && !intent.decision?.skippedSoak) {
					once(`stage:${intent.from}`, {
						kind: 'stage_passed',
						percent: intent.from,
						next: read,
						stabilizationMs,
						numbers: numbersFrom(evidenceOf(intent.decision), rules, lastCheck),
					});
				}
				if (rollback && (intent?.action === 'emergency_rollback' || intent?.action === 'full_rollback')) {
					rollback.flag = read;
					rollback.applied ||= r.result === 'ok' && read === 0;
				}
				if (read !== null) percent = read;
				break;
			}
			case 'mitigation':
				if (rollback && r.confirmedAt !== null) {
					rollback.verified = true;
					out.push({
						kind: 'rollback_complete',
						rollback: rollback.kind,
						seconds: (r.confirmedAt - r.triggeredAt) / 1000,
						detail: r.detail ?? 'confirmed by the probes',
					});
				}
				break;
			case 'launch_start':
			case 'effect':
			case 'sign_off':
			case 'step':
			case 'checkpoint':
			case 'note':
			case 'control':
			case 'notify':
			case 'lock_takeover':
			case 'launch_end':
				break;
			default: {
				const _never: never = r;
				void _never;
			}
		}
	}
	// Said only when true: a rollback nobody verified is "applied", or "failing" when the flag never read 0.
	if (rollback && !rollback.verified) {
		out.push(
			rollback.applied
				? {
						kind: 'rollback_not_verified',
						phase: 'applied',
						flagPercent: 0,
						detail: 'the journal has no confirmation from the probes that the canary share is gone and health is back',
					}
				: {kind: 'rollback_not_verified', phase: 'failing', flagPercent: rollback.flag, detail: 'the flag never read back at 0 %'},
		);
	}
	return out;
}
