/**
 * The owner's notifications for one launch: the engine's events through the
 * message feed into the notifier. Nothing here is awaited by the engine.
 */
import type {Plan} from '../core/plan-types.js';
import type {SourceState} from '../core/measurements.js';
import type {EngineEvent} from '../engine/engine-types.js';
import type {JournalPort} from '../engine/ports.js';
import {createMessageFeed} from './message-feed.js';
import {createNotifier} from './notifier.js';

export type Notifications = {
	attach(engine: {onEvent(listener: (event: EngineEvent) => void): () => void}): void;
	state(): SourceState | null;
	/** Gives queued messages a bounded moment to go out. */
	close(): Promise<void>;
};

export function startNotifications(options: {plan: Plan; env: NodeJS.ProcessEnv; now: () => number; journal: JournalPort}): Notifications | null {
	const {plan, journal} = options;
	if (!plan.notify || plan.notify.length === 0) return null;
	const notifier = createNotifier({...options, record: (entry) => void journal.append(entry).catch(() => undefined)});
	const feed = createMessageFeed(plan);
	return {
		attach(engine) {
			engine.onEvent((event) => notifier.post(feed(event)));
		},
		state: () => notifier.state(),
		close: () => notifier.close(),
	};
}
