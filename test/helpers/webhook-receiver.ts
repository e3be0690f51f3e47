/**
 * A local webhook receiver on 127.0.0.1 for notification tests: it keeps every
 * POST body in order, and can answer 500 or never answer at all.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export type ReceiverMode = 'ok' | 'fail' | 'hang';

export type WebhookReceiver = {
	url: string;
	/** Parsed JSON bodies, in arrival order. */
	bodies: unknown[];
	/** Requests seen, answered or not. */
	requests(): number;
	close(): Promise<void>;
};

export async function startWebhookReceiver(mode: ReceiverMode, path = '/hook'): Promise<WebhookReceiver> {
	const bodies: unknown[] = [];
	let requests = 0;
	const server = http.createServer((req, res) => {
		requests += 1;
		let body = '';
		req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
		req.on('end', () => {
			try {
				bodies.push(JSON.parse(body));
			} catch {
				bodies.push({unparsable: body});
			}
			if (mode === 'hang') return;
			res.writeHead(mode === 'ok' ? 200 : 500, {'content-type': 'text/plain'}).end(mode === 'ok' ? 'ok' : 'boom');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}${path}`,
		bodies,
		requests: () => requests,
		async close() {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
