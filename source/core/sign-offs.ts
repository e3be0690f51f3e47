/**
 * `--sign-off role="Name"` as the operator types it, into sign-offs: one for
 * every manual gate item that accepts the role. Pure, shared by `check` and `run`.
 */
import type {SignOff} from './decision-types.js';
import type {GateItemPlan} from './plan-types.js';
import {sanitize} from './sanitize.js';

export type ParsedSignOffs = {ok: true; signOffs: Array<Omit<SignOff, 'at'>>} | {ok: false; message: string};

/**
 * `role="Name"` / `role=Name` → sign-offs for every manual item in `items` that
 * accepts the role; with `reject`, rejections carrying `note`.
 */
export function parseSignOffs(raw: readonly string[], items: readonly GateItemPlan[], reject?: {note: string}): ParsedSignOffs {
	const signOffs: Array<Omit<SignOff, 'at'>> = [];
	const manual = items.filter((i): i is GateItemPlan & {kind: 'manual'} => i.kind === 'manual');
	const roles = [...new Set(manual.flatMap((i) => i.roles))];
	for (const entry of raw) {
		const match = /^([^=]+)=(.*)$/.exec(entry);
		const role = match?.[1]?.trim() ?? '';
		const name = (match?.[2] ?? '')
			.trim()
			.replace(/^(["'])(.*)\1$/, '$2')
			.trim();
		if (!match || role === '' || name === '') {
			return {ok: false, message: `${reject ? '--reject' : '--sign-off'} "${sanitize(entry, 80)}": expected role="Name", e.g. --sign-off qa_lead="Ana Ruiz"`};
		}
		const accepting = manual.filter((i) => i.roles.includes(role));
		if (accepting.length === 0) {
			return {ok: false, message: `--sign-off: role "${sanitize(role, 40)}" signs nothing here (roles: ${roles.join(', ') || 'none'})`};
		}
		const decision = reject ? {decision: 'reject' as const, ...(reject.note ? {note: sanitize(reject.note, 300)} : {})} : {};
		for (const item of accepting) signOffs.push({itemId: item.id, role, name: sanitize(name, 80), ...decision});
	}
	return {ok: true, signOffs};
}
