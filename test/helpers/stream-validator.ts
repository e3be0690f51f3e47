/** Validates `--json` lines against the schema `golive schema` prints (the spawned CLI's own). */
import {Ajv} from 'ajv';
import {runCli} from './spawn-cli.js';

export type StreamValidator = {validate(line: unknown): boolean; errorsText(): string};

export async function loadStreamValidator(): Promise<StreamValidator> {
	const schemaRun = await runCli(['schema']);
	if (schemaRun.code !== 0) throw new Error(`golive schema exited ${String(schemaRun.code)}: ${schemaRun.stderr}`);
	const ajv = new Ajv({allErrors: true, strict: false});
	ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
	const compiled = ajv.compile(JSON.parse(schemaRun.stdout) as object);
	return {validate: (line) => compiled(line) as boolean, errorsText: () => ajv.errorsText(compiled.errors)};
}
