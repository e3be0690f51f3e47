/**
 * Fixed-delay loopback servers that deliver their nominal delay precisely, run in a child
 * process (test/fixtures/precise-delay-servers.mjs says how), with each response's hold as the
 * server measured it.
 */
import {fork} from 'node:child_process';
import {fileURLToPath} from 'node:url';

const script = fileURLToPath(new URL('../fixtures/precise-delay-servers.mjs', import.meta.url));

export type PreciseDelayServers = {
	urls: string[];
	/** Per server, each hold: request arrival (epoch ms) and held ms (hrtime, arrival to `res.end`). */
	holds(): Promise<Array<Array<[number, number]>>>;
	close(): Promise<void>;
};

export async function startPreciseDelayServers(delaysMs: number[]): Promise<PreciseDelayServers> {
	const child = fork(script, delaysMs.map(String), {stdio: ['ignore', 'inherit', 'inherit', 'ipc']});
	const ports = await new Promise<number[]>((resolve, reject) => {
		child.once('message', (m) => resolve((m as {ports: number[]}).ports));
		child.once('exit', (code) => reject(new Error(`precise-delay-servers exited ${code}`)));
	});
	return {
		urls: ports.map((p) => `http://127.0.0.1:${p}`),
		holds: () =>
			new Promise((resolve) => {
				child.once('message', (m) => resolve((m as {holds: Array<Array<[number, number]>>}).holds));
				child.send('holds');
			}),
		close: () =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.disconnect();
			}),
	};
}
