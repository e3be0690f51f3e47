/**
 * What an actuator will run, in one line an operator can check before
 * confirming: the argv of a command, or the method and URL of an HTTP call
 * (without its query string, where tokens tend to live).
 */
import type {Actuator} from './plan-types.js';

const maxLength = 160;

function quoteArg(arg: string): string {
	return /^[\w@%+=:,./{}-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function describeActuator(actuator: Actuator): string {
	switch (actuator.kind) {
		case 'command': {
			const text = actuator.argv.map(quoteArg).join(' ');
			return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
		}
		case 'http': {
			let where = actuator.url;
			try {
				const url = new URL(actuator.url);
				where = `${url.origin}${url.pathname}${url.search ? '?…' : ''}`;
			} catch {
				// An unparsable URL is shown as configured; the loader has already checked it.
			}
			return `${actuator.method} ${where}`;
		}
		default: {
			const _never: never = actuator;
			return _never;
		}
	}
}
