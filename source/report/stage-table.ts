/**
 * The report's stage rows while the journal is read: one per planned stage
 * (and any stage the flag was read at), how long each was held and how it ended.
 */
import type {StageReport, StageResult} from './report-types.js';

export type StageTable = {
	/** The row of `percent`, made `not_reached` on first use. */
	stageFor(percent: number): StageReport;
	/** A stage is left at `at`: held since it was entered, and how it ended (a failed stage stays failed). */
	leave(percent: number, at: number, result: StageResult): void;
	/** The rows by percent; a stage still in progress when the launch ended is passed (success) or stopped. */
	finish(end: {outcome: unknown} | null): StageReport[];
};

function emptyStage(percent: number): StageReport {
	return {
		percent,
		result: 'not_reached',
		heldMs: null,
		checks: 0,
		failingChecks: 0,
		enteredAt: null,
		atPercent: percent,
		boardP95Ms: null,
		drawerAvgMs: null,
		errorRate: null,
		occConflicts: null,
	};
}

export function createStageTable(plannedStages: readonly number[]): StageTable {
	const stageMap = new Map<number, StageReport>();
	const stageFor = (percent: number): StageReport => {
		let s = stageMap.get(percent);
		if (s === undefined) {
			s = emptyStage(percent);
			stageMap.set(percent, s);
		}
		return s;
	};
	plannedStages.forEach(stageFor);
	return {
		stageFor,
		leave(percent, at, result) {
			const s = stageFor(percent);
			s.heldMs = s.enteredAt === null ? null : at - s.enteredAt;
			if (s.result !== 'failed') s.result = result;
		},
		finish(end) {
			for (const s of stageMap.values()) {
				if (s.result === 'in_progress' && end !== null) s.result = end.outcome === 'success' ? 'passed' : 'stopped';
			}
			return [...stageMap.values()].sort((a, b) => a.percent - b.percent);
		},
	};
}
