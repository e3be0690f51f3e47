/**
 * The TEEI run-of-show's synthetic-monitor alert: when a location's checks fail twice in a
 * row, the console says so (event log, warning) and the journal keeps a note, so the launch
 * report's timeline shows it with the location's uptime; when it recovers, that too. An
 * alert, as the run-of-show asks, not a rollback: one location's network is not the release.
 */
import {monitorAlerts} from '../core/fleet-checks.js';
import type {FleetSnapshot} from '../core/fleet-types.js';
import type {EventLog} from './event-log.js';
import {formatUptime} from '../core/format.js';

export function createFleetAlerts(log: EventLog): (fleet: FleetSnapshot | null) => void {
	const active = new Set<string>();
	return (fleet) => {
		if (!fleet || fleet.state.kind !== 'ok') return;
		const now = new Set<string>();
		for (const alert of monitorAlerts(fleet)) {
			const key = `${alert.location}/${alert.probe}`;
			now.add(key);
			if (active.has(key)) continue;
			const uptime = fleet.probes.find((p) => p.id === alert.probe)?.locations.find((l) => l.name === alert.location)?.uptime ?? Number.NaN;
			const text = `Synthetic monitor ${key}: ${alert.consecutiveFailures} checks failed in a row (uptime ${formatUptime(uptime)})`;
			log.add('warn', text);
			log.journalNote({type: 'note', text, by: 'synthetic monitors'});
		}
		for (const key of active) {
			if (now.has(key)) continue;
			const text = `Synthetic monitor ${key}: passing again`;
			log.add('info', text);
			log.journalNote({type: 'note', text, by: 'synthetic monitors'});
		}
		active.clear();
		for (const key of now) active.add(key);
	};
}
