/**
 * `golive init [--preset statusboard|commander|fleet-manager|teei] [--out FILE] [--force]`:
 * writes a starter launch plan from a preset (the StatusBoardV2 run sheet, the Go-Live Commander script, the Fleet Manager playbook, the TEEI run-of-show) and says what to edit next.
 */
import {parseCommandArgs, UsageError, withUsageErrors, type CommandIo} from '../cli-args.js';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {defaultPlanFile} from '../plan/load-plan.js';
import {defaultMinApprovals} from '../core/plan-schema.js';
import type {PlanDocument} from '../core/plan-types.js';
import {presetNames, presetPlan, type PresetName} from '../plan/presets.js';

export type {CommandIo} from '../cli-args.js';

const usage = `Usage: golive init [--preset ${presetNames.join('|')}] [--out FILE] [--force]

Writes a starter launch plan (default ${defaultPlanFile}) with the runbook's numbers.
  --preset NAME  statusboard (default): StatusBoardV2 run sheet, 10/30/50/100 × 10 min
                 commander: Go-Live Commander script, error < 0.5 %, Approver on A, B, 100 % and
                   the launch, full rollback when Gate G fails
                 fleet-manager: Fleet Manager playbook, targets 0.1 % / 500 ms, rollback on
                   error > 5 % now, > 1 % for 15 min, p95 > 2 s sustained; 24 h review watch
                 teei: TEEI run-of-show, P0–P3, p95 ≤ 500 ms, T+1/4/8/24 h checkpoints
  --out FILE     where to write (default ${defaultPlanFile})
  --force        overwrite an existing file
`;

function isPreset(value: string): value is PresetName {
	return (presetNames as readonly string[]).includes(value);
}

/** `${NAME}` variables a plan references, in order of first use, with their header-ness. */
function referencedVariables(value: unknown, inHeaders = false, out = new Map<string, boolean>()): Map<string, boolean> {
	if (typeof value === 'string') {
		for (const match of value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}/g)) {
			const name = match[1]!;
			out.set(name, (out.get(name) ?? true) && inHeaders);
		}
	} else if (Array.isArray(value)) {
		for (const item of value) referencedVariables(item, inHeaders, out);
	} else if (value !== null && typeof value === 'object') {
		for (const [key, item] of Object.entries(value)) referencedVariables(item, inHeaders || key === 'headers', out);
	}
	return out;
}

/** `--sign-off role="Name"` flags for Gate A's first manual item, as many as it needs. */
function signOffExample(plan: PlanDocument): string {
	const item = plan.gates?.find((g) => g.gate === 'A' && g.kind === 'manual');
	if (!item || item.kind !== 'manual') return '';
	return item.roles
		.slice(0, item.minApprovals ?? defaultMinApprovals)
		.map((role) => ` --sign-off ${role}="Name"`)
		.join('');
}

/** Runs `golive init`; returns the exit code (0 written, 1 exists without --force, 2 usage). */
export const runInitCommand = withUsageErrors('init', async (args: string[], io: CommandIo): Promise<number> => {
	const {values} = parseCommandArgs('init', args, {
		preset: {type: 'string'},
		out: {type: 'string', short: 'o'},
		force: {type: 'boolean', short: 'f'},
		help: {type: 'boolean', short: 'h'},
	});
	if (values.help) {
		io.stdout.write(usage);
		return 0;
	}
	const presetName = values.preset ?? 'statusboard';
	if (!isPreset(presetName)) {
		throw new UsageError(`unknown preset "${presetName}" (expected one of: ${presetNames.join(', ')})`, 'init');
	}
	const cwd = io.cwd ?? process.cwd();
	const outArg = values.out ?? defaultPlanFile;
	const file = path.resolve(cwd, outArg);
	const plan = presetPlan(presetName);
	const text = `${JSON.stringify(plan, null, 2)}\n`;
	try {
		// 'wx' makes "refuse to overwrite" atomic: no check-then-write race.
		writeFileSync(file, text, {encoding: 'utf8', flag: values.force ? 'w' : 'wx'});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EEXIST') {
			io.stderr.write(`golive init: ${outArg} already exists; not overwriting it (use --force to replace it)\n`);
			return 1;
		}
		io.stderr.write(`golive init: cannot write ${outArg}: ${(error as Error).message}\n`);
		return 2;
	}

	const variables = referencedVariables(plan);
	const urls = [...variables].filter(([, headerOnly]) => !headerOnly).map(([name]) => name);
	const secrets = [...variables].filter(([, headerOnly]) => headerOnly).map(([name]) => name);
	const planFlag = outArg === defaultPlanFile ? '' : ` --plan ${outArg}`;
	const lines = [
		`Wrote ${outArg} (preset ${presetName}: ${plan.service}, stages ${plan.canary.stages.join('→')} %, flag ${plan.canary.flag}).`,
		'',
		'Next:',
		`  1. Export the variables it reads: ${urls.join(', ')}${secrets.length > 0 ? ` (and ${secrets.join(', ')} for request headers, read at request time and never stored)` : ''}.`,
		'  2. Edit the probes (paths, ids, rates), the flag API under "actions" and the gate items to match your service.',
		plan.cloudwatch
			? `  3. Check "cloudwatch": region ${plan.cloudwatch.region ?? '(from AWS_REGION)'}, alarms ${plan.cloudwatch.alarms?.prefix ? `prefix "${plan.cloudwatch.alarms.prefix}"` : 'by name'}, metric dimensions.`
			: '  3. Add a "cloudwatch" section if your alarms live there (Gate B checks them).',
		`  4. Validate staging: golive check --gate A${planFlag}${signOffExample(plan)}`,
		`  5. Then production prep: golive check --gate B${planFlag}; then run: golive run${planFlag}`,
		'',
	];
	io.stdout.write(lines.join('\n'));
	return 0;
});
