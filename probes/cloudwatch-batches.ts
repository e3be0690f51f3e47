/**
 * Splits a plan's metric queries into GetMetricData calls of at most 500
 * queries (the service limit) without separating an expression from the
 * queries it references: they must travel in the same call.
 */
import type {CloudWatchMetricQuery} from '../source/core/plan-types.js';

/** The GetMetricData limit on MetricDataQueries per call. @default 500 */
const maxQueriesPerCall = 500;

function referencedIds(expression: string, known: Set<string>): string[] {
	return (expression.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).filter((word) => known.has(word));
}

/** Groups connected by expression references, packed first-fit into batches of at most `limit`. */
export function batchQueries(queries: CloudWatchMetricQuery[], limit: number = maxQueriesPerCall): CloudWatchMetricQuery[][] {
	const ids = new Set(queries.map((q) => q.id));
	const parent = new Map<string, string>(queries.map((q) => [q.id, q.id]));
	const find = (id: string): string => {
		let root = id;
		while (parent.get(root) !== root) root = parent.get(root)!;
		parent.set(id, root);
		return root;
	};
	for (const q of queries) {
		if (q.expression === undefined) continue;
		for (const ref of referencedIds(q.expression, ids)) parent.set(find(ref), find(q.id));
	}
	const groups = new Map<string, CloudWatchMetricQuery[]>();
	for (const q of queries) {
		const root = find(q.id);
		const group = groups.get(root);
		if (group) group.push(q);
		else groups.set(root, [q]);
	}
	const batches: CloudWatchMetricQuery[][] = [];
	for (const group of groups.values()) {
		// An over-limit group still goes out whole: CloudWatch's ValidationError then names the problem.
		const batch = batches.find((b) => b.length + group.length <= limit);
		if (batch) batch.push(...group);
		else batches.push([...group]);
	}
	return batches;
}

/** Splits a list into chunks of `size` (DescribeAlarms takes at most 100 names). */
export function chunk<T>(items: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}
