/**
 * `golive check --gate A|B [--plan FILE] [--env NAME] [--json] [--sign-off role="Name"]…`:
 * one-shot gate validation, the StatusBoardV2 run sheet's `production-launch.sh validate`.
 *
 * Gate A (staging validation): health, a short probe burst judged by the plan's
 * SLO rules, UAT sign-offs given on the command line. Gate B (production prep):
 * health 200, DNS, TLS ≥ N days (https only), CloudWatch alarms OK or
 * INSUFFICIENT_DATA, rollback configured and the flag readable.
 *
 * Exit: 0 every item passed; 1 an item failed or lacks its sign-offs; 3 no item
 * failed but some had no data (a source down, too few samples); 2 usage or plan error.
 */
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {parseSignOffs} from '../core/sign-offs.js';
import {journalDirFor} from '../journal/location.js';
import {pendingSignOffsFile, recordSignOffs} from '../journal/pending-sign-offs.js';
import {createFlagController} from '../actions/flag-controller.js';
import {initialCanaryState} from '../core/canary-machine.js';
import type {GateItemStatus, GateView, RuleResult} from '../core/decision-types.js';
import {evaluateGates, type AutoResult} from '../core/gates.js';
import type {CloudWatchSnapshot, ProbeSnapshot} from '../core/measurements.js';
import type {GateId, GateItemPlan, Plan, ProbeSpec} from '../core/plan-types.js';
import {createRedactor, secretsFromPlan} from '../core/redact.js';
import {evaluateRules} from '../core/rules.js';
import {sanitize} from '../core/sanitize.js';
import {gateEvent} from '../engine/stream-events.js';
import {formatPlanErrors, loadPlan, resolvePlanFile} from '../plan/load-plan.js';
import {checkDns, checkHealth, checkTls, parseHostTarget} from '../../probes/infra-checks.js';
import {createProbeEngine} from '../../probes/probe-engine.js';
import {parseCommandArgs, UsageError, withUsageErrors, type CommandIo} from '../cli-args.js';

export type CheckIo = CommandIo & {
	/** Epoch-ms clock. @default Date.now */
	now?: () => number;
};

const checkableGates = ['A', 'B'] as const;
/** Scheduler lag p99 above which the burst's numbers are marked suspect (NO_DATA). */
const burstMaxLagMs = 50;
type CheckableGate = (typeof checkableGates)[number];

const usage = `Usage: golive check --gate A|B [--plan FILE] [--env NAME] [--json] [--sign-off role="Name"]…

One-shot gate validation (the StatusBoardV2 run sheet's production-launch.sh validate).
  --gate A|B          A: staging validation (health, probe burst vs SLOs, UAT sign-offs)
                      B: production prep (health, DNS, TLS ≥ 30 days, alarms, rollback)
  --plan FILE         launch plan (default golive.json)
  --env NAME          environment to check (default: "staging" for A, "production" for B
                      when the plan has them, else the plan's "environment")
  --sign-off R="N"    a sign-off by N in role R (repeatable), e.g. --sign-off qa_lead="Ana Ruiz";
                      recorded for the next 'golive run' of this service (its journal directory)
  --reject R="N"      a rejection by N in role R (repeatable): the item fails and the gate holds
  --note TEXT         why, for --reject
  --duration S        probe burst length for Gate A (default 5)
  --timeout MS        per-check timeout (default 5000)
  --json              print one {"type":"gate",…} object instead of the table
Exit codes: 0 pass, 1 fail, 2 usage/plan error, 3 not enough data.
`;

/** Default environment per gate: the run sheet validates staging at A and production at B. */
function defaultEnvironment(plan: Plan, gate: CheckableGate): string {
	const preferred = gate === 'A' ? 'staging' : 'production';
	return Object.hasOwn(plan.environments, preferred) ? preferred : plan.environment;
}

/** Runs the probes the gate's SLO items need for `durationMs`, fast enough to reach every rule's minimum samples. */
async function probeBurst(plan: Plan, baseUrl: string, ruleIds: Set<string>, durationMs: number, io: CheckIo): Promise<ProbeSnapshot[]> {
	const rules = plan.slos.filter((r) => ruleIds.has(r.id));
	const probeIds = new Set(rules.flatMap((r) => (r.source.kind === 'probe' ? [r.source.probe] : [])));
	if (probeIds.size === 0) return [];
	const seconds = durationMs / 1000;
	const probes: ProbeSpec[] = plan.probes
		.filter((p) => probeIds.has(p.id))
		.map((p) => {
			const minSamples = Math.max(0, ...rules.filter((r) => r.source.kind === 'probe' && r.source.probe === p.id).map((r) => r.minSamples));
			// Twice the minimum, so a few errors or a late start cannot leave a rule short; capped so staging is not load-tested.
			const needed = Math.ceil((2 * minSamples) / seconds);
			return {...p, ratePerSec: Math.min(Math.max(p.ratePerSec, needed), 50)};
		});
	// Latency counts from the intended send, so scheduler lag can only make the numbers worse, never
	// better; a one-shot burst on a busy CI runner gets more slack than the live console's 10 ms.
	const engine = createProbeEngine({baseUrl, probes, env: io.env, now: io.now, maxLagMs: burstMaxLagMs});
	engine.start();
	try {
		await new Promise((resolve) => setTimeout(resolve, durationMs));
	} finally {
		await engine.stop();
	}
	return engine.snapshot();
}

/**
 * Rules over the burst. A probe whose scheduler only lagged (nothing dropped) still
 * measured every request from its intended send time, so lag can only have made
 * latency look worse, by at most the lag: a PASS stands; a latency BREACH stands
 * only if it still breaches with the lag taken off, else it may be golive's own
 * slowness and becomes NO_DATA. Lag does not make errors or conflicts, so those
 * verdicts stand. Dropped sends stay NO_DATA as the rules engine says.
 */
export function judgeBurst(plan: Plan, probes: ProbeSnapshot[], cloudwatch: CloudWatchSnapshot | null, at: number): RuleResult[] {
	const lagging = new Map(probes.filter((p) => !p.scheduler.valid && p.scheduler.dropped === 0).map((p) => [p.probeId, p.scheduler.lagP99Ms]));
	const trusted = probes.map((p) => (lagging.has(p.probeId) ? {...p, scheduler: {...p.scheduler, valid: true}} : p));
	return evaluateRules(plan, {probes: trusted, cloudwatch}, at).map((r): RuleResult => {
		const rule = plan.slos.find((s) => s.id === r.ruleId);
		const lag = rule?.source.kind === 'probe' ? lagging.get(rule.source.probe) : undefined;
		if (r.status !== 'BREACH' || lag === undefined || r.unit !== 'ms') return r;
		const withoutLag = r.value - lag;
		const stillBreached = r.op === '<' ? !(withoutLag < r.threshold) : !(withoutLag <= r.threshold);
		if (stillBreached) return {...r, note: `breached even with the scheduler's lag (p99 ${Math.round(lag)} ms) taken off`};
		return {...r, status: 'NO_DATA', note: `probe scheduler lagged (p99 ${Math.round(lag)} ms): the breach may be golive's, not the service's`};
	});
}

async function pollCloudWatch(plan: Plan, io: CheckIo, now: () => number, timeoutMs: number): Promise<CloudWatchSnapshot | null> {
	if (!plan.cloudwatch) return null;
	// Loaded only when a gate needs it: the AWS SDK is a large part of startup time.
	const {createCloudWatchSource} = await import('../../probes/cloudwatch.js');
	const source = createCloudWatchSource(plan.cloudwatch, {now, env: io.env, timeoutMs});
	try {
		return await source.poll();
	} finally {
		source.close();
	}
}

async function autoCheck(item: GateItemPlan & {kind: 'auto'}, plan: Plan, io: CheckIo, timeoutMs: number, now: () => number): Promise<AutoResult | null> {
	const check = item.check;
	switch (check.kind) {
		case 'health': {
			return checkHealth(check.url, {timeoutMs});
		}
		case 'dns': {
			return checkDns(check.host, {timeoutMs});
		}
		case 'tls': {
			const target = parseHostTarget(check.host);
			if (target.protocol === 'http:') {
				// Nothing to verify: the plan says this endpoint is plain HTTP (e.g. a loopback service).
				return {status: 'pass', detail: `n/a: ${sanitize(target.host, 80)} is served over http://, no certificate to check`};
			}
			return checkTls(target.host, check.port ?? target.port ?? 443, {minDays: check.minDays, timeoutMs, now});
		}
		case 'rollback-configured': {
			const controller = createFlagController(plan, {env: io.env, now});
			const read = await controller.read();
			if (read.ok) {
				const version = read.version === null ? '' : `, version ${sanitize(String(read.version), 40)}`;
				return {
					status: 'pass',
					detail: `flag ${plan.canary.flag} reads back at ${read.percent} %${version}; set-flag ${plan.actions.setFlag.kind}${plan.actions.fullRollback ? `, full rollback ${plan.actions.fullRollback.kind}` : ''}`,
				};
			}
			return {status: 'fail', detail: `flag ${sanitize(read.error, 200)}`};
		}
		case 'alarms-ok':
		case 'slo':
		case 'canary-stage':
		case 'stabilized':
		case 'synthetic-uptime': {
			// Judged by evaluateGates from the CloudWatch snapshot, the rules and the canary state.
			return null;
		}
		default: {
			const _never: never = check;
			return _never;
		}
	}
}

/** 0 all pass; 1 any fail (missing sign-offs included); 3 otherwise (no data, pending). */
export function gateExitCode(view: GateView): 0 | 1 | 3 {
	const statuses = view.items.map((i) => i.status);
	if (statuses.length > 0 && statuses.every((s) => s === 'pass')) return 0;
	if (statuses.some((s) => s === 'fail' || s === 'waiting_sign_off')) return 1;
	return 3;
}

const symbols: Record<GateItemStatus, string> = {pass: '✓', fail: '✗', waiting_sign_off: '✗', no_data: '?', pending: '?', skipped: '»'};
const verdicts: Record<number, string> = {0: 'PASS', 1: 'FAIL', 3: 'NO DATA'};

function formatTable(view: GateView, environment: string, baseUrl: string, exitCode: number): string {
	const idWidth = Math.max(...view.items.map((i) => i.id.length), 2);
	const labelWidth = Math.min(Math.max(...view.items.map((i) => i.label.length), 5), 56);
	const lines = [`Gate ${view.gate} — ${view.title} (${environment}: ${sanitize(baseUrl, 120)})`];
	for (const item of view.items) {
		const label = item.label.length > labelWidth ? `${item.label.slice(0, labelWidth - 1)}…` : item.label.padEnd(labelWidth);
		const status = item.status === 'waiting_sign_off' ? 'waiting for sign-off: ' : item.status === 'no_data' ? 'no data: ' : '';
		lines.push(`  ${symbols[item.status]} ${item.id.padEnd(idWidth)}  ${label}  ${status}${item.detail}`);
	}
	lines.push(`Gate ${view.gate}: ${verdicts[exitCode] ?? 'NO DATA'} (exit ${exitCode})`, '');
	return lines.join('\n');
}

/** Runs `golive check`; returns the exit code. */
export const runCheckCommand = withUsageErrors('check', async (args: string[], io: CheckIo): Promise<number> => {
	const now = io.now ?? Date.now;
	const {values} = parseCommandArgs('check', args, {
		gate: {type: 'string', short: 'g'},
		plan: {type: 'string', short: 'p'},
		env: {type: 'string'},
		json: {type: 'boolean'},
		'sign-off': {type: 'string', multiple: true},
		reject: {type: 'string', multiple: true},
		note: {type: 'string'},
		duration: {type: 'string'},
		timeout: {type: 'string'},
		help: {type: 'boolean', short: 'h'},
	});
	if (values.help) {
		io.stdout.write(usage);
		return 0;
	}
	const usageError = (message: string): never => {
		throw new UsageError(message, 'check');
	};
	const gate = values.gate?.toUpperCase();
	if (gate === undefined) return usageError('--gate A|B is required');
	if (!(checkableGates as readonly string[]).includes(gate)) {
		return usageError(`--gate must be A or B (got "${sanitize(values.gate, 20)}"); gates C–G are judged live by 'golive run'`);
	}
	const durationS = values.duration === undefined ? 5 : Number(values.duration);
	if (!(Number.isFinite(durationS) && durationS > 0 && durationS <= 300)) return usageError('--duration must be a number of seconds in (0, 300]');
	const timeoutMs = values.timeout === undefined ? 5000 : Number(values.timeout);
	if (!(Number.isInteger(timeoutMs) && timeoutMs > 0 && timeoutMs <= 120_000)) return usageError('--timeout must be an integer number of ms in (0, 120000]');

	const file = resolvePlanFile(values.plan, io.cwd ?? process.cwd());
	const loaded = loadPlan(file, io.env);
	if (!loaded.ok) {
		io.stderr.write(`${formatPlanErrors(loaded.errors)}\n`);
		return 2;
	}
	const plan = loaded.plan;
	const checkGate = gate as CheckableGate & GateId;
	const environment = values.env ?? defaultEnvironment(plan, checkGate);
	const env = plan.environments[environment];
	if (!Object.hasOwn(plan.environments, environment) || env === undefined) {
		return usageError(`--env "${sanitize(environment, 40)}" is not in the plan's environments (${Object.keys(plan.environments).join(', ')})`);
	}
	const items = plan.gates.filter((g) => g.gate === checkGate);
	if (items.length === 0) return usageError(`the plan has no items for Gate ${checkGate} (add them under "gates")`);
	const signed = parseSignOffs(values['sign-off'] ?? [], items);
	if (!signed.ok) return usageError(signed.message);
	const rejected = parseSignOffs(values.reject ?? [], items, {note: values.note ?? ''});
	if (!rejected.ok) return usageError(rejected.message);
	const signedAt = now();
	const given = [...signed.signOffs, ...rejected.signOffs].map((o) => ({...o, at: signedAt}));
	// Recorded where the launch finds them: the next `golive run` of this service journals them as its own.
	if (given.length > 0) {
		const stored = pendingSignOffsFile(journalDirFor(plan), plan.service);
		await mkdir(path.dirname(stored), {recursive: true});
		await recordSignOffs(stored, given);
		io.stderr.write(`golive check: ${given.length} sign-off${given.length === 1 ? '' : 's'} recorded for the launch in ${stored}\n`);
	}

	const redactor = createRedactor(secretsFromPlan(plan, io.env));
	const sloRuleIds = new Set(items.flatMap((i) => (i.kind === 'auto' && i.check.kind === 'slo' ? i.check.rules : [])));
	const needsCloudWatch =
		items.some((i) => i.kind === 'auto' && i.check.kind === 'alarms-ok') || plan.slos.some((r) => sloRuleIds.has(r.id) && r.source.kind === 'cloudwatch');

	const autoResults: Record<string, AutoResult> = {};
	const guarded = async <T>(label: string, task: () => Promise<T>, fallback: T, onError: (message: string) => void): Promise<T> => {
		try {
			return await task();
		} catch (error) {
			// The checks never throw by contract; this keeps a bug in one from hiding the others.
			onError(`${label} failed: ${sanitize((error as Error).message, 200)}`);
			return fallback;
		}
	};
	let burstError: string | null = null;
	const [cloudwatch] = await Promise.all([
		needsCloudWatch
			? guarded(
					'CloudWatch poll',
					() => pollCloudWatch(plan, io, now, timeoutMs),
					null,
					(m) => io.stderr.write(`golive check: ${m}\n`),
				)
			: Promise.resolve(null),
		...items.map(async (item) => {
			if (item.kind !== 'auto') return;
			const result = await guarded(
				item.id,
				() => autoCheck(item, plan, io, timeoutMs, now),
				null,
				(m) => {
					autoResults[item.id] = {status: 'no_data', detail: m};
				},
			);
			if (result) autoResults[item.id] = result;
		}),
	]);

	// After the one-off checks, so their start-up work does not disturb the latency measurement.
	const probes =
		sloRuleIds.size > 0
			? await guarded(
					'probe burst',
					() => probeBurst(plan, env.baseUrl, sloRuleIds, durationS * 1000, io),
					[] as ProbeSnapshot[],
					(m) => (burstError = m),
				)
			: [];

	const at = now();
	let rules: RuleResult[] = judgeBurst(plan, probes, cloudwatch, at);
	if (burstError !== null) rules = rules.map((r) => (sloRuleIds.has(r.ruleId) ? {...r, status: 'NO_DATA', note: burstError ?? undefined} : r));
	const views = evaluateGates(plan, {rules, canary: initialCanaryState(), signOffs: given, autoResults, cloudwatch}, at);
	// Runbook steps (deploys, smoke tests) run in `golive run`, never in a validation.
	const found = views.map((v) => ({...v, items: v.items.filter((i) => i.kind !== 'step')})).find((v) => v.gate === checkGate);
	if (!found) return usageError(`Gate ${checkGate} was not evaluated`);
	const view: GateView = {
		...found,
		items: found.items.map((i) => ({...i, label: sanitize(redactor.redactText(i.label), 200), detail: sanitize(redactor.redactText(i.detail), 400)})),
	};
	const exitCode = gateExitCode(view);
	if (values.json) {
		io.stdout.write(`${JSON.stringify(gateEvent(view, at, exitCode))}\n`);
	} else {
		io.stdout.write(formatTable(view, environment, env.baseUrl, exitCode));
	}
	return exitCode;
});
