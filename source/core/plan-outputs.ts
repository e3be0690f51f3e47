/**
 * The plan's outputs beyond the flag: where status messages go (`notify`) and
 * what the launch report says about the build (`report`). Types and their JSON
 * Schema side by side; `plan-types.ts` and `plan-schema.ts` include them.
 */
import {messageKinds, messageStyles, type MessageKind, type MessageStyle} from '../report/messages.js';

export type NotifyTarget = {
	/** `slack`: a Slack incoming webhook (text + blocks); `webhook`: the message as JSON. */
	kind: 'slack' | 'webhook';
	/**
	 * Where to POST. A secret: write it as `${SLACK_WEBHOOK_URL}`; it is resolved
	 * only when sending and never printed, journaled or streamed.
	 */
	url: string;
	/** Which messages go to this target. @default every message */
	events?: MessageKind[];
	/** One delivery attempt's deadline, ms. @default 5000 */
	timeoutMs?: number;
	/** Tries per message before it is given up (and the target shows degraded). @default 4 */
	attempts?: number;
};

export type ReportPlan = {
	/** Whose words the status messages use. @default 'statusboard' */
	messageStyle?: MessageStyle;
	/** The run sheet's "Build ID", e.g. `${BUILD_ID}`. */
	buildId?: string;
	/** The run sheet's "Git Tag", e.g. `${GIT_TAG}`. */
	gitTag?: string;
	/** Links for the report's artifacts and the success message (deployment logs, dashboards, user guide). */
	links?: Array<{label: string; url: string}>;
	/** "User Adoption": a CloudWatch metric of the plan, as it reads one hour after T+0 (or at the end). */
	adoption?: {metric: string; label?: string};
	/** The 📊 stage update during a canary, every this many ms. @default 600000 (the Commander script's 10 minutes) */
	statusUpdateEveryMs?: number;
	/** Post-launch checkpoints after T+0, ms (the TEEI run-of-show's T+1h, T+4h, T+8h). @default [] */
	checkpointsMs?: number[];
};

const durationMs = {type: 'integer', exclusiveMinimum: 0, maximum: 2_147_483_647} as const;
const text = {type: 'string', minLength: 1, maxLength: 200} as const;
const closed = (properties: Record<string, unknown>, required: string[]) => ({type: 'object', additionalProperties: false, properties, required});

export const notifySchema = {
	type: 'array',
	maxItems: 10,
	items: closed(
		{
			kind: {enum: ['slack', 'webhook']},
			url: {type: 'string', minLength: 1, maxLength: 2048},
			events: {type: 'array', uniqueItems: true, items: {enum: [...messageKinds]}},
			timeoutMs: {type: 'integer', minimum: 100, maximum: 60_000},
			attempts: {type: 'integer', minimum: 1, maximum: 10},
		},
		['kind', 'url'],
	),
} as const;

export const reportPlanSchema = closed(
	{
		messageStyle: {enum: [...messageStyles]},
		buildId: text,
		gitTag: text,
		links: {type: 'array', maxItems: 20, items: closed({label: text, url: {type: 'string', pattern: '^https?://', maxLength: 2048}}, ['label', 'url'])},
		adoption: closed({metric: {type: 'string', minLength: 1, maxLength: 64}, label: text}, ['metric']),
		statusUpdateEveryMs: {...durationMs, minimum: 1000},
		checkpointsMs: {type: 'array', maxItems: 20, items: durationMs},
	},
	[],
);
