/**
 * What the operator reads when CloudWatch fails: one short line per failure
 * (timed out, connection refused, throttled, no credentials, access denied, an
 * HTTP status), never the SDK's internals. The real AWS SDK client against the
 * loopback CloudWatch-compatible endpoint (faults injected), a port with
 * nothing listening, a server that never answers and servers that answer
 * something that is not CloudWatch.
 */
import {mkdtempSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createCloudWatchSource} from '../probes/cloudwatch.js';
import {sourceNotOkWhy, type SourceState} from '../source/core/measurements.js';
import {startCloudWatchServer, type CloudWatchServer} from '../source/demo/cloudwatch-server.js';
import {sourceBadge} from '../widgets/badges.js';

const scratch = mkdtempSync(join(tmpdir(), 'golive-cw-errors-'));
// Nothing from this machine's AWS setup may leak in, and nothing may reach IMDS.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_CONFIG_FILE = join(scratch, 'no-config');
process.env.AWS_SHARED_CREDENTIALS_FILE = join(scratch, 'no-credentials');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
for (const key of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION'])
	delete process.env[key];

const env = {AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_REGION: 'us-east-1'};
const servers: http.Server[] = [];
let cloudwatch: CloudWatchServer;

beforeAll(async () => {
	cloudwatch = await startCloudWatchServer({});
});
afterAll(async () => {
	await cloudwatch?.close();
	for (const s of servers) {
		s.closeAllConnections();
		s.close();
	}
});

async function listen(handler: http.RequestListener): Promise<string> {
	const server = http.createServer(handler);
	servers.push(server);
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function poll(endpoint: string, options: {env?: NodeJS.ProcessEnv; timeoutMs?: number} = {}): Promise<SourceState> {
	const source = createCloudWatchSource(
		{endpoint, region: 'us-east-1', pollIntervalMs: 60_000, metrics: [], alarms: {prefix: 'statusboard-'}, maxAgeMs: 180_000},
		{now: Date.now, env: options.env ?? env, timeoutMs: options.timeoutMs ?? 600},
	);
	try {
		return (await source.poll()).state;
	} finally {
		source.close();
	}
}

/** The line the screen shows: short, and none of the SDK's package names, hints or the principal's ARN. */
function expectOperatorLine(state: SourceState): string {
	expect(state.kind).not.toBe('ok');
	const line = sourceNotOkWhy(state as Exclude<SourceState, {kind: 'ok'}>);
	expect(line.length).toBeLessThanOrEqual(100);
	expect(line).not.toMatch(/@smithy|Deserialization|\$response|arn:aws|TimeoutError|SyntaxError|\[ERROR\]|is not valid JSON/);
	return line;
}

describe('CloudWatch failures in one short operator line (real SDK client)', () => {
	it('endpoint stopped: connection refused, with the address', async () => {
		const url = await listen(() => undefined);
		servers.at(-1)!.close();
		const state = await poll(url);
		expect(state).toMatchObject({kind: 'error', code: 'unreachable'});
		expect(expectOperatorLine(state)).toMatch(/^unreachable: connection refused \(127\.0\.0\.1:\d+\)$/);
	});

	it('endpoint hung: no answer within the call bound', async () => {
		const url = await listen(() => undefined);
		const state = await poll(url, {timeoutMs: 400});
		expect(expectOperatorLine(state)).toBe('unreachable: no answer within 0.4 s');
	});

	it('connection dropped without an answer', async () => {
		const url = await listen((req) => req.socket.destroy());
		expect(expectOperatorLine(await poll(url))).toBe('unreachable: connection dropped');
	});

	it('throttled, access denied, expired credentials and an internal failure, as CloudWatch answers them', async () => {
		const lines: string[] = [];
		for (const fault of ['Throttling', 'AccessDenied', 'ExpiredToken', 'InternalFailure'] as const) {
			cloudwatch.injectFault(fault);
			lines.push(expectOperatorLine(await poll(cloudwatch.url)));
		}
		expect(lines).toEqual([
			'throttled by CloudWatch',
			'access_denied: these credentials may not read CloudWatch (AccessDenied)',
			'expired_token: the AWS credentials expired (aws sso login, or new keys)',
			'CloudWatch failed: HTTP 500 InternalFailure',
		]);
		expect(sourceBadge(await poll(cloudwatch.url)).word).toBe('ok');
	});

	it('something that is not CloudWatch answers: its HTTP status', async () => {
		const answering = (status: number, body: string) =>
			listen((_req, res) => {
				res.writeHead(status, {'content-type': 'text/html'});
				res.end(body);
			});
		expect(expectOperatorLine(await poll(await answering(403, '<html>Forbidden</html>')))).toBe('bad_response: HTTP 403, not a CloudWatch answer');
		const unavailable = await poll(await answering(503, 'Service Unavailable'));
		expect(unavailable.kind).toBe('degraded');
		expect(expectOperatorLine(unavailable)).toBe('CloudWatch failed: HTTP 503, not a CloudWatch answer');
	});

	it('no credentials for a real (non-loopback) endpoint', async () => {
		const state = await poll('https://monitoring.us-east-1.invalid', {env: {AWS_REGION: 'us-east-1'}, timeoutMs: 3000});
		expect(expectOperatorLine(state)).toMatch(/^no_credentials: none found \(AWS_PROFILE/);
	});

	it('the header badge shows the short line, not the SDK message', async () => {
		const url = await listen(() => undefined);
		expect(sourceBadge(await poll(url, {timeoutMs: 300})).word).toBe('unreachable: no answer within 0.3 s');
	});
});
