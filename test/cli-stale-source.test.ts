/**
 * CloudWatch that stops answering, end to end: `golive run --json` spawned
 * against `golive demo --serve`, with the fault proxy between golive and the
 * CloudWatch-compatible endpoint. Once the proxy hangs every call, the
 * CloudWatch source turns `stale` (with the age of its last good read and why)
 * within its bound and never reads ok again while the hang lasts; the alarms
 * carry the age of that read. Every line validates against `golive schema`.
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {loadStreamValidator} from './helpers/stream-validator.js';
import {afterAll, describe, expect, it} from 'vitest';
import {proxiedPlan, startServedDemo, type ServedDemo} from './helpers/demo-serve.js';
import {startFaultProxy, type FaultProxy} from './helpers/fault-proxy.js';
import {parseNdjson, runCli} from './helpers/spawn-cli.js';

type Source = {kind: string; ageMs?: number; why?: string};
type SnapshotLine = {
	type: 'snapshot';
	ts: string;
	sources: {cloudwatch: Source};
	cloudwatch: {state: Source; alarms: Array<{name: string; state: string; readAgeMs: number | null}>} | null;
};

let served: ServedDemo | null = null;
let proxy: FaultProxy | null = null;
afterAll(async () => {
	await proxy?.close();
	await served?.stop();
});

describe('a CloudWatch endpoint that stops answering (spawned CLI, demo --serve, fault proxy)', () => {
	it('turns the CloudWatch source stale within its bound, never ok while it hangs; alarms carry their read age', {timeout: 120_000}, async () => {
		served = await startServedDemo();
		proxy = await startFaultProxy(served.cloudwatchUrl);
		const journalDir = mkdtempSync(path.join(tmpdir(), 'golive-stale-cw-'));
		const plan = proxiedPlan(served, served.serviceUrl, 'stale-cloudwatch.json', {journalDir, cloudwatch: {endpoint: proxy.url}});
		let buffered = '';
		let hungAt = 0;
		const r = await runCli(['run', '--plan', plan, '--json', '--sign-off', 'qa_lead=Jane Smith', '--sign-off', 'product_owner=Sam Lee'], {
			timeoutMs: 90_000,
			// Ends the run once the source has read stale for 10 s or more.
			interruptWhen: /"cloudwatch":\{"kind":"stale","lastOkAt":\d+,"ageMs":(?:[2-9]\d|1\d\d)\d{3}/,
			onStdout(chunk) {
				buffered += chunk;
				// Once CloudWatch has answered well, every call hangs (the demo polls every 2 s; each call is bounded at 5 s).
				if (hungAt === 0 && buffered.includes('"cloudwatch":{"kind":"ok"}')) {
					hungAt = Date.now();
					proxy!.setMode('/', {kind: 'hang'});
				}
			},
		});
		expect(r.stderr).not.toMatch(/^\s+at /m);
		expect(hungAt, r.stderr.slice(-2000)).toBeGreaterThan(0);
		const {validate, errorsText} = await loadStreamValidator();
		for (const line of parseNdjson(r.stdout))
			if (!validate(line)) throw new Error(`line does not match the schema: ${errorsText()}\n${JSON.stringify(line).slice(0, 400)}`);
		const snapshots = parseNdjson(r.stdout).filter((l) => l.type === 'snapshot') as unknown as SnapshotLine[];
		const kinds = snapshots.map((s) => s.sources.cloudwatch.kind);
		const firstStale = kinds.indexOf('stale');
		expect(firstStale, kinds.join(' ')).toBeGreaterThan(0);
		// Stale from then on: never ok again while every call hangs.
		expect(
			kinds.slice(firstStale).every((k) => k === 'stale'),
			kinds.join(' '),
		).toBe(true);
		// Within its bound: 3 × the 2 s poll, plus a frame or two on a loaded machine.
		const staleAfter = Date.parse(snapshots[firstStale]!.ts) - hungAt;
		expect(staleAfter).toBeLessThan(15_000);
		const last = snapshots.at(-1)!;
		expect(last.sources.cloudwatch.ageMs).toBeGreaterThanOrEqual(10_000);
		// What it says now, in operator words: the hung call's bound, or that no new reading came.
		expect(last.sources.cloudwatch.why).toMatch(/^(unreachable: no answer within 5 s|no new reading)$/);
		// The CloudWatch block of the stream says the same, and every alarm carries the age of its last read.
		expect(last.cloudwatch?.state.kind).toBe('stale');
		expect(last.cloudwatch?.alarms.length).toBeGreaterThan(0);
		for (const alarm of last.cloudwatch!.alarms) expect(alarm.readAgeMs).toBeGreaterThanOrEqual(10_000);
		expect(proxy.count('/')).toBeGreaterThan(0);
	});
});
