/**
 * What the CloudWatch-compatible endpoint keeps: per metric (namespace, name, dimension
 * set) a bounded ring of published entries `{at, count, sum, min, max}` in insertion
 * order, and the metric's identity for ListMetrics.
 */
import type {StatEntry} from './cloudwatch-statistics.js';

export type MetricIdentity = {namespace: string; metricName: string; dimensions: Record<string, string>};

/** Entries of one metric in a bounded ring; the oldest are overwritten. */
class EntryRing {
	private at = new Float64Array(64);
	private count = new Float64Array(64);
	private sum = new Float64Array(64);
	private min = new Float64Array(64);
	private max = new Float64Array(64);
	private head = 0;
	size = 0;
	lastPutAt = Number.NEGATIVE_INFINITY;

	constructor(private readonly cap: number) {}

	push(atMs: number, e: StatEntry, receivedAt: number): void {
		if (this.size === this.at.length && this.size < this.cap) this.resize(Math.min(this.cap, this.at.length * 2));
		const capacity = this.at.length;
		const index = (this.head + this.size) % capacity;
		this.at[index] = atMs;
		this.count[index] = e.count;
		this.sum[index] = e.sum;
		this.min[index] = e.min;
		this.max[index] = e.max;
		if (this.size < capacity) this.size++;
		else this.head = (this.head + 1) % capacity;
		this.lastPutAt = Math.max(this.lastPutAt, receivedAt);
	}

	/** Drops entries older than the cutoff from the head (insertion order is near time order). */
	dropOlderThan(cutoffMs: number): void {
		while (this.size > 0 && this.at[this.head]! < cutoffMs) {
			this.head = (this.head + 1) % this.at.length;
			this.size--;
		}
	}

	forEach(fn: (atMs: number, e: StatEntry) => void): void {
		const capacity = this.at.length;
		for (let i = 0; i < this.size; i++) {
			const k = (this.head + i) % capacity;
			fn(this.at[k]!, {count: this.count[k]!, sum: this.sum[k]!, min: this.min[k]!, max: this.max[k]!});
		}
	}

	private resize(next: number): void {
		const fields = [new Float64Array(next), new Float64Array(next), new Float64Array(next), new Float64Array(next), new Float64Array(next)] as const;
		let i = 0;
		this.forEach((a, e) => {
			fields[0][i] = a;
			fields[1][i] = e.count;
			fields[2][i] = e.sum;
			fields[3][i] = e.min;
			fields[4][i] = e.max;
			i++;
		});
		[this.at, this.count, this.sum, this.min, this.max] = fields;
		this.head = 0;
	}
}

function metricKey(namespace: string, metricName: string, dimensions: Record<string, string>): string {
	const dims = Object.keys(dimensions)
		.sort()
		.map((k) => `${k}=${dimensions[k]}`)
		.join(',');
	return `${namespace}\u0000${metricName}\u0000${dims}`;
}

export class MetricStore {
	private readonly rings = new Map<string, {identity: MetricIdentity; ring: EntryRing}>();

	constructor(
		private readonly maxEntriesPerMetric: number,
		private readonly retentionMs: number,
		private readonly now: () => number,
	) {}

	put(identity: MetricIdentity, atMs: number, entry: StatEntry): void {
		const key = metricKey(identity.namespace, identity.metricName, identity.dimensions);
		let slot = this.rings.get(key);
		if (!slot) {
			slot = {identity: {...identity, dimensions: {...identity.dimensions}}, ring: new EntryRing(this.maxEntriesPerMetric)};
			this.rings.set(key, slot);
		}
		const received = this.now();
		slot.ring.push(atMs, entry, received);
		slot.ring.dropOlderThan(received - this.retentionMs);
	}

	/** Entries of one metric with `startMs <= at < endMs`, grouped by period start (epoch-aligned). */
	buckets(identity: MetricIdentity, startMs: number, endMs: number, periodMs: number): Map<number, StatEntry[]> {
		const out = new Map<number, StatEntry[]>();
		this.rings.get(metricKey(identity.namespace, identity.metricName, identity.dimensions))?.ring.forEach((at, e) => {
			if (at < startMs || at >= endMs) return;
			const bucket = Math.floor(at / periodMs) * periodMs;
			const list = out.get(bucket);
			if (list) list.push(e);
			else out.set(bucket, [e]);
		});
		return out;
	}

	/** Metrics matching the filter (ListMetrics), sorted; `activeSinceMs` keeps those published to since then. */
	list(filter: {namespace?: string; metricName?: string; dimensions: Array<{name: string; value?: string}>; activeSinceMs?: number}): MetricIdentity[] {
		const found: Array<[string, MetricIdentity]> = [];
		for (const [key, {identity, ring}] of this.rings) {
			if (filter.namespace !== undefined && identity.namespace !== filter.namespace) continue;
			if (filter.metricName !== undefined && identity.metricName !== filter.metricName) continue;
			if (!filter.dimensions.every((d) => d.name in identity.dimensions && (d.value === undefined || identity.dimensions[d.name] === d.value))) continue;
			if (filter.activeSinceMs !== undefined && ring.lastPutAt < filter.activeSinceMs) continue;
			found.push([key, identity]);
		}
		return found.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, identity]) => identity);
	}
}
