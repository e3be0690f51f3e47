/**
 * The plan's outputs beyond the flag: where status messages go (`notify`) and
 * what the launch report says about the build (`report`). The JSON Schema is
 * the source; the types are derived from it. `plan-schema.ts` includes it.
 */
import type {FromSchema} from 'json-schema-to-ts';
import {messageKinds, messageStyles} from '../report/messages.js';

/** A target status messages are sent to (`plan.notify[]`). */
export type NotifyTarget = FromSchema<typeof notifySchema>[number];

const durationMs = {type: 'integer', exclusiveMinimum: 0, maximum: 2_147_483_647} as const;
const text = {type: 'string', minLength: 1, maxLength: 200} as const;
const closed = <const P extends Record<string, unknown>, const R extends readonly (keyof P & string)[]>(properties: P, required: R) =>
	({type: 'object', additionalProperties: false, properties, required}) as const;

export const notifySchema = {
	type: 'array',
	maxItems: 10,
	items: closed(
		{
			kind: {enum: ['slack', 'webhook'], description: '`slack`: a Slack incoming webhook (text + blocks); `webhook`: the message as JSON.'},
			url: {
				type: 'string',
				minLength: 1,
				maxLength: 2048,
				description: 'Where to POST. A secret: write it as `${SLACK_WEBHOOK_URL}`; resolved only when sending, never printed, journaled or streamed.',
			},
			events: {type: 'array', uniqueItems: true, items: {enum: [...messageKinds]}, description: 'Which messages go to this target. Absent: every message.'},
			timeoutMs: {type: 'integer', minimum: 100, maximum: 60_000, description: "One delivery attempt's deadline, ms. Absent: 5000."},
			attempts: {type: 'integer', minimum: 1, maximum: 10, description: 'Tries per message before it is given up (and the target shows degraded). Absent: 4.'},
		},
		['kind', 'url'],
	),
} as const;

export const reportPlanSchema = closed(
	{
		messageStyle: {enum: [...messageStyles], description: "Whose words the status messages use. Absent: 'statusboard'."},
		buildId: {...text, description: 'The run sheet\'s "Build ID", e.g. `${BUILD_ID}`.'},
		gitTag: {...text, description: 'The run sheet\'s "Git Tag", e.g. `${GIT_TAG}`.'},
		links: {type: 'array', maxItems: 20, items: closed({label: text, url: {type: 'string', pattern: '^https?://', maxLength: 2048}}, ['label', 'url'])},
		adoption: closed({metric: {type: 'string', minLength: 1, maxLength: 64}, label: text}, ['metric']),
		statusUpdateEveryMs: {
			...durationMs,
			minimum: 1000,
			description: "The stage update during a canary, every this many ms. Absent: 600000 (the Commander script's 10 minutes).",
		},
		checkpointsMs: {
			type: 'array',
			maxItems: 20,
			items: durationMs,
			description: "Post-launch checkpoints after T+0, ms (the TEEI run-of-show's T+1h, T+4h, T+8h).",
		},
	},
	[],
);
