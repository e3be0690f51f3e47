/**
 * Delivers status messages to the plan's `notify` targets: Slack incoming
 * webhooks (text + blocks) and plain webhooks (the message as a JSON event).
 * `post` only queues and returns: a slow, failing or hanging receiver never
 * delays an action. Each target delivers in order, one message at a time, each
 * try bounded by a deadline, failed tries retried with backoff; every result
 * is journaled. A target whose last message was not delivered is a degraded
 * source. The URL is a secret: it is resolved from the environment only to
 * send, and never appears in a log line, the journal, the stream or an error.
 */
import type {SourceState} from '../core/measurements.js';
import type {NotifyTarget} from '../core/plan-outputs.js';
import type {Plan} from '../core/plan-types.js';
import type {JournalInput} from '../journal/records.js';
import {interpolateString} from '../plan/interpolate.js';
import {renderMessage, type RenderedMessage, type StatusMessage} from '../report/messages.js';

export type NotifierOptions = {
	plan: Plan;
	env: NodeJS.ProcessEnv;
	now: () => number;
	/** Delivery results go here (the journal). */
	record: (entry: JournalInput) => void;
	/** First retry after this long, doubling. @default 1000 */
	backoffMs?: number;
	/** Messages waiting per target beyond this are dropped, oldest first (and said). @default 200 */
	maxQueue?: number;
};

export type Notifier = {
	/** Queues the messages for every target that wants them; returns at once. */
	post(messages: readonly StatusMessage[]): void;
	/** Degraded while any target's last message failed; null without targets. */
	state(): SourceState | null;
	/** Waits (bounded) for queued messages to go out, then stops. */
	close(waitMs?: number): Promise<void>;
};

type Queued = {rendered: RenderedMessage; at: number};

/** Slack incoming-webhook JSON: `text` for notifications and old clients, blocks for the message itself. */
function slackPayload(m: RenderedMessage, plan: Pick<Plan, 'service' | 'environment'>): Record<string, unknown> {
	return {
		text: m.text,
		blocks: [
			{type: 'header', text: {type: 'plain_text', text: m.title.slice(0, 150), emoji: true}},
			{type: 'section', text: {type: 'mrkdwn', text: m.text.slice(0, 3000)}},
			{type: 'context', elements: [{type: 'mrkdwn', text: `${plan.service} · ${plan.environment} · ${m.kind} · golive`}]},
		],
	};
}

/** The webhook body: the message as one event of the `--json` stream's shape. */
function webhookPayload(m: RenderedMessage, plan: Pick<Plan, 'service' | 'environment'>, at: number): Record<string, unknown> {
	return {
		type: 'message',
		ts: new Date(at).toISOString(),
		kind: m.kind,
		severity: m.severity,
		title: m.title,
		text: m.text,
		service: plan.service,
		environment: plan.environment,
	};
}

/** What went wrong, in words that never include the URL. */
function failure(error: unknown): string {
	const e = error as {name?: string; cause?: {code?: string}; code?: string};
	if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out';
	const code = e?.cause?.code ?? e?.code;
	return code ? `connection failed (${code})` : 'request failed';
}

/** A wait that never keeps the process alive by itself: a headless run exits when its launch ends. */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export function createNotifier(options: NotifierOptions): Notifier {
	const {plan, env, now, record} = options;
	const targets = plan.notify ?? [];
	const backoffMs = options.backoffMs ?? 1000;
	const maxQueue = options.maxQueue ?? 200;
	let closed = false;

	const lanes = targets.map((target, index) => {
		const name = `${target.kind}#${index + 1}`;
		const queue: Queued[] = [];
		let running: Promise<void> | null = null;
		let lastError: string | null = null;
		let dropped = 0;

		async function deliver(item: Queued): Promise<void> {
			const url = interpolateString(target.url, env, '').value;
			const body = JSON.stringify(target.kind === 'slack' ? slackPayload(item.rendered, plan) : webhookPayload(item.rendered, plan, item.at));
			const attempts = target.attempts ?? 4;
			let detail = '';
			for (let attempt = 1; attempt <= attempts; attempt += 1) {
				try {
					const response = await fetch(url, {
						method: 'POST',
						headers: {'content-type': 'application/json'},
						body,
						signal: AbortSignal.timeout(target.timeoutMs ?? 5000),
						redirect: 'error',
					});
					await response.body?.cancel().catch(() => undefined);
					if (response.ok) {
						lastError = null;
						record({type: 'notify', target: name, message: item.rendered.kind, ok: true, attempts: attempt, detail: `HTTP ${response.status}`});
						return;
					}
					detail = `HTTP ${response.status}`;
				} catch (error) {
					detail = failure(error);
				}
				if (attempt < attempts && !closed) await sleep(backoffMs * 2 ** (attempt - 1));
				else if (closed) break;
			}
			lastError = `${item.rendered.kind} not delivered: ${detail}`;
			record({type: 'notify', target: name, message: item.rendered.kind, ok: false, attempts, detail});
		}

		async function drain(): Promise<void> {
			for (let item = queue.shift(); item; item = queue.shift()) await deliver(item);
			running = null;
		}

		return {
			name,
			target,
			push(item: Queued): void {
				queue.push(item);
				if (queue.length > maxQueue) {
					queue.shift();
					dropped += 1;
					lastError = `${dropped} message(s) dropped: the receiver is too slow`;
				}
				running ??= drain();
			},
			idle: () => running ?? Promise.resolve(),
			error: () => lastError,
		};
	});

	const wants = (target: NotifyTarget, kind: string): boolean => target.events === undefined || target.events.some((e) => e === kind);

	return {
		post(messages) {
			if (closed) return;
			for (const message of messages) {
				const rendered = renderMessage(message, plan.service, plan.report?.messageStyle ?? 'statusboard');
				for (const lane of lanes) if (wants(lane.target, rendered.kind)) lane.push({rendered, at: now()});
			}
		},
		state() {
			if (lanes.length === 0) return null;
			const failing = lanes.filter((l) => l.error() !== null);
			return failing.length === 0 ? {kind: 'ok'} : {kind: 'degraded', why: failing.map((l) => `${l.name}: ${l.error()}`).join('; '), retryInMs: 0};
		},
		async close(waitMs = 5000) {
			const idle = Promise.all(lanes.map((l) => l.idle()));
			// This wait holds the process open on purpose (the caller finishes its run after it); it is cleared at once.
			let timer: ReturnType<typeof setTimeout> | undefined;
			await Promise.race([idle, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
			clearTimeout(timer);
			closed = true;
		},
	};
}
