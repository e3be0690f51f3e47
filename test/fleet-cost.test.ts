/** The README's "Scale on paper" table is what `fleetCost` computes. */
import {readFileSync} from 'node:fs';
import {expect, it} from 'vitest';
import {fleetCost} from '../source/core/fleet-cost.js';
import {root} from './helpers/spawn-cli.js';

const money = (n: number): string => `$${n.toFixed(2)}`;

it('README "Scale on paper" rows match fleetCost for 5, 50 and 500 agents', () => {
	const readme = readFileSync(`${root}/README.md`, 'utf8');
	for (const agents of [5, 50, 500]) {
		const c = fleetCost({agents, locations: agents, probes: 4, variants: 2, publishIntervalMs: 10_000, readIntervalMs: 10_000, watchMs: 3_600_000});
		const p = c.costPerHour;
		const row = `| ${agents} | ${c.dataPerAgentInterval}${agents === 5 ? ' (95 KB at worst)' : ''} | ${c.putCallsPerHour.toLocaleString('en-US')} | ${c.customMetrics.toLocaleString('en-US')} | ${c.metricsRequestedPerRead.toLocaleString('en-US')} (${c.getCallsPerRead}) | ${money(p.put)} + ${money(p.metrics)} + ${money(p.get)} = **${money(p.total)}** |`;
		expect(readme).toContain(row);
	}
	const big = fleetCost({agents: 500, locations: 500, probes: 4, variants: 2, publishIntervalMs: 10_000, readIntervalMs: 10_000, watchMs: 3_600_000});
	expect(Math.ceil(big.datapointsPerRead / 100_800)).toBe(17);
	expect(
		fleetCost({agents: 500, locations: 500, probes: 4, variants: 2, publishIntervalMs: 10_000, readIntervalMs: 10_000, watchMs: 3 * 3_600_000})
			.datapointsPerRead,
	).toBeGreaterThan(20 * 100_800);
});
