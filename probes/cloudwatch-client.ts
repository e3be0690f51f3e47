/**
 * The one way golive creates its CloudWatch client (source, fleet publisher, fleet
 * reader): the plan's region or AWS_REGION, the plan's endpoint override, the SDK's own
 * credential precedence (a named profile wins over key variables), and every call bounded.
 */
import {CloudWatchClient} from '@aws-sdk/client-cloudwatch';
import type {CloudWatchClientConfig} from '@aws-sdk/client-cloudwatch';

export type CloudWatchClientSettings = {
	region: string | undefined;
	endpoint?: string;
	env: NodeJS.ProcessEnv;
	timeoutMs: number;
};

/** The region the plan or the environment names, if any. */
export function resolveRegion(planRegion: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
	return planRegion ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined);
}

/** True when `endpoint` is a loopback URL (127.0.0.0/8, ::1, localhost). */
export function isLoopbackEndpoint(endpoint: string | undefined): boolean {
	if (!endpoint) return false;
	try {
		const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
		return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
	} catch {
		return false;
	}
}

export function createCloudWatchClient(settings: CloudWatchClientSettings): CloudWatchClient {
	const {env, timeoutMs} = settings;
	// The SDK's Node 20 end-of-support notice goes to stderr and would tear the TUI frame.
	process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
	const config: CloudWatchClientConfig = {
		region: settings.region,
		// Retries belong to the caller (backoff with jitter), so one call stays bounded.
		maxAttempts: 1,
		requestHandler: {connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true},
	};
	if (settings.endpoint) config.endpoint = settings.endpoint;
	// The SDK's own precedence: a named profile wins over key variables.
	const {AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey} = env;
	const keys = accessKeyId && secretAccessKey ? {accessKeyId, secretAccessKey} : undefined;
	if (!env.AWS_PROFILE && !keys && isLoopbackEndpoint(settings.endpoint)) {
		// A CloudWatch-compatible endpoint on this machine (`golive demo --serve`) is not AWS: any static key signs for it.
		// Only when nothing is configured: a profile or keys given (a tunnel to real CloudWatch) are used as given, and
		// a real endpoint without credentials keeps failing as no_credentials (a state, never green).
		config.credentials = {accessKeyId: 'loopback', secretAccessKey: 'loopback'};
	} else if (env.AWS_PROFILE) {
		// Default chain (SSO, shared config/credentials files, process, IMDS) with the profile asked for.
		config.profile = env.AWS_PROFILE;
	} else if (keys) {
		config.credentials = {
			...keys,
			...(env.AWS_SESSION_TOKEN ? {sessionToken: env.AWS_SESSION_TOKEN} : {}),
		};
	}
	return new CloudWatchClient(config);
}

class DeadlineError extends Error {
	override name = 'TimeoutError';
}

/** Runs one SDK call with an abort signal, bounded even if credential resolution hangs. */
export async function boundedCall<T>(timeoutMs: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
	const controller = new AbortController();
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			controller.abort();
			reject(new DeadlineError(`CloudWatch call exceeded ${timeoutMs} ms`));
		}, timeoutMs + 250);
		timer.unref();
	});
	try {
		return await Promise.race([run(controller.signal), deadline]);
	} finally {
		clearTimeout(timer);
	}
}
