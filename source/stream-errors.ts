/**
 * A terminal that went away (ssh dropped, tmux killed) fails reads and writes with EIO, and a
 * closed pipe with EPIPE, emitted as 'error' events: unhandled, they crash the process before
 * the launch's end is journaled and its flag lock released. Lines to a dead stream are lost,
 * nothing else.
 */
const ignoring = new WeakSet<object>();

/** Makes a stream's errors harmless for the rest of the process; once per stream. */
export function ignoreStreamErrors(stream: object): void {
	const emitter = stream as Partial<NodeJS.EventEmitter>;
	if (ignoring.has(stream) || typeof emitter.on !== 'function') return;
	ignoring.add(stream);
	emitter.on('error', () => undefined);
}
