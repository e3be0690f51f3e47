/** Frames for what the runbook adds to the screen: the watch banner, severities on SLOs, a step's output. */
import React from 'react';
import {render} from 'ink-testing-library';
import {describe, expect, test} from 'vitest';
import {GateChecklist} from '../widgets/gate-checklist.js';
import {Header} from '../widgets/header.js';
import {SloRow, SloTile} from '../widgets/slo-tiles.js';
import {ColorProvider} from '../widgets/theme.js';
import * as fx from './helpers/snapshot-fixtures.js';

function mono(node: React.ReactElement): string {
	const {lastFrame, unmount} = render(<ColorProvider enabled={false}>{node}</ColorProvider>);
	const frame = lastFrame() ?? '';
	unmount();
	return frame;
}

describe('runbook on screen', () => {
	test('the header shows the post-launch watch while it runs', () => {
		const s = {...fx.succeeded(), postLaunchWatch: 'POST-LAUNCH WATCH T+1:12 · next checkpoint T+4h'};
		expect(mono(<Header snapshot={s} width={160} />)).toContain('POST-LAUNCH WATCH T+1:12 · next checkpoint T+4h');
		expect(mono(<Header snapshot={fx.succeeded()} width={160} />)).not.toContain('POST-LAUNCH');
	});

	test('an SLO with a severity says so on its row and tile', () => {
		const slo = fx.slo({ruleId: 'p95_rollback', label: 'p95 ≤ 2 s', severity: 'P1'});
		expect(mono(<SloRow slo={slo} width={120} />)).toContain('P1 p95 ≤ 2 s');
		expect(mono(<SloTile slo={slo} width={40} chartHeight={0} />)).toContain('P1 p95 ≤ 2 s');
		expect(mono(<SloRow slo={fx.slo({ruleId: 'x', label: 'Board p95'})} width={120} />)).not.toMatch(/P\d Board/);
	});

	test('a failed step shows its detail and the last line of its output', () => {
		const s = fx.preLaunch();
		const gates = s.gates.map((g) =>
			g.gate === 'A'
				? {
						...g,
						status: 'fail' as const,
						items: [
							{
								id: 'a_deploy',
								label: 'Deploy staging',
								kind: 'step' as const,
								status: 'fail' as const,
								detail: 'exit 3 in 0.4 s',
								output: 'building…\nerror: artifact missing',
							},
						],
					}
				: g,
		);
		const frame = mono(<GateChecklist gates={gates} width={140} maxLines={40} />);
		expect(frame).toContain('Deploy staging — exit 3 in 0.4 s · error: artifact missing');
	});
});
