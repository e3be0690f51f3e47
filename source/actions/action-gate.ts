/**
 * Single flight: one action at a time. A request that arrives while one runs is
 * refused with a reason the engine logs ("ignored: promote to 30 % already in
 * flight"), except a rollback arriving during a promote, which is queued to run
 * right after it (never dropped). Rollback beats promote: once a rollback is in
 * flight, queued or done, promotes are refused until the operator re-arms.
 */

export type GatedAction =
	| {kind: 'promote'; targetPercent: number}
	| {kind: 'emergency_rollback'}
	| {kind: 'full_rollback'}
	| {kind: 'hook'; name: string};

export type GateTicket<T> =
	/** Runs now. */
	| {status: 'started'; done: Promise<T>}
	/** Runs right after the action in flight. */
	| {status: 'queued'; done: Promise<T>}
	| {status: 'refused'; reason: string};

export type ActionGateOptions = {
	/** Epoch ms clock. */
	now: () => number;
	/**
	 * An identical request within this long after the same action finished is
	 * ignored too: a key held down must not write twice.
	 * @default 1000
	 */
	debounceMs?: number;
};

export type ActionGate = {
	/**
	 * Decides at once (synchronously) whether `run` starts, queues or is refused.
	 * `run` is called at most once; a rejection of `run` rejects `done`.
	 */
	request<T>(action: GatedAction, run: () => Promise<T>): GateTicket<T>;
	/** What is in flight now, or null. */
	inFlight(): GatedAction | null;
	/** True from the moment a rollback is requested until `rearm()`. */
	rolledBack(): boolean;
	/** Operator re-arm after a rollback: promotes are accepted again. Refused while a rollback runs or waits. */
	rearm(): {ok: true} | {ok: false; reason: string};
	/** Resolves when nothing is in flight or queued. */
	idle(): Promise<void>;
};

/** "promote to 30 %", "emergency rollback", "hook validate". */
export function describeAction(action: GatedAction): string {
	switch (action.kind) {
		case 'promote':
			return `promote to ${action.targetPercent} %`;
		case 'emergency_rollback':
			return 'emergency rollback';
		case 'full_rollback':
			return 'full rollback';
		case 'hook':
			return `hook ${action.name}`;
		default: {
			const _never: never = action;
			return String(_never);
		}
	}
}

function isRollback(action: GatedAction): boolean {
	return action.kind === 'emergency_rollback' || action.kind === 'full_rollback';
}

function sameAction(a: GatedAction, b: GatedAction): boolean {
	return describeAction(a) === describeAction(b);
}

type Queued = {action: GatedAction; start: () => void};

export function createActionGate(options: ActionGateOptions): ActionGate {
	const debounceMs = options.debounceMs ?? 1000;
	let current: GatedAction | null = null;
	let queued: Queued | null = null;
	let rolledBack = false;
	let last: {action: GatedAction; at: number} | null = null;
	let idleWaiters: Array<() => void> = [];

	function settle(action: GatedAction): void {
		last = {action, at: options.now()};
		current = null;
		const next = queued;
		queued = null;
		if (next !== null) {
			next.start();
			return;
		}
		const waiters = idleWaiters;
		idleWaiters = [];
		waiters.forEach((w) => w());
	}

	function launch<T>(action: GatedAction, run: () => Promise<T>): Promise<T> {
		current = action;
		let p: Promise<T>;
		try {
			p = run();
		} catch (error) {
			p = Promise.reject(error);
		}
		return p.finally(() => settle(action));
	}

	function request<T>(action: GatedAction, run: () => Promise<T>): GateTicket<T> {
		const what = describeAction(action);
		if (action.kind === 'promote' && rolledBack) {
			return {status: 'refused', reason: `refused: ${what}: a rollback was ordered; re-arm first`};
		}
		if (current !== null) {
			if (isRollback(action) && !isRollback(current) && queued === null) {
				let start!: () => void;
				const done = new Promise<T>((resolve, reject) => {
					start = () => {
						launch(action, run).then(resolve, reject);
					};
				});
				queued = {action, start};
				rolledBack = true;
				return {status: 'queued', done};
			}
			if (isRollback(action) && queued !== null && isRollback(queued.action)) {
				return {status: 'refused', reason: `ignored: ${what}: ${describeAction(queued.action)} already queued`};
			}
			if (action.kind === 'full_rollback' && current.kind === 'emergency_rollback' && queued === null) {
				// Escalation from the flag switch to a full rollback is never dropped.
				let start!: () => void;
				const done = new Promise<T>((resolve, reject) => {
					start = () => {
						launch(action, run).then(resolve, reject);
					};
				});
				queued = {action, start};
				return {status: 'queued', done};
			}
			return {status: 'refused', reason: `ignored: ${describeAction(current)} already in flight`};
		}
		if (last !== null && sameAction(last.action, action) && options.now() - last.at < debounceMs) {
			return {status: 'refused', reason: `ignored: ${what} just done`};
		}
		if (isRollback(action)) {
			rolledBack = true;
		}
		return {status: 'started', done: launch(action, run)};
	}

	return {
		request,
		inFlight: () => current,
		rolledBack: () => rolledBack,
		rearm() {
			if ((current !== null && isRollback(current)) || (queued !== null && isRollback(queued.action))) {
				return {ok: false, reason: 'refused: re-arm while a rollback is running'};
			}
			rolledBack = false;
			return {ok: true};
		},
		idle() {
			if (current === null && queued === null) {
				return Promise.resolve();
			}
			return new Promise((resolve) => idleWaiters.push(resolve));
		},
	};
}
