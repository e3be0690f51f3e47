/**
 * The probe agents' merged view: per probe the fleet percentile (CloudWatch's, over every
 * agent) beside this console's own, the agents seen against minAgents, and each location's
 * p95 and synthetic-monitor uptime. Renders nothing without a fleet in the plan.
 */
import React from 'react';
import {Box} from 'ink';
import {fleetUnusable, minUptime} from '../source/core/fleet-checks.js';
import type {MonitorAlert} from '../source/core/fleet-checks.js';
import type {FleetSnapshot} from '../source/core/fleet-types.js';
import type {ProbeSnapshot} from '../source/core/measurements.js';
import {formatDuration, formatRuleValue, formatUptime} from '../source/core/format.js';
import {fit, sourceBadge, type Tone} from './badges.js';
import {Colored} from './theme.js';

export type FleetLine = {text: string; tone: Tone};

/** The panel as lines: a header, then per probe one line and one line per location; `failing` as the snapshot's `syntheticFailures`. */
export function fleetLines(fleet: FleetSnapshot, probes: ProbeSnapshot[], now: number, failing: MonitorAlert[]): FleetLine[] {
	const why = fleetUnusable(fleet);
	const badge =
		fleet.state.kind === 'ok'
			? why
				? {symbol: '?', word: 'NO DATA', tone: 'yellow' as const}
				: {symbol: '✓', word: 'OK', tone: 'green' as const}
			: sourceBadge(fleet.state);
	const age = formatDuration(Number.isFinite(fleet.windowEndMs) ? now - fleet.windowEndMs : null);
	const lines: FleetLine[] = [
		{
			text: `Fleet ${badge.symbol} ${badge.word} · ${fleet.agents}/${fleet.minAgents} agents · window age ${age} · ${fleet.callsLastHour} calls/h${why && fleet.state.kind === 'ok' ? ` · ${why}` : ''}`,
			tone: badge.tone,
		},
	];
	for (const p of fleet.probes) {
		const local = probes.find((s) => s.probeId === p.id)?.windows['1m'].latencyMs.p95 ?? Number.NaN;
		const errors = p.requests > 0 ? p.errors / p.requests : Number.NaN;
		lines.push({
			text: `${p.id}: fleet p95 ${formatRuleValue(p.p95, 'ms')} · local p95 ${formatRuleValue(local, 'ms')} · ${p.requests} req · ${formatRuleValue(errors, 'ratio')} err`,
			tone: undefined,
		});
		for (const l of p.locations) {
			const failed = failing.some((f) => f.location === l.name && f.probe === p.id);
			const low = Number.isFinite(l.uptime) && l.uptime < minUptime;
			const mark = failed ? `✗ ${l.consecutiveFailures} failed in a row` : low ? '✗ below 90 %' : Number.isFinite(l.uptime) ? '✓' : '? no check yet';
			lines.push({
				text: `  ${l.name.padEnd(12)} p95 ${formatRuleValue(l.p95, 'ms').padStart(9)}  uptime ${formatUptime(l.uptime).padStart(7)}  ${l.agents} agent${l.agents === 1 ? '' : 's'}  ${mark}`,
				tone: failed || low ? 'red' : Number.isFinite(l.uptime) ? undefined : 'yellow',
			});
		}
	}
	return lines;
}

export type FleetPanelProps = {
	fleet: FleetSnapshot | null | undefined;
	probes: ProbeSnapshot[];
	now: number;
	/** The snapshot's `syntheticFailures`: locations failing the plan's consecutive checks. @default none */
	failing?: MonitorAlert[];
	width: number;
	/** Lines at most. @default 8 */
	maxRows?: number;
};

export function FleetPanel({fleet, probes, now, failing = [], width, maxRows = 8}: FleetPanelProps) {
	if (!fleet) return null;
	return (
		<Box flexDirection="column" width={width}>
			{fleetLines(fleet, probes, now, failing)
				.slice(0, maxRows)
				.map((line, k) => (
					<Colored key={k} tone={line.tone} bold={k === 0}>
						{fit(line.text, width)}
					</Colored>
				))}
		</Box>
	);
}
