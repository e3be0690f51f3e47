/**
 * The TEEI run-of-show's synthetic-monitor alert: when a location's checks fail
 * `triggers.syntheticFailures.consecutive` times in a row (2 unless the plan says otherwise),
 * the console says so (event log, warning) and the journal keeps a note, so the launch report's
 * timeline shows it with the location's uptime; when it recovers, that too. With the plan's
 * action `rollback` the core's trigger also rolls back (core/triggers.ts); this only tells.
 */
import type {MonitorAlert} from '../core/fleet-checks.js';
import type {FleetSnapshot} from '../core/fleet-types.js';
import type {SyntheticFailuresTrigger} from '../core/plan-types.js';
import type {EventLog} from './event-log.js';
import {formatUptime} from '../core/format.js';

export function createFleetAlerts(log: EventLog, action: SyntheticFailuresTrigger['action']): (fleet: FleetSnapshot | null, failing: MonitorAlert[]) => void {
	const active = new Set<string>();
	return (fleet, failing) => {
		if (!fleet || fleet.state.kind !== 'ok') return;
		const now = new Set<string>();
		for (const alert of failing) {
			const key = `${alert.location}/${alert.probe}`;
			now.add(key);
			if (active.has(key)) continue;
			const uptime = fleet.probes.find((p) => p.id === alert.probe)?.locations.find((l) => l.name === alert.location)?.uptime ?? Number.NaN;
			const text = `Synthetic monitor ${key}: ${alert.consecutiveFailures} checks failed in a row (uptime ${formatUptime(uptime)})${action === 'rollback' ? ' — a rollback trigger while the canary is live' : ''}`;
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
