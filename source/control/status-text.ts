/** `golive status` and the control commands' answers as plain text for a terminal or a chat paste. */
import {formatRuleValue, unknownValue} from '../core/format.js';
import type {SloRule} from '../core/plan-types.js';
import type {StatusRule, StatusView} from './protocol.js';

const units = new Set<string>(['ms', 'ratio', 'count']);

function value(v: number | null, unit: string): string {
	if (v === null || !Number.isFinite(v)) return unknownValue;
	return units.has(unit) ? formatRuleValue(v, unit as SloRule['unit']) : String(v);
}

function ruleLine(r: StatusRule): string {
	const samples = r.samples === null ? '' : `, ${r.samples} samples`;
	return `  ${r.id.padEnd(16)} ${r.status.padEnd(7)} ${value(r.value, r.unit)} (${r.op} ${value(r.threshold, r.unit)}; ${r.window}${samples})`;
}

export function statusText(s: StatusView): string {
	const where =
		s.source === 'owner' ? `live from the owner (pid ${s.ownerPid ?? '?'})` : `last recorded in ${s.journal ?? 'the journal'} at ${s.at}; no owner running`;
	const stage = s.stage.percent === null ? s.phase : `${s.phase} at ${s.stage.percent} %`;
	const mode = s.paused === null ? '' : s.paused ? ' · paused' : ' · auto';
	const lines = [
		`${s.service} (${s.environment}) — ${stage}${mode}${s.armed === false ? ' · disarmed' : ''}`,
		`  flag ${s.flag}: ${s.flagPercent === null ? 'unknown' : `${s.flagPercent} % (read back)`}`,
		...(s.rollback ? [`  rollback: ${s.rollback.phase}${s.rollback.detail ? ` — ${s.rollback.detail}` : ''}`] : []),
		...(s.outcome ? [`  outcome: ${s.outcome}`] : []),
		...(s.rules.length > 0 ? ['  rules:', ...s.rules.map(ruleLine)] : ['  rules: none recorded yet']),
		...(s.decision ? [`  why: ${s.decision.kind.toUpperCase()} — ${s.decision.reason}`] : []),
		`  (${where})`,
	];
	return `${lines.join('\n')}\n`;
}
