/**
 * The snapshot the screen and `--json` show: the rules and gates evaluated
 * once per tick (the same results feed the check's input, the journal and the
 * stream), sparkline history per rule, and gate changes as events.
 */
import {describeActuator} from '../core/actuator-text.js';
import {reduceCanary} from '../core/canary-machine.js';
import type {GateView, RuleResult} from '../core/decision-types.js';
import {evaluateGates} from '../core/gates.js';
import {monitorAlerts, syntheticFailuresSetting} from '../core/fleet-checks.js';
import type {MonitorAlert} from '../core/fleet-checks.js';
import type {FleetSnapshot} from '../core/fleet-types.js';
import type {CloudWatchSnapshot, ProbeSnapshot} from '../core/measurements.js';
import {gatesInView} from '../core/pre-launch.js';
import {evaluateRules} from '../core/rules.js';
import type {Snapshot, SloView} from '../core/snapshot.js';
import {severityOf} from '../core/severity.js';
import {judgeSourceAge, probeSourceState, probesLastOkAt, sourceStaleBounds} from '../core/source-health.js';
import type {EngineContext} from './engine-context.js';
import {createFleetAlerts} from './fleet-alerts.js';

/** One tick's evaluation: what was measured and what the core made of it. */
export type Evaluation = {
	at: number;
	rules: RuleResult[];
	gates: GateView[];
	probes: ProbeSnapshot[];
	cloudwatch: CloudWatchSnapshot | null;
	fleet?: FleetSnapshot | null;
	/** Fleet locations failing the plan's `triggers.syntheticFailures.consecutive` checks in a row. */
	syntheticFailures?: MonitorAlert[];
};

export type ViewModel = {
	/** Reads the newest measurements, evaluates rules and gates once, and lets the reducer record gates A and B. */
	evaluate(at: number): Evaluation;
	/** One sparkline point per rule (NaN for no data); called once per check. */
	recordHistory(rules: RuleResult[]): void;
	/** Emits and journals each gate whose status changed since the last tick. */
	noteGateChanges(gates: GateView[]): void;
	build(evaluation: Evaluation): Snapshot;
};

export function createViewModel(ctx: EngineContext): ViewModel {
	const {plan, state, settings} = ctx;
	const history = new Map<string, number[]>();
	const gateStatus = new Map<string, string>();
	const syntheticFailures = syntheticFailuresSetting(plan);
	const fleetAlerts = createFleetAlerts(ctx.log, syntheticFailures.action);
	/** When the probes last read well: their source turns stale when this is too old. */
	let probesOkAt: number | null = null;

	return {
		evaluate(at) {
			const probes = ctx.ports.probes.latest();
			const cloudwatch = ctx.ports.cloudwatch.latest();
			const fleet = ctx.ports.fleet?.latest() ?? null;
			const failing = plan.fleet ? monitorAlerts(fleet, syntheticFailures.consecutive) : [];
			fleetAlerts(fleet, failing);
			const rules = evaluateRules(plan, {probes, cloudwatch, fleet}, at);
			const gates = evaluateGates(
				plan,
				{rules, canary: state.canary, signOffs: state.signOffs, autoResults: {...state.infraResults}, cloudwatch, fleet, steps: ctx.runbook.states()},
				at,
			);
			// The reducer keeps gates A and B: a start reads them, and once the canary starts they stand frozen.
			state.canary = reduceCanary(plan, state.canary, {type: 'gates', at, gates}).state;
			return {at, rules, gates: gatesInView(state.canary, gates), probes, cloudwatch, fleet, syntheticFailures: failing};
		},
		recordHistory(rules) {
			for (const rule of rules) {
				const values = history.get(rule.ruleId) ?? [];
				values.push(rule.status === 'PASS' || rule.status === 'BREACH' ? rule.value : Number.NaN);
				if (values.length > settings.historyLength) values.splice(0, values.length - settings.historyLength);
				history.set(rule.ruleId, values);
			}
		},
		noteGateChanges(gates) {
			for (const gate of gates) {
				const key = `${gate.status}|${gate.items.map((i) => i.status).join(',')}`;
				const previous = gateStatus.get(gate.gate);
				if (previous === key) continue;
				gateStatus.set(gate.gate, key);
				if (previous !== undefined || gate.status !== 'pending') {
					ctx.emit({kind: 'gate', gate});
					ctx.log.journalNote({type: 'gate', gate: gate.gate, status: gate.status, detail: gate.items.map((i) => `${i.id}=${i.status}`).join(' ')});
				}
			}
		},
		build({at, rules, gates, probes, cloudwatch, fleet, syntheticFailures: failing}) {
			const notify = settings.notifySource();
			const bounds = sourceStaleBounds(plan, ctx.ports.cloudwatch.pollIntervalMs?.() ?? null);
			probesOkAt = probesLastOkAt(probes, probesOkAt);
			const cloudwatchState = cloudwatch ? judgeSourceAge(cloudwatch.state, cloudwatch.lastSuccessAt, at, bounds.cloudwatch) : null;
			const notifySource = () => (notify ? {notify} : {});
			const slos: SloView[] = rules.map((rule) => {
				const severity = severityOf(plan, rule.ruleId);
				return {...rule, history: [...(history.get(rule.ruleId) ?? [])], ...(severity ? {severity} : {})};
			});
			return {
				at,
				service: plan.service,
				environment: plan.environment,
				startedAt: settings.startedAt,
				flagPercent: state.flagPercent,
				flagObservation: state.flagObservation,
				flag: plan.canary.flag,
				stages: plan.canary.stages,
				stageDurationMs: plan.canary.stageDurationMs,
				stabilizationMs: plan.canary.stabilizationMs,
				canary: state.canary,
				slos,
				gates,
				probes,
				// The table's badge is the source line's: a reading that stopped coming is stale there too.
				cloudwatch: cloudwatch && cloudwatchState ? {...cloudwatch, state: cloudwatchState} : null,
				...(plan.fleet ? {fleet: fleet ?? null, syntheticFailures: failing ?? []} : {}),
				sources: {
					probes: judgeSourceAge(probeSourceState(probes), probesOkAt, at, bounds.probes),
					cloudwatch: cloudwatchState ?? {kind: 'disabled', why: 'no CloudWatch in the plan'},
					flag: judgeSourceAge(state.flagState, state.flagOkAt, at, bounds.flag),
					...notifySource(),
				},
				decision: state.canary.lastDecision,
				action: state.action,
				mitigation: state.mitigation,
				log: [...ctx.log.entries],
				resumeNotice: state.resumeNotice,
				postLaunchWatch: ctx.runbook.banner(state.canary, at),
				fullRollback: plan.actions.fullRollback ? describeActuator(plan.actions.fullRollback) : null,
			};
		},
	};
}
