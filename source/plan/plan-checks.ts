/**
 * What the JSON Schema cannot say about a plan: stages strictly ascending and
 * ending at 100, ids unique, every reference (rule → probe, rule → CloudWatch
 * metric, environment, gate items → rules) resolving. Runs on a plan that already
 * passed the schema. Also fills the defaults that depend on other fields.
 */
import {isValidPublishInterval} from '../core/fleet-checks.js';
import {compareCheckIssue} from '../core/judge/compare-settings.js';
import type {Plan} from '../core/plan-types.js';

export type PlanIssue = {path: string; message: string};

function duplicates(ids: string[], basePath: string, what: string): PlanIssue[] {
	const seen = new Map<string, number>();
	const issues: PlanIssue[] = [];
	ids.forEach((id, index) => {
		const first = seen.get(id);
		if (first === undefined) seen.set(id, index);
		else issues.push({path: `${basePath}/${index}/id`, message: `duplicate ${what} id "${id}" (already used at ${basePath}/${first})`});
	});
	return issues;
}

const quoteList = (values: Iterable<string>): string => {
	const list = [...values].map((v) => `"${v}"`);
	return list.length > 0 ? list.join(', ') : '(none)';
};

/** Cross-field checks; an empty list means the plan is consistent. */
export function checkPlanSemantics(plan: Plan): PlanIssue[] {
	const issues: PlanIssue[] = [];

	const environments = Object.keys(plan.environments);
	if (!Object.hasOwn(plan.environments, plan.environment)) {
		issues.push({path: '/environment', message: `must name a key of /environments: ${quoteList(environments)} (got "${plan.environment}")`});
	}

	issues.push(
		...duplicates(
			plan.probes.map((p) => p.id),
			'/probes',
			'probe',
		),
	);
	issues.push(
		...duplicates(
			plan.slos.map((r) => r.id),
			'/slos',
			'rule',
		),
	);
	issues.push(
		...duplicates(
			plan.gates.map((g) => g.id),
			'/gates',
			'gate item',
		),
	);
	const metricIds = plan.cloudwatch?.metrics.map((m) => m.id) ?? [];
	issues.push(...duplicates(metricIds, '/cloudwatch/metrics', 'metric'));

	const probeIds = new Set(plan.probes.map((p) => p.id));
	const metrics = new Set(metricIds);
	const ruleIds = new Set(plan.slos.map((r) => r.id));
	const adoption = plan.report?.adoption?.metric;
	if (adoption !== undefined && !metrics.has(adoption))
		issues.push({path: '/report/adoption/metric', message: `must name a metric in /cloudwatch/metrics: ${quoteList(metrics)} (got "${adoption}")`});
	const probeRef = (probe: string, path: string): void => {
		if (!probeIds.has(probe)) issues.push({path, message: `must name a probe in /probes: ${quoteList(probeIds)} (got "${probe}")`});
	};

	plan.probes.forEach((probe, index) => {
		if (probe.path.includes('{id}') && (probe.ids === undefined || probe.ids.length === 0)) {
			issues.push({path: `/probes/${index}/ids`, message: 'path contains {id}, so ids must list at least one id'});
		}
		if (probe.kind === 'occ-move' && probe.body === undefined) {
			issues.push({path: `/probes/${index}/body`, message: 'an occ-move probe needs a body template, e.g. {"status": "{status}", "version": "{version}"}'});
		}
	});

	if (plan.fleet && !isValidPublishInterval(plan.fleet.publishIntervalMs)) {
		issues.push({
			path: '/fleet/publishIntervalMs',
			message: `must be whole seconds dividing a minute (1000, 2000, 3000, 5000, 10000, 15000, 20000, 30000 or 60000), got ${plan.fleet.publishIntervalMs}`,
		});
	}

	if (plan.triggers.syntheticFailures && !plan.fleet) {
		issues.push({path: '/triggers/syntheticFailures', message: 'needs a /fleet section (the probe agents are the synthetic monitors)'});
	}

	plan.slos.forEach((rule, index) => {
		const source = rule.source;
		switch (source.kind) {
			case 'probe': {
				probeRef(source.probe, `/slos/${index}/source/probe`);
				break;
			}
			case 'cloudwatch': {
				if (!plan.cloudwatch)
					issues.push({path: `/slos/${index}/source/metric`, message: `reads CloudWatch metric "${source.metric}" but the plan has no /cloudwatch section`});
				else if (!metrics.has(source.metric)) {
					issues.push({
						path: `/slos/${index}/source/metric`,
						message: `must name a metric in /cloudwatch/metrics: ${quoteList(metrics)} (got "${source.metric}")`,
					});
				}
				break;
			}
			case 'fleet': {
				probeRef(source.probe, `/slos/${index}/source/probe`);
				if (!plan.fleet)
					issues.push({
						path: `/slos/${index}/source`,
						message: 'reads the fleet but the plan has no /fleet section (e.g. "fleet": {"namespace": "golive/fleet"})',
					});
				break;
			}
			default: {
				const _never: never = source;
				return _never;
			}
		}
		const compareIssue = compareCheckIssue(plan, rule);
		if (compareIssue) issues.push({path: `/slos/${index}/compare`, message: compareIssue});
		if (rule.unit === 'ratio' && !(rule.threshold >= 0 && rule.threshold <= 1)) {
			issues.push({path: `/slos/${index}/threshold`, message: `a ratio threshold must be between 0 and 1 (0.01 = 1 %) (got ${rule.threshold})`});
		}
	});

	const {stages} = plan.canary;
	stages.forEach((stage, index) => {
		if (!(stage > 0 && stage <= 100)) {
			issues.push({path: `/canary/stages/${index}`, message: `must be a percentage in (0, 100] (got ${stage})`});
		} else if (index > 0 && !(stage > stages[index - 1]!)) {
			issues.push({path: `/canary/stages/${index}`, message: `stages must be strictly ascending: ${stage} does not follow ${stages[index - 1]}`});
		}
	});
	if (stages.at(-1) !== 100) {
		issues.push({path: `/canary/stages/${stages.length - 1}`, message: `the last stage must be 100 (got ${stages.at(-1)})`});
	}
	probeRef(plan.canary.abort.latency.probe, '/canary/abort/latency/probe');
	if (plan.canary.abort.errorRateProbe !== undefined) probeRef(plan.canary.abort.errorRateProbe, '/canary/abort/errorRateProbe');

	plan.gates.forEach((item, index) => {
		if (item.kind !== 'auto') {
			return;
		}
		const check = item.check;
		if (check.kind === 'slo') {
			check.rules.forEach((rule, r) => {
				if (!ruleIds.has(rule))
					issues.push({path: `/gates/${index}/check/rules/${r}`, message: `must name a rule in /slos: ${quoteList(ruleIds)} (got "${rule}")`});
			});
		} else if (check.kind === 'canary-stage' && !stages.includes(check.percent)) {
			issues.push({path: `/gates/${index}/check/percent`, message: `must be one of /canary/stages: ${stages.join(', ')} (got ${check.percent})`});
		} else if (check.kind === 'synthetic-uptime' && !plan.fleet) {
			issues.push({path: `/gates/${index}/check`, message: 'synthetic-uptime needs a /fleet section (the probe agents are the synthetic monitors)'});
		} else if (check.kind === 'alarms-ok' && !plan.cloudwatch) {
			issues.push({path: `/gates/${index}/check`, message: 'alarms-ok needs a /cloudwatch section with alarms'});
		}
	});

	issues.push(...checkRunbookPolicy(plan));
	if (plan.windowsMs && !(plan.windowsMs['1m'] < plan.windowsMs['5m'])) {
		issues.push({path: '/windowsMs/5m', message: `the 5m window must be longer than the 1m window (got ${plan.windowsMs['5m']} ≤ ${plan.windowsMs['1m']})`});
	}
	return issues;
}

/** Gate G's full rollback needs a command to run; checkpoints must fall inside the watch. */
function checkRunbookPolicy(plan: Plan): PlanIssue[] {
	const issues: PlanIssue[] = [];
	if (plan.canary.onGateGFail === 'full' && plan.actions.fullRollback === undefined) {
		issues.push({path: '/canary/onGateGFail', message: '"full" runs /actions/fullRollback, which the plan does not configure'});
	}
	const ruleIds = new Set(plan.slos.map((r) => r.id));
	const judged = new Map<string, number>();
	(plan.severities ?? []).forEach((level, index) => {
		if (level.severity === 'P1' && level.sustainedMs === undefined)
			issues.push({path: `/severities/${index}/sustainedMs`, message: 'P1 rolls back when a breach is sustained: say for how long (ms)'});
		if (level.severity !== 'P1' && level.sustainedMs !== undefined)
			issues.push({path: `/severities/${index}/sustainedMs`, message: `only P1 waits for a sustained breach (${level.severity} does not)`});
		level.rules.forEach((rule, r) => {
			const first = judged.get(rule);
			if (!ruleIds.has(rule))
				issues.push({path: `/severities/${index}/rules/${r}`, message: `must name a rule in /slos: ${quoteList(ruleIds)} (got "${rule}")`});
			else if (first !== undefined)
				issues.push({path: `/severities/${index}/rules/${r}`, message: `rule "${rule}" already has a severity at /severities/${first}`});
			else judged.set(rule, index);
		});
	});
	const watch = plan.postLaunch;
	if (watch) {
		const checkpoints = watch.checkpoints;
		if ('offsetsMs' in checkpoints) {
			checkpoints.offsetsMs.forEach((offset, index) => {
				if (offset > watch.watchMs)
					issues.push({path: `/postLaunch/checkpoints/offsetsMs/${index}`, message: `must fall inside watchMs ${watch.watchMs} (got ${offset})`});
				else if (index > 0 && !(offset > checkpoints.offsetsMs[index - 1]!))
					issues.push({
						path: `/postLaunch/checkpoints/offsetsMs/${index}`,
						message: `offsets must be strictly ascending: ${offset} does not follow ${checkpoints.offsetsMs[index - 1]}`,
					});
			});
		} else if (checkpoints.everyMs > watch.watchMs) {
			issues.push({path: '/postLaunch/checkpoints/everyMs', message: `must not exceed watchMs ${watch.watchMs} (got ${checkpoints.everyMs})`});
		}
	}
	return issues;
}

/**
 * Fills the defaults the schema cannot express because they depend on other fields:
 * a probe rule's `maxAgeMs` = 3 × check interval; CloudWatch `maxAgeMs` = 3 × the
 * longer of the poll interval and the longest metric period (a datapoint is stamped
 * with its period's start, so it is at least one period old when it arrives); a
 * CloudWatch rule's `maxAgeMs` = that CloudWatch `maxAgeMs`.
 */
export function fillDerivedDefaults(plan: Plan): Plan {
	const cloudwatch = plan.cloudwatch && {
		...plan.cloudwatch,
		maxAgeMs: plan.cloudwatch.maxAgeMs ?? 3 * Math.max(plan.cloudwatch.pollIntervalMs, ...plan.cloudwatch.metrics.map((m) => m.periodSec * 1000)),
	};
	const slos = plan.slos.map((rule) => {
		if (rule.maxAgeMs !== undefined) return rule;
		const fromCloudWatch = rule.source.kind === 'cloudwatch' && cloudwatch ? cloudwatch.maxAgeMs : 0;
		return {...rule, maxAgeMs: Math.max(3 * plan.canary.checkIntervalMs, fromCloudWatch)};
	});
	return cloudwatch ? {...plan, slos, cloudwatch} : {...plan, slos};
}
