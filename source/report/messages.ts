/**
 * Every status message the runbooks post, in one catalogue: the Go-Live
 * Commander script's templates (kickoff 🚀, Gate A/B/G passed/failed, stage
 * passed/failed, the 📊 stage update, 🚨 incident, 🎉 success), the StatusBoardV2
 * run sheet's rollback announcement, the Fleet Manager playbook's and the TEEI
 * run-of-show's texts. Each is filled with the measured numbers and the window
 * that decided; a number that is not known prints `n/a`, never 0. A rollback is
 * "COMPLETE" only when it was verified (`rollback.phase === 'verified'`).
 *
 * Pure: the reducer, the engine, the notifier and the report all render here.
 */
import type {CheckInput} from '../core/canary-types.js';
import {checkWindow} from '../core/check-input.js';
import type {Evidence, RuleResult} from '../core/decision-types.js';
import {formatDuration, formatRuleValueCompact, formatSeconds, planWindowMs, windowText} from '../core/format.js';
import type {Plan} from '../core/plan-types.js';

/** Whose words the messages use: the run sheet / Commander script, the Fleet Manager playbook, the TEEI run-of-show. */
export const messageStyles = ['statusboard', 'fleet-manager', 'teei'] as const;
export type MessageStyle = (typeof messageStyles)[number];

/** What a rule measured at the moment that decided, with its window. */
export type Reading = Pick<RuleResult, 'ruleId' | 'label' | 'value' | 'threshold' | 'op' | 'unit' | 'window' | 'windowMs' | 'samples' | 'status'>;

/** A check's headline numbers: the blended error rate (with its window as text names it: `8s`, `1m`) and every rule. */
export type CheckNumbers = {errorRate: number | null; errorWindow: string; readings: Reading[]};

type RollbackPhase = 'writing' | 'failing' | 'gave_up' | 'applied' | 'verified' | 'not_healthy';

export type StatusMessage =
	| {kind: 'kickoff'; targets: Reading[]}
	| {kind: 'gate_passed'; gate: 'A' | 'B'; numbers: CheckNumbers | null}
	| {kind: 'gate_failed'; gate: 'A' | 'B'; issue: string}
	| {kind: 'stage_passed'; percent: number; next: number | null; stabilizationMs: number; numbers: CheckNumbers}
	| {kind: 'stage_failed'; percent: number; breach: Evidence[]; units: Record<string, Reading['unit']>; rollback: 'emergency' | 'full'}
	| {kind: 'stage_update'; percent: number; next: number | null; greenMs: number; neededMs: number; numbers: CheckNumbers}
	| {kind: 'incident'; percent: number; breach: Evidence[]; units: Record<string, Reading['unit']>; rollback: 'emergency' | 'full'}
	| {kind: 'rollback_started'; percent: number | null; reason: string; by: string}
	| {kind: 'rollback_complete'; rollback: 'emergency' | 'full'; seconds: number | null; detail: string}
	| {kind: 'rollback_not_verified'; phase: Exclude<RollbackPhase, 'verified'>; flagPercent: number | null; detail: string}
	| {kind: 'gate_g_passed'; stabilizationMs: number; numbers: CheckNumbers | null}
	| {kind: 'gate_g_failed'; breach: Evidence[]; units: Record<string, Reading['unit']>; rollback: 'emergency' | 'full'}
	| {kind: 'success'; stabilizationMs: number; url: string | null; links: Array<{label: string; url: string}>}
	| {kind: 'checkpoint'; label: string; numbers: CheckNumbers; requestsPerMin: number | null};

export type MessageKind = StatusMessage['kind'];

export const messageKinds = [
	'kickoff',
	'gate_passed',
	'gate_failed',
	'stage_passed',
	'stage_failed',
	'stage_update',
	'incident',
	'rollback_started',
	'rollback_complete',
	'rollback_not_verified',
	'gate_g_passed',
	'gate_g_failed',
	'success',
	'checkpoint',
] as const satisfies readonly MessageKind[];

type Severity = 'info' | 'success' | 'warning' | 'danger';

export type RenderedMessage = {kind: MessageKind; severity: Severity; title: string; text: string};

const na = 'n/a';

function short(value: number | null, unit: Reading['unit']): string {
	return value === null || !Number.isFinite(value) ? na : formatRuleValueCompact(value, unit);
}

/** `Board p95` → `Board`: the runbooks' short names for the latency rules. */
function shortLabel(label: string): string {
	return label.replace(/\s+(p\d+|avg|mean|\(.*\))$/i, '').trim() || label;
}

/** `Error: 0.2% (1m), Board: 412ms, Drawer: 95ms (5m)`: each window named once, after the numbers it decided. */
function numbersText(n: CheckNumbers): string {
	const parts: Array<{text: string; window: string}> = [{text: `Error: ${short(n.errorRate, 'ratio')}`, window: n.errorWindow}];
	const seen = new Set<string>();
	for (const r of n.readings) {
		if (r.unit !== 'ms') continue;
		const name = shortLabel(r.label);
		if (seen.has(name)) continue;
		seen.add(name);
		parts.push({text: `${name}: ${short(r.value, 'ms')}`, window: windowText(r.window, r.windowMs)});
	}
	return parts.map((p, i) => (parts[i + 1]?.window === p.window ? p.text : `${p.text} (${p.window})`)).join(', ');
}

/** `board_p95 2399ms vs 800ms (1m, 120 samples)`: what a breach measured, in the window that decided. */
function breachText(breach: Evidence[], units: Record<string, Reading['unit']>): string {
	if (breach.length === 0) return 'no rule evidence recorded';
	return breach
		.map((e) => {
			if (e.ruleId.startsWith('alarm:')) return `${e.ruleId.slice('alarm:'.length)} in ALARM`;
			const unit = units[e.ruleId];
			const v = unit ? short(e.value, unit) : Number.isFinite(e.value) ? String(e.value) : na;
			const t = unit ? short(e.threshold, unit) : String(e.threshold);
			return `${e.ruleId} ${v} vs ${t} (${windowText(e.window, e.windowMs)}, ${e.samples} samples)`;
		})
		.join('; ');
}

function metricOf(breach: Evidence[]): string {
	return breach[0]?.ruleId ?? 'SLO';
}

function targetsText(targets: Reading[]): string {
	return targets.map((r) => `${shortLabel(r.label)} ${r.op}${short(r.threshold, r.unit)}`).join(', ');
}

/** Renders one message in the style the plan's runbook uses. */
export function renderMessage(m: StatusMessage, service: string, style: MessageStyle = 'statusboard'): RenderedMessage {
	const render = (severity: Severity, title: string, text: string): RenderedMessage => ({kind: m.kind, severity, title, text});
	switch (m.kind) {
		case 'kickoff':
			return render('info', 'Kickoff', `🚀 ${service} GO-LIVE initiated. Target SLOs: ${targetsText(m.targets)}. Beginning Gate A validation.`);
		case 'gate_passed':
			return m.gate === 'A'
				? render(
						'success',
						'Gate A passed',
						`Gate A PASSED - Staging validation complete.${m.numbers ? ` ${numbersText(m.numbers)}.` : ''} All checks green. Proceeding to Gate B.`,
					)
				: render('success', 'Gate B passed', 'Gate B PASSED - Production environment ready. All systems green. Proceeding to deployment.');
		case 'gate_failed':
			return m.gate === 'A'
				? render('danger', 'Gate A failed', `Gate A FAILED - ${m.issue}. Halting launch for investigation.`)
				: render('danger', 'Gate B failed', `Gate B FAILED - Production environment issue: ${m.issue}. Investigating with infra team.`);
		case 'stage_passed':
			return render(
				'success',
				`Canary ${m.percent}% passed`,
				`Canary ${m.percent}% PASSED - ${numbersText(m.numbers)}. ${m.next === null ? `Entering Gate G stabilization (${formatDuration(m.stabilizationMs)}).` : `Advancing to ${m.next}%.`}`,
			);
		case 'stage_failed':
			return render(
				'danger',
				`Canary ${m.percent}% failed`,
				`Canary ${m.percent}% FAILED - ${metricOf(m.breach)} breach detected: ${breachText(m.breach, m.units)}. Executing ${m.rollback} rollback immediately.`,
			);
		case 'stage_update': {
			const next =
				m.next === null
					? 'Holding for Gate G.'
					: m.greenMs >= m.neededMs
						? `Proceeding to ${m.next}%.`
						: `Proceeding to ${m.next}% after ${formatDuration(m.neededMs - m.greenMs)} more green.`;
			if (style === 'teei') return render('info', `Status at ${m.percent}%`, `Canary at ${m.percent}%: ${numbersText(m.numbers)}. ${next}`);
			return render('info', `Canary at ${m.percent}%`, `📊 Canary at ${m.percent}% - ${numbersText(m.numbers)}. ${next}`);
		}
		case 'incident':
			if (style === 'teei')
				return render(
					'danger',
					'Incident',
					`🚨 P1 ALERT: SLO breach at ${m.percent}% rollout: ${breachText(m.breach, m.units)}. Executing ${m.rollback} rollback.`,
				);
			return render(
				'danger',
				'Incident',
				`🚨 SLO breach detected at ${m.percent}% rollout. Metrics: ${breachText(m.breach, m.units)}. Executing ${m.rollback} rollback immediately.`,
			);
		case 'rollback_started': {
			const at = m.percent === null ? '' : ` at ${m.percent}%`;
			if (style === 'fleet-manager') return render('warning', 'Rollback initiated', `⚠️ ROLLBACK INITIATED - ${m.reason}`);
			if (style === 'teei') return render('warning', 'Rollback initiated', `🔴 ROLLBACK INITIATED${at} - ${m.reason}`);
			return render('warning', 'Rollback initiated', `Emergency rollback initiated${at} (${m.by}): ${m.reason}`);
		}
		case 'rollback_complete': {
			const how = `${m.detail}${m.seconds === null ? '' : `, ${formatSeconds(m.seconds)} after the trigger`}`;
			if (style === 'fleet-manager') return render('success', 'Rollback complete', `✅ Rollback complete. System stable (${how}).`);
			if (style === 'teei') return render('success', 'Rollback complete', `✅ ROLLBACK COMPLETE. Platform stable (${how}).`);
			const kind = m.rollback === 'emergency' ? 'Emergency' : 'Full';
			return render(
				'success',
				'Rollback complete',
				`${kind} rollback COMPLETE. System restored to previous state. Health verified (${how}). Incident investigation initiated.`,
			);
		}
		case 'rollback_not_verified': {
			const flag = m.flagPercent === null ? 'the flag cannot be read' : `flag reads ${m.flagPercent}%`;
			switch (m.phase) {
				case 'writing':
				case 'applied':
					return render('warning', 'Rollback applied', `Rollback applied - ${flag}; health not verified yet: ${m.detail}`);
				case 'not_healthy':
					return render('danger', 'Rollback applied, not healthy', `Rollback applied - service NOT healthy: ${m.detail}`);
				case 'failing':
					return render('danger', 'Rollback failing', `ROLLBACK FAILING - ${flag}: ${m.detail}`);
				case 'gave_up':
					return render('danger', 'Rollback failed', `ROLLBACK FAILED - ${flag}: ${m.detail}. Act by hand now.`);
				default: {
					const _never: never = m.phase;
					return _never;
				}
			}
		}
		case 'gate_g_passed':
			return render(
				'success',
				'Gate G passed',
				`Gate G PASSED - ${formatDuration(m.stabilizationMs)} stability confirmed. All SLOs green${m.numbers ? ` (${numbersText(m.numbers)})` : ''}. ${service} launch SUCCESSFUL!`,
			);
		case 'gate_g_failed':
			return render(
				'danger',
				'Gate G failed',
				`Gate G FAILED - Post-launch instability detected: ${breachText(m.breach, m.units)}. Executing ${m.rollback} rollback to ensure system stability.`,
			);
		case 'success': {
			if (style === 'fleet-manager') {
				const lines = [`🎉 ${service} is now LIVE!`, ...(m.url ? [`Access at: ${m.url}`] : []), ...m.links.map((l) => `${l.label}: ${l.url}`)];
				return render('success', `${service} is live`, lines.join('\n'));
			}
			if (style === 'teei')
				return render('success', `${service} is live`, `${service} is LIVE! 100% rollout stable for ${formatDuration(m.stabilizationMs)}, all SLOs green.`);
			return render(
				'success',
				`${service} launch complete`,
				`🎉 ${service} launch COMPLETE! 100% rollout stable for ${formatDuration(m.stabilizationMs)}. All SLOs green. Monitoring continues.`,
			);
		}
		case 'checkpoint': {
			const green = m.numbers.readings.every((r) => r.status === 'PASS') && m.numbers.readings.length > 0;
			const latency = m.numbers.readings.find((r) => r.unit === 'ms');
			const rpm = m.requestsPerMin === null ? na : String(Math.round(m.requestsPerMin));
			return render(
				green ? 'success' : 'warning',
				`${m.label} checkpoint`,
				`${m.label}: ${green ? 'All green' : 'NOT all green'}. Req/min: ${rpm}, Error rate: ${short(m.numbers.errorRate, 'ratio')}${latency ? `, ${latency.label}: ${short(latency.value, 'ms')} (${windowText(latency.window, latency.windowMs)})` : ''}`,
			);
		}
		default: {
			const _never: never = m;
			return _never;
		}
	}
}

/** The readings and units of a plan's rules, for messages built from decisions. */
export function ruleUnits(plan: Pick<Plan, 'slos'>): Record<string, Reading['unit']> {
	return Object.fromEntries(plan.slos.map((r) => [r.id, r.unit]));
}

export function readingsOf(rules: readonly RuleResult[]): Reading[] {
	return rules.map(({ruleId, label, value, threshold, op, unit, window, windowMs, samples, status}) => ({
		ruleId,
		label,
		value,
		threshold,
		op,
		unit,
		window,
		...(windowMs === undefined ? {} : {windowMs}),
		samples,
		status,
	}));
}

/** The plan's targets, as the kickoff states them. */
export function planTargets(plan: Pick<Plan, 'slos' | 'windowsMs'>): Reading[] {
	return plan.slos.map((r) => ({
		...planWindowMs(plan.windowsMs, r.window),
		ruleId: r.id,
		label: r.label,
		value: Number.NaN,
		threshold: r.threshold,
		op: r.op,
		unit: r.unit,
		window: r.window,
		samples: 0,
		status: 'NO_DATA',
	}));
}

/** A check's numbers as the messages print them: the blended error rate is over the check window. */
function checkNumbers(input: Pick<CheckInput, 'errorRate' | 'rules'>): CheckNumbers {
	const windowMs = input.rules.find((r) => r.window === checkWindow)?.windowMs;
	return {
		errorRate: Number.isFinite(input.errorRate) ? input.errorRate : null,
		errorWindow: windowText(checkWindow, windowMs),
		readings: readingsOf(input.rules),
	};
}

/** The decision core's words for a stage that passed, a stage that failed, and Gate G: the catalogue's texts. */
export function stagePassedText(plan: Plan, percent: number, next: number | null, input: Pick<CheckInput, 'errorRate' | 'rules'>): string {
	return renderMessage({kind: 'stage_passed', percent, next, stabilizationMs: plan.canary.stabilizationMs, numbers: checkNumbers(input)}, plan.service).text;
}

export function stageFailedText(plan: Plan, percent: number, breach: Evidence[]): string {
	return renderMessage({kind: 'stage_failed', percent, breach, units: ruleUnits(plan), rollback: 'emergency'}, plan.service).text;
}

export function gateGFailedText(plan: Plan, breach: Evidence[], rollback: 'emergency' | 'full'): string {
	return renderMessage({kind: 'gate_g_failed', breach, units: ruleUnits(plan), rollback}, plan.service).text;
}

export function gateGPassedText(plan: Plan, input: Pick<CheckInput, 'errorRate' | 'rules'> | null): string {
	return renderMessage({kind: 'gate_g_passed', stabilizationMs: plan.canary.stabilizationMs, numbers: input ? checkNumbers(input) : null}, plan.service).text;
}

export function formatCount(n: number | null): string {
	return n === null || !Number.isFinite(n) ? na : String(Math.round(n));
}
