/** `golive [run] --plan FILE`: the console (or `--json`) against a real service. */
import path from 'node:path';
import {parseCommandArgs, parsePositiveNumber, UsageError, withUsageErrors, type CommandIo} from '../cli-args.js';
import {parseSignOffs} from '../core/sign-offs.js';
import {runLaunch} from '../launch-runner.js';
import {formatPlanErrors, loadPlan, resolvePlanFile} from '../plan/load-plan.js';

const usage = `Usage: golive run --plan FILE [--json] [--auto] [--sign-off role="Name"]… [--events FILE]

Runs the launch the plan describes: gates A and B, the canary stages, Gate G,
rollback triggers; journals every decision and action; writes the report.
One writer per flag: when another process owns the flag (its lock in
<journalDir>/locks/), this run only watches the owner's journal, read-only, and
ends with the owner's outcome and exit code (3 when the owner stops without one).

Options:
  --plan FILE         the launch plan (default: ./golive.json)
  --json              NDJSON events on stdout (also when stdout is not a terminal)
  --auto              advance by itself when every check passes (triggers always roll back)
  --sign-off R="N"    a manual gate sign-off, e.g. --sign-off qa_lead="Jane Smith" (repeatable);
                      sign-offs recorded by 'golive check --sign-off' are picked up too
  --reject R="N"      a rejection (repeatable): the item fails and its gate holds
  --note TEXT         why, for --reject
  --until WHEN        headless: end at gate-g (default) or watch-end (after the post-launch watch)
  --gate-timeout S    headless: give up when gates A/B have not passed after S seconds (exit 3; default 600);
                      on a restarted unfinished launch, the longest it watches the resumed stage (triggers
                      armed, never promoting) before it ends inconclusive (exit 3)
  --journal FILE      this launch's journal: resumed when FILE exists, else a new launch is journaled
                      there (default: the newest unfinished journal in journalDir, else a new one)
  --events FILE       with the screen: also write the --json event stream to FILE

Exit codes: 0 success, 1 gate failed / rolled back, 2 usage or config error, 3 inconclusive,
4 rollback failed (rollback_failed: the flag never read back 0 % within actions.rollbackRetryForMs;
set it by hand), 130 interrupted. After a rollback the --json result carries
mitigation {flagPercent, verified, healthRestored}.

Examples:
  golive run --plan golive.json
  golive run --plan golive.json --json --auto --sign-off qa_lead="Jane Smith" --sign-off eng_lead="Ann Wu"
`;

export const runRunCommand = withUsageErrors('run', async (args: string[], io: CommandIo): Promise<number> => {
	const {values} = parseCommandArgs('run', args, {
		plan: {type: 'string'},
		json: {type: 'boolean', default: false},
		auto: {type: 'boolean', default: false},
		'sign-off': {type: 'string', multiple: true, default: []},
		reject: {type: 'string', multiple: true, default: []},
		note: {type: 'string'},
		until: {type: 'string'},
		'gate-timeout': {type: 'string'},
		journal: {type: 'string'},
		events: {type: 'string'},
		help: {type: 'boolean', short: 'h', default: false},
	});
	if (values.help) {
		io.stdout.write(usage);
		return 0;
	}
	const file = resolvePlanFile(values.plan, process.cwd());
	const loaded = loadPlan(file, io.env);
	if (!loaded.ok) {
		io.stderr.write(`golive: the plan is not valid:\n${formatPlanErrors(loaded.errors)}\n`);
		return 2;
	}
	const signed = parseSignOffs(values['sign-off'] ?? [], loaded.plan.gates);
	if (!signed.ok) throw new UsageError(signed.message, 'run');
	const rejected = parseSignOffs(values.reject ?? [], loaded.plan.gates, {note: values.note ?? ''});
	if (!rejected.ok) throw new UsageError(rejected.message, 'run');
	const until = values.until ?? 'gate-g';
	if (until !== 'gate-g' && until !== 'watch-end') throw new UsageError(`--until must be gate-g or watch-end (got "${until.slice(0, 20)}")`, 'run');
	if (until === 'watch-end' && loaded.plan.postLaunch === undefined) throw new UsageError('--until watch-end needs a postLaunch section in the plan', 'run');
	const gateTimeout = parsePositiveNumber(values['gate-timeout'], '--gate-timeout', 'run') ?? 600;
	const json = values.json || !io.stdout.isTTY;
	return runLaunch({
		plan: loaded.plan,
		command: 'run',
		json,
		auto: values.auto,
		signOffs: [...signed.signOffs, ...rejected.signOffs],
		until,
		io,
		preLaunchTimeoutMs: json ? gateTimeout * 1000 : null,
		...(values.journal ? {journalFile: values.journal} : {}),
		...(values.events ? {eventsFile: path.resolve(values.events)} : {}),
	});
});
