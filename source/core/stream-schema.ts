/**
 * The `--json` event stream: one JSON object per line on stdout. This schema is
 * the contract scripts and CI rely on; `golive schema` prints it and the tests
 * validate real output against it. Bump `streamSchemaVersion` on any change
 * that is not a pure addition.
 */

import {comparisonJsonSchema, variantsJsonSchema} from './judge/comparison-json.js';

export const streamSchemaVersion = 1;
const streamSchemaId = `https://golive.dev/schema/events-v${streamSchemaVersion}.json`;

const nullableNumber = {type: ['number', 'null']} as const;
const ts = {type: 'string', format: 'date-time', description: 'ISO 8601 time the event was written.'} as const;
const sourceState = {
	type: 'object',
	required: ['kind'],
	properties: {
		kind: {enum: ['ok', 'starting', 'disabled', 'degraded', 'stale', 'error']},
		code: {type: 'string'},
		lastOkAt: {type: 'number'},
		ageMs: {type: 'number'},
		message: {type: 'string'},
		why: {type: 'string'},
		retryInMs: {type: 'number'},
	},
} as const;
const evidence = {
	type: 'object',
	required: ['ruleId', 'window', 'value', 'threshold', 'samples', 'ageMs'],
	properties: {
		ruleId: {type: 'string'},
		window: {type: 'string'},
		windowMs: {type: 'number', description: "The window's real length, when the plan sets windowsMs (the demo's 1m is 8000)."},
		value: nullableNumber,
		threshold: nullableNumber,
		samples: {type: 'number'},
		ageMs: nullableNumber,
	},
} as const;
const gateItem = {
	type: 'object',
	required: ['id', 'label', 'status', 'detail'],
	properties: {
		id: {type: 'string'},
		label: {type: 'string'},
		kind: {enum: ['auto', 'manual', 'step']},
		status: {enum: ['pass', 'fail', 'no_data', 'waiting_sign_off', 'pending', 'skipped']},
		detail: {type: 'string'},
		output: {type: 'string'},
	},
} as const;

/** The launch as the control commands report it (`golive status`). */
const launchStatus = {
	source: {enum: ['owner', 'journal']},
	at: {type: 'string'},
	service: {type: 'string'},
	environment: {type: 'string'},
	flag: {type: 'string'},
	flagPercent: nullableNumber,
	phase: {type: 'string'},
	stage: {type: 'object', properties: {percent: nullableNumber, index: {type: ['integer', 'null']}}},
	paused: {type: ['boolean', 'null']},
	armed: {type: ['boolean', 'null']},
	rules: {
		type: 'array',
		items: {
			type: 'object',
			required: ['id', 'value', 'threshold', 'status'],
			properties: {
				id: {type: 'string'},
				label: {type: 'string'},
				value: nullableNumber,
				threshold: nullableNumber,
				op: {type: 'string'},
				unit: {type: 'string'},
				status: {type: 'string'},
				samples: nullableNumber,
				window: {type: 'string'},
				ageMs: nullableNumber,
			},
		},
	},
	decision: {type: ['object', 'null']},
	rollback: {type: ['object', 'null'], properties: {phase: {type: 'string'}, detail: {type: ['string', 'null']}}},
	outcome: {type: ['string', 'null']},
	journal: {type: ['string', 'null']},
	ownerPid: {type: ['integer', 'null']},
} as const;

/** A read-only watcher's owner: the process that holds the flag lock (see `watch`). */
const watching = {
	type: 'object',
	required: ['pid', 'host', 'since', 'journal'],
	description: 'Present only when this run is a read-only watcher: the owner of the flag lock, whose journal it follows. A watcher never writes the flag.',
	properties: {pid: {type: 'integer'}, host: {type: 'string'}, since: {type: 'string'}, journal: {type: 'string'}},
} as const;

/** One event's schema; literal types kept, so `stream-event-types.ts` derives the event's type from it. */
function event<const T extends string, const P extends Record<string, unknown>, const R extends readonly (keyof P & string)[]>(
	type: T,
	required: R,
	properties: P,
	description: string,
) {
	return {
		type: 'object',
		description,
		required: ['type', 'ts', ...required],
		properties: {type: {const: type}, ts, ...properties},
	} as const;
}

export const streamSchema = {
	$schema: 'http://json-schema.org/draft-07/schema#',
	$id: streamSchemaId,
	title: 'golive --json event stream',
	description: 'Each line of stdout is one of these events. Logs go to stderr, never here. The last line is a `result`.',
	version: streamSchemaVersion,
	oneOf: [
		event(
			'start',
			['schemaVersion', 'command', 'service', 'environment', 'flag', 'stages'],
			{
				schemaVersion: {const: streamSchemaVersion},
				golive: {type: 'string', description: 'golive version'},
				command: {enum: ['demo', 'run']},
				scenario: {type: 'string'},
				service: {type: 'string'},
				environment: {type: 'string'},
				flag: {type: 'string'},
				stages: {type: 'array', items: {type: 'number'}},
				auto: {type: 'boolean'},
				journal: {type: ['string', 'null']},
				watching,
			},
			'First line: what runs, against what.',
		),
		event(
			'snapshot',
			['phase', 'stage', 'flagPercent', 'slos', 'sources', 'gates'],
			{
				phase: {enum: ['pre', 'stage', 'stabilizing', 'succeeded', 'rolled_back', 'aborted']},
				stage: {
					type: 'object',
					required: ['index', 'percent'],
					properties: {index: {type: ['integer', 'null']}, percent: nullableNumber, enteredAt: {type: ['string', 'null']}},
				},
				flagPercent: nullableNumber,
				paused: {type: 'boolean'},
				armed: {type: 'boolean'},
				slos: {
					type: 'array',
					items: {
						type: 'object',
						required: ['id', 'value', 'threshold', 'status', 'samples'],
						properties: {
							id: {type: 'string'},
							label: {type: 'string'},
							value: nullableNumber,
							threshold: {type: 'number'},
							op: {enum: ['<', '<=']},
							unit: {enum: ['ms', 'ratio', 'count']},
							status: {enum: ['PASS', 'BREACH', 'NO_DATA', 'STALE']},
							samples: {type: 'number'},
							ageMs: nullableNumber,
							window: {type: 'string'},
							source: {type: 'string'},
							note: {type: 'string'},
							comparison: comparisonJsonSchema,
						},
					},
				},
				probes: {
					type: 'array',
					items: {
						type: 'object',
						required: ['id', 'requests', 'errorRate', 'conflicts', 'schedulerValid'],
						properties: {
							id: {type: 'string'},
							requests: {type: 'number'},
							errorRate: nullableNumber,
							conflicts: {type: 'number'},
							p95Ms: nullableNumber,
							meanMs: nullableNumber,
							lagP99Ms: nullableNumber,
							schedulerValid: {type: 'boolean'},
							lastError: {type: ['string', 'null']},
							variants: variantsJsonSchema,
						},
					},
				},
				cloudwatch: {
					oneOf: [
						{type: 'null'},
						{
							type: 'object',
							required: ['state', 'metrics', 'alarms', 'callsLastHour'],
							properties: {
								state: sourceState,
								metrics: {
									type: 'array',
									items: {
										type: 'object',
										required: ['id', 'value', 'ageMs', 'statusCode'],
										properties: {id: {type: 'string'}, label: {type: 'string'}, value: nullableNumber, ageMs: nullableNumber, statusCode: {type: 'string'}},
									},
								},
								alarms: {
									type: 'array',
									items: {
										type: 'object',
										required: ['name', 'state', 'reason', 'ageMs'],
										properties: {
											name: {type: 'string'},
											state: {enum: ['OK', 'ALARM', 'INSUFFICIENT_DATA']},
											reason: {type: 'string'},
											ageMs: {...nullableNumber, description: 'Milliseconds since the alarm changed state.'},
											readAgeMs: {...nullableNumber, description: 'Milliseconds since CloudWatch last reported it (the last good poll); null before one.'},
										},
									},
								},
								missingAlarms: {type: 'array', items: {type: 'string'}},
								callsLastHour: {type: 'number'},
							},
						},
					],
				},
				fleet: {
					oneOf: [
						{type: 'null'},
						{
							type: 'object',
							required: ['state', 'agents', 'minAgents', 'probes'],
							properties: {
								state: sourceState,
								agents: {type: 'number'},
								minAgents: {type: 'number'},
								window: {
									type: ['object', 'null'],
									required: ['start', 'end'],
									properties: {start: {type: 'string'}, end: {type: 'string'}},
									description: 'The percentile window CloudWatch computed over, [start, end).',
								},
								intervalMs: {type: 'number'},
								callsLastHour: {type: 'number'},
								alerts: {
									type: 'array',
									description: 'Locations whose newest synthetic checks failed twice or more in a row.',
									items: {
										type: 'object',
										required: ['location', 'probe', 'consecutiveFailures'],
										properties: {location: {type: 'string'}, probe: {type: 'string'}, consecutiveFailures: {type: 'number'}},
									},
								},
								probes: {
									type: 'array',
									items: {
										type: 'object',
										required: ['id', 'p50', 'p95', 'p99', 'requests', 'errors', 'agents', 'locations'],
										properties: {
											id: {type: 'string'},
											p50: nullableNumber,
											p95: nullableNumber,
											p99: nullableNumber,
											requests: {type: 'number'},
											errors: {type: 'number'},
											timeouts: {type: 'number'},
											agents: {type: 'number'},
											locations: {
												type: 'array',
												items: {
													type: 'object',
													required: ['name', 'p95', 'uptime'],
													properties: {
														name: {type: 'string'},
														p95: nullableNumber,
														uptime: nullableNumber,
														agents: {type: 'number'},
														checks: {type: 'number'},
														failedChecks: {type: 'number'},
														consecutiveFailures: {type: 'number'},
													},
												},
											},
										},
									},
								},
							},
						},
					],
				},
				sources: {
					type: 'object',
					required: ['probes', 'cloudwatch', 'flag'],
					properties: {probes: sourceState, cloudwatch: sourceState, flag: sourceState, notify: sourceState},
				},
				gates: {
					type: 'array',
					items: {type: 'object', required: ['gate', 'status'], properties: {gate: {enum: ['A', 'B', 'C', 'D', 'E', 'F', 'G']}, status: {type: 'string'}}},
				},
				mitigation: {
					type: ['object', 'null'],
					properties: {
						triggeredAt: {type: 'string'},
						confirmedAt: {type: ['string', 'null']},
						rollback: {
							type: 'object',
							required: ['phase'],
							description:
								'Where the rollback stands, from read-backs and probes only: writing, failing (a try failed; next try at nextTryAt), gave_up (actions.rollbackRetryForMs spent), applied (flag read 0 %), verified (health back), not_healthy (actions.postRollbackWatchMs passed without health).',
							properties: {
								phase: {enum: ['writing', 'failing', 'gave_up', 'applied', 'verified', 'not_healthy']},
								tries: {type: 'number'},
								nextTryAt: {type: ['number', 'null'], description: 'failing: when the next try goes out; null while it is being written.'},
								flagReadPercent: nullableNumber,
								appliedAt: {type: 'number'},
								healthyAt: {type: 'number'},
								detail: {type: 'string'},
							},
						},
					},
				},
				flagObservation: {
					type: 'object',
					required: ['percent', 'readAt', 'outsideChange'],
					description:
						'The flag as read at the last check (golive reads it at every check) and the last change made outside golive; auto-advance stays stopped until the operator acknowledges it (`golive acknowledge`, key o) or re-arms.',
					properties: {
						percent: nullableNumber,
						readAt: {type: ['string', 'null']},
						outsideChange: {
							type: ['object', 'null'],
							required: ['from', 'to', 'at', 'acknowledged'],
							properties: {from: nullableNumber, to: nullableNumber, at: {type: ['string', 'null']}, acknowledged: {type: 'boolean'}},
						},
					},
				},
			},
			'The launch at one check: stage, every SLO with value/threshold/status/samples, CloudWatch values and alarms with data age.',
		),
		event(
			'gate',
			['gate', 'status', 'items'],
			{
				gate: {enum: ['A', 'B', 'C', 'D', 'E', 'F', 'G']},
				status: {enum: ['pass', 'fail', 'no_data', 'pending', 'active', 'skipped']},
				items: {type: 'array', items: gateItem},
				exitCode: {enum: [0, 1, 2, 3]},
			},
			'A gate changed status (and the one object `golive check --json` prints).',
		),
		event(
			'decision',
			['kind', 'reason', 'evidence'],
			{
				kind: {enum: ['promote', 'hold', 'rollback', 'succeed', 'abort']},
				reason: {type: 'string'},
				trigger: {type: 'string'},
				severity: {enum: ['P0', 'P1', 'P2', 'P3']},
				fromPercent: {type: 'number'},
				toPercent: {type: 'number'},
				evidence: {type: 'array', items: evidence},
			},
			'What the decision engine decided and why: rule ids, windows, observed values, samples, data age.',
		),
		event(
			'action',
			['phase', 'id', 'action', 'targetPercent', 'detail'],
			{
				phase: {enum: ['intent', 'outcome']},
				id: {type: 'string'},
				action: {enum: ['promote', 'emergency_rollback', 'full_rollback', 'hook']},
				targetPercent: nullableNumber,
				ok: {type: 'boolean'},
				detail: {type: 'string'},
				reason: {type: 'string'},
			},
			'A flag write or hook: the intent (journaled before acting) and its read-back outcome.',
		),
		event(
			'log',
			['level', 'text'],
			{level: {enum: ['info', 'warn', 'error', 'success']}, text: {type: 'string'}, message: {type: 'string'}},
			'Human-readable progress; `message` is a ready-to-paste status update.',
		),
		event(
			'status',
			['source', 'service', 'flag', 'flagPercent', 'phase', 'stage', 'rules'],
			launchStatus,
			'`golive status --json`: the launch live from its owner, or as last recorded in the newest journal.',
		),
		event(
			'control',
			['command', 'accepted', 'detail', 'via', 'status'],
			{
				command: {type: 'string'},
				accepted: {type: 'boolean'},
				detail: {type: 'string'},
				via: {enum: ['owner', 'self', 'journal']},
				status: {oneOf: [{type: 'null'}, {type: 'object', properties: launchStatus}]},
			},
			'`golive promote|rollback|pause|resume|acknowledge|sign-off|note --json`: done or refused, why, and the launch afterwards.',
		),
		event(
			'watch',
			['watching', 'what', 'phase', 'stage', 'flagPercent', 'decision', 'outcome'],
			{
				watching,
				what: {type: 'string', description: 'What the owner just did, from its journal (a decision, an action and its read-back, a gate, the end).'},
				seq: {type: 'integer', description: "The owner's journal sequence number this state includes."},
				phase: {enum: ['waiting', 'pre', 'canary', 'rolled_back', 'ended']},
				stage: {type: 'object', required: ['percent', 'index'], properties: {percent: nullableNumber, index: {type: ['integer', 'null']}}},
				flagPercent: {...nullableNumber, description: 'The flag as the owner last read it (a check or a read-back).'},
				decision: {type: ['object', 'null'], properties: {kind: {type: 'string'}, reason: {type: 'string'}, at: {type: 'string'}}},
				outcome: {type: ['string', 'null']},
			},
			"A read-only watcher (another process owns the flag): the owner's launch as its journal shows it. A watcher emits no snapshot, decision or action of its own; its result is the owner's outcome and exit code (3 when the owner stops without one).",
		),
		event(
			'result',
			['outcome', 'exitCode', 'reason'],
			{
				outcome: {
					enum: ['success', 'rolled_back', 'rollback_failed', 'aborted', 'inconclusive', 'interrupted'],
					description: '`rollback_failed` (exit 4): the rollback did not hold within actions.rollbackRetryForMs; the flag is not at 0 %: act by hand.',
				},
				exitCode: {
					enum: [0, 1, 2, 3, 4, 130],
					description: '0 success, 1 gate failed / rolled back, 2 usage or config error, 3 inconclusive, 4 rollback failed, 130 interrupted.',
				},
				reason: {type: 'string'},
				durationMs: {type: 'number'},
				mitigationSeconds: nullableNumber,
				mitigation: {
					type: 'object',
					required: ['flagPercent', 'verified', 'healthRestored'],
					additionalProperties: false,
					description:
						'After a rollback: flagPercent as last read back, verified = the flag read back 0 %, healthRestored = successful responses (none from V2) and every rule passing after it.',
					properties: {flagPercent: nullableNumber, verified: {type: 'boolean'}, healthRestored: {type: 'boolean'}},
				},
				journal: {type: ['string', 'null']},
				report: {type: ['string', 'null']},
				watching,
			},
			'Last line: how the launch ended and the process exit code.',
		),
	],
} as const;
