/** Frames of the fleet panel: fleet beside local, agents vs minAgents, per-location p95 and uptime. */
import React from 'react';
import {render} from 'ink-testing-library';
import {describe, expect, test} from 'vitest';
import type {FleetSnapshot} from '../source/core/fleet-types.js';
import {FleetPanel} from '../widgets/fleet-panel.js';
import {ColorProvider} from '../widgets/theme.js';
import {probeSnapshot, t0} from './helpers/plan-fixture.js';

function mono(node: React.ReactElement): string {
	const {lastFrame, unmount} = render(<ColorProvider enabled={false}>{node}</ColorProvider>);
	const frame = lastFrame() ?? '';
	unmount();
	return frame;
}

const fleet = (agents: number): FleetSnapshot => ({
	at: t0,
	state: {kind: 'ok'},
	windowStartMs: t0 - 20_000,
	windowEndMs: t0 - 10_000,
	intervalMs: 2000,
	agents,
	minAgents: 3,
	callsLastHour: 5400,
	probes: [
		{
			id: 'board',
			p50: 61.2,
			p95: 412.3,
			p99: 900,
			requests: 1200,
			errors: 24,
			timeouts: 3,
			agents,
			locations: [
				{name: 'eu-west', agents: 1, p95: 88.1, uptime: 1, checks: 12, failedChecks: 0, consecutiveFailures: 0},
				{name: 'ap-south', agents: 1, p95: 1300, uptime: 0.75, checks: 12, failedChecks: 3, consecutiveFailures: 2},
			],
		},
	],
});

describe('FleetPanel', () => {
	test('fleet p95 beside the local one, agents seen, each location with p95 and uptime; a failing location says so in words', () => {
		const frame = mono(
			<FleetPanel
				fleet={fleet(3)}
				probes={[probeSnapshot('board', t0)]}
				now={t0}
				failing={[{location: 'ap-south', probe: 'board', consecutiveFailures: 2}]}
				width={100}
			/>,
		);
		expect(frame).toContain('Fleet ✓ OK · 3/3 agents · window age 10s · 5400 calls/h');
		expect(frame).toContain('board: fleet p95 412 ms · local p95 200 ms · 1200 req · 2 % err');
		expect(frame).toMatch(/eu-west\s+p95\s+88\.1 ms\s+uptime\s+100\.0 %\s+1 agent\s+✓/);
		expect(frame).toMatch(/ap-south\s+p95\s+1300 ms\s+uptime\s+75\.0 %\s+1 agent\s+✗ 2 failed in a row/);
	});

	test('fewer agents than minAgents is NO DATA, not OK; no fleet renders nothing', () => {
		expect(mono(<FleetPanel fleet={fleet(2)} probes={[]} now={t0} width={120} />)).toContain('Fleet ? NO DATA · 2/3 agents');
		expect(mono(<FleetPanel fleet={null} probes={[]} now={t0} width={80} />)).toBe('');
	});
});
