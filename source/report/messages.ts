/**
 * The seeds' communication templates filled with real numbers, and the number
 * formats the launch summary uses. Unknown values print as `n/a`, never 0.
 */

export function formatMs(ms: number | null): string {
	return ms === null || !Number.isFinite(ms) ? 'n/a' : `${Math.round(ms)}ms`;
}

/** 0.002 → `0.2%`; small rates keep two decimals so 0.04 % does not read as 0 %. */
export function formatRate(ratio: number | null): string {
	if (ratio === null || !Number.isFinite(ratio)) {
		return 'n/a';
	}
	const pct = ratio * 100;
	return `${pct.toFixed(pct !== 0 && pct < 0.1 ? 2 : 1)}%`;
}

export function formatCount(n: number | null): string {
	return n === null || !Number.isFinite(n) ? 'n/a' : String(Math.round(n));
}

export type StageNumbers = {errorRate: number | null; boardP95Ms: number | null; drawerAvgMs: number | null};

/** `Canary 30% PASSED - Error: 0.2%, Board: 412ms, Drawer: 95ms. Advancing to 50%.` */
export function stagePassedMessage(percent: number, next: number | null, m: StageNumbers): string {
	const then = next === null ? 'Proceeding to Gate G.' : `Advancing to ${next}%.`;
	return `Canary ${percent}% PASSED - Error: ${formatRate(m.errorRate)}, Board: ${formatMs(m.boardP95Ms)}, Drawer: ${formatMs(m.drawerAvgMs)}. ${then}`;
}

