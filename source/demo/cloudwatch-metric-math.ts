/**
 * The metric-math subset the CloudWatch-compatible endpoint evaluates in GetMetricData
 * expressions: numbers, query ids, `+ - * /`, parentheses, and SUM/AVG/MIN/MAX over
 * `[a, b]` or `a, b` (one series → a scalar, as CloudWatch does). Anything else is a
 * ValidationError, never a guess.
 */
import {validation} from './cloudwatch-wire-errors.js';

/** Period start (epoch ms) → value. */
export type Series = Map<number, number>;
export type ExprValue = {kind: 'series'; series: Series} | {kind: 'scalar'; value: number} | {kind: 'array'; items: Series[]};

type Token = {t: 'num'; v: number} | {t: 'id'; v: string} | {t: 'op'; v: string};

function tokenize(expression: string): Token[] {
	const tokens: Token[] = [];
	const re = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/()[\],]))/y;
	let pos = 0;
	while (pos < expression.length) {
		if (/^\s*$/.test(expression.slice(pos))) break;
		re.lastIndex = pos;
		const m = re.exec(expression);
		if (!m) throw validation(`Unsupported expression near "${expression.slice(pos, pos + 10)}"`);
		if (m[1] !== undefined) tokens.push({t: 'num', v: Number(m[1])});
		else if (m[2] !== undefined) tokens.push({t: 'id', v: m[2]});
		else tokens.push({t: 'op', v: m[3]!});
		pos = re.lastIndex;
	}
	return tokens;
}

const aggregateFunctions = ['SUM', 'AVG', 'MIN', 'MAX'] as const;
type AggregateFunction = (typeof aggregateFunctions)[number];

function aggregate(fn: AggregateFunction, values: number[]): number {
	switch (fn) {
		case 'SUM':
			return values.reduce((a, b) => a + b, 0);
		case 'AVG':
			return values.reduce((a, b) => a + b, 0) / values.length;
		case 'MIN':
			return Math.min(...values);
		case 'MAX':
			return Math.max(...values);
		default: {
			const _never: never = fn;
			return _never;
		}
	}
}

export function evaluateExpression(expression: string, lookup: (id: string) => Series): ExprValue {
	const tokens = tokenize(expression);
	let i = 0;
	const peek = (): Token | undefined => tokens[i];
	const expectOp = (v: string): void => {
		const tok = tokens[i++];
		if (tok?.t !== 'op' || tok.v !== v) throw validation(`Expression "${expression}": expected "${v}"`);
	};

	const binary = (a: ExprValue, b: ExprValue, op: string): ExprValue => {
		const apply = (x: number, y: number): number => (op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x / y);
		if (a.kind === 'array' || b.kind === 'array') throw validation(`Expression "${expression}": arithmetic on arrays is not supported`);
		if (a.kind === 'scalar' && b.kind === 'scalar') return {kind: 'scalar', value: apply(a.value, b.value)};
		const out: Series = new Map();
		if (a.kind === 'series' && b.kind === 'series') {
			for (const [ts, x] of a.series) {
				const y = b.series.get(ts);
				if (y !== undefined) out.set(ts, apply(x, y));
			}
		} else if (a.kind === 'series' && b.kind === 'scalar') {
			for (const [ts, x] of a.series) out.set(ts, apply(x, b.value));
		} else if (a.kind === 'scalar' && b.kind === 'series') {
			for (const [ts, y] of b.series) out.set(ts, apply(a.value, y));
		}
		return {kind: 'series', series: out};
	};

	const callAggregate = (fn: AggregateFunction, args: ExprValue[]): ExprValue => {
		const items: Series[] = [];
		for (const arg of args) {
			if (arg.kind === 'array') items.push(...arg.items);
			else if (arg.kind === 'series') items.push(arg.series);
			else throw validation(`Expression "${expression}": ${fn} takes time series`);
		}
		if (items.length === 1 && args.length === 1 && args[0]!.kind === 'series') {
			const values = [...items[0]!.values()];
			return {kind: 'scalar', value: values.length > 0 ? aggregate(fn, values) : Number.NaN};
		}
		const byTs = new Map<number, number[]>();
		for (const s of items) for (const [ts, v] of s) byTs.set(ts, [...(byTs.get(ts) ?? []), v]);
		const out: Series = new Map();
		for (const [ts, vs] of byTs) out.set(ts, aggregate(fn, vs));
		return {kind: 'series', series: out};
	};

	const primary = (): ExprValue => {
		const tok = tokens[i++];
		if (!tok) throw validation(`Expression "${expression}" ends too early`);
		if (tok.t === 'num') return {kind: 'scalar', value: tok.v};
		if (tok.t === 'op' && tok.v === '(') {
			const v = additive();
			expectOp(')');
			return v;
		}
		if (tok.t === 'op' && tok.v === '-') return binary({kind: 'scalar', value: 0}, primary(), '-');
		if (tok.t === 'op' && tok.v === '[') {
			const items: Series[] = [];
			for (;;) {
				const v = additive();
				if (v.kind !== 'series') throw validation(`Expression "${expression}": arrays hold time series`);
				items.push(v.series);
				const next = tokens[i++];
				if (next?.t === 'op' && next.v === ']') break;
				if (next?.t !== 'op' || next.v !== ',') throw validation(`Expression "${expression}": expected "," or "]"`);
			}
			return {kind: 'array', items};
		}
		if (tok.t === 'id') {
			const next = peek();
			if (next?.t === 'op' && next.v === '(') {
				const fn = aggregateFunctions.find((f) => f === tok.v);
				if (!fn) throw validation(`Expression "${expression}": function ${tok.v} is not supported here`);
				i++;
				const args: ExprValue[] = [additive()];
				for (;;) {
					const sep = tokens[i++];
					if (sep?.t === 'op' && sep.v === ')') break;
					if (sep?.t !== 'op' || sep.v !== ',') throw validation(`Expression "${expression}": expected "," or ")"`);
					args.push(additive());
				}
				return callAggregate(fn, args);
			}
			return {kind: 'series', series: lookup(tok.v)};
		}
		throw validation(`Expression "${expression}": unexpected "${tok.v}"`);
	};
	const multiplicative = (): ExprValue => {
		let v = primary();
		for (let tok = peek(); tok?.t === 'op' && (tok.v === '*' || tok.v === '/'); tok = peek()) {
			i++;
			v = binary(v, primary(), tok.v);
		}
		return v;
	};
	const additive = (): ExprValue => {
		let v = multiplicative();
		for (let tok = peek(); tok?.t === 'op' && (tok.v === '+' || tok.v === '-'); tok = peek()) {
			i++;
			v = binary(v, multiplicative(), tok.v);
		}
		return v;
	};

	const result = additive();
	if (i !== tokens.length) throw validation(`Expression "${expression}": unexpected trailing input`);
	return result;
}
