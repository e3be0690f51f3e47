/** `golive demo`'s backend on its worker thread: the servers answer, the plan points at them, close stops both. */
import {describe, expect, it} from 'vitest';
import {startDemoBackend} from '../source/demo/backend.js';

async function status(url: string): Promise<number | string> {
	try {
		return (await fetch(url, {signal: AbortSignal.timeout(5000)})).status;
	} catch (error) {
		return ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? String(error);
	}
}

describe('demo backend worker', () => {
	it('serves the simulated service and the CloudWatch endpoint until closed, with the demo plan against them', async () => {
		const backend = await startDemoBackend({scenario: 'healthy', faultRate: 0, judge: false});
		try {
			expect(await status(`${backend.serviceUrl}/health`)).toBe(200);
			// Any HTTP answer: the CloudWatch endpoint listens (it speaks POST).
			expect(await status(backend.cloudwatchUrl)).toEqual(expect.any(Number));
			expect(backend.plan.environments[backend.plan.environment]?.baseUrl).toBe(backend.serviceUrl);
			expect(backend.plan.cloudwatch?.endpoint).toBe(backend.cloudwatchUrl);
		} finally {
			await backend.close();
		}
		expect(await status(`${backend.serviceUrl}/health`)).toBe('ECONNREFUSED');
		expect(await status(backend.cloudwatchUrl)).toBe('ECONNREFUSED');
		// Closing twice is one close.
		await backend.close();
	});

	it('a backend that cannot start says why', async () => {
		await expect(startDemoBackend({scenario: 'no-such-scenario' as never, faultRate: 0, judge: false})).rejects.toThrow(
			"the demo's simulated service did not start: unknown demo scenario: no-such-scenario",
		);
	});
});
