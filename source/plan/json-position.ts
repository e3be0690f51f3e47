/**
 * Where a JSON text is broken. Node 20's `JSON.parse` messages only sometimes carry
 * a position (`Unexpected token '}', "…" is not valid JSON` does not), and an
 * operator editing a plan at T-10 needs `golive.json:12:5`. So on a parse failure
 * this small strict scanner walks the text again and reports the first offending
 * offset and what was expected there.
 */

export type JsonSyntaxError = {offset: number; line: number; column: number; message: string};

class Stop extends Error {
	constructor(
		readonly offset: number,
		readonly expected: string,
	) {
		super(expected);
	}
}

/** Returns null when `text` is valid JSON, else the first error with 1-based line and column. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
	let i = 0;
	const fail = (expected: string): never => {
		throw new Stop(i, expected);
	};
	const ws = (): void => {
		while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
	};
	const literal = (word: string): void => {
		if (text.startsWith(word, i)) i += word.length;
		else fail('a value');
	};
	const string = (): void => {
		i++; // opening quote
		for (;;) {
			if (i >= text.length) fail("a closing '\"'");
			const ch = text.charCodeAt(i);
			if (ch === 0x22) {
				i++;
				return;
			}
			if (ch < 0x20) fail('no raw control characters inside a string (use \\n, \\t)');
			if (ch === 0x5c) {
				const next = text[i + 1];
				if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
				else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
				else fail('a valid escape (\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t, \\uXXXX)');
			} else i++;
		}
	};
	const number = (): void => {
		const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
		if (!match) fail('a value');
		i += match![0].length;
	};
	const value = (depth: number): void => {
		if (depth > 512) fail('less nesting');
		ws();
		const ch = text[i];
		if (ch === '{') {
			i++;
			ws();
			if (text[i] === '}') {
				i++;
				return;
			}
			for (;;) {
				ws();
				if (text[i] !== '"') fail('a double-quoted property name');
				string();
				ws();
				if (text[i] !== ':') fail("':' after the property name");
				i++;
				value(depth + 1);
				ws();
				if (text[i] === ',') {
					i++;
					continue;
				}
				if (text[i] === '}') {
					i++;
					return;
				}
				fail("',' or '}' after the property value");
			}
		}
		if (ch === '[') {
			i++;
			ws();
			if (text[i] === ']') {
				i++;
				return;
			}
			for (;;) {
				value(depth + 1);
				ws();
				if (text[i] === ',') {
					i++;
					continue;
				}
				if (text[i] === ']') {
					i++;
					return;
				}
				fail("',' or ']' after the array element");
			}
		}
		if (ch === '"') return string();
		if (ch === 't') return literal('true');
		if (ch === 'f') return literal('false');
		if (ch === 'n') return literal('null');
		if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number();
		fail('a value');
	};
	try {
		value(0);
		ws();
		if (i < text.length) fail('the end of the file');
		return null;
	} catch (error) {
		if (!(error instanceof Stop)) throw error;
		return locate(text, error.offset, error.expected);
	}
}

function locate(text: string, offset: number, expected: string): JsonSyntaxError {
	const before = text.slice(0, offset);
	const line = before.split('\n').length;
	const column = offset - before.lastIndexOf('\n');
	const found = offset >= text.length ? 'end of file' : JSON.stringify(text.slice(offset, offset + 12));
	return {offset, line, column, message: `invalid JSON: expected ${expected}, found ${found}`};
}
