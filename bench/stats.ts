/**
 * Pure helpers for the benchmark report: percentiles, ratios against a baseline, and the checks on
 * a relayed stream (lost and reordered deltas). No I/O, so tests/unit/bench/stats.test.ts covers them.
 */

export type Summary = {
	n: number;
	min: number;
	p50: number;
	p90: number;
	p99: number;
	max: number;
	mean: number;
};

/**
 * The p-th percentile (0..100) with linear interpolation between closest ranks (numpy's default,
 * Excel's PERCENTILE.INC). NaN for no values. With 30 samples p99 sits between the two largest.
 */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	if (p < 0 || p > 100 || Number.isNaN(p)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
	const sorted = [...values].sort((a, b) => a - b);
	const rank = (p / 100) * (sorted.length - 1);
	const low = Math.floor(rank);
	const high = Math.ceil(rank);
	return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function summarize(values: readonly number[]): Summary {
	const n = values.length;
	if (n === 0) return { n, min: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
	let min = Infinity;
	let max = -Infinity;
	let sum = 0;
	for (const v of values) {
		if (v < min) min = v;
		if (v > max) max = v;
		sum += v;
	}
	return {
		n,
		min,
		p50: percentile(values, 50),
		p90: percentile(values, 90),
		p99: percentile(values, 99),
		max,
		mean: sum / n
	};
}

/** value ÷ baseline; null when either is missing or the baseline is not positive. */
export function ratio(value: number | null | undefined, baseline: number | null | undefined): number | null {
	if (value == null || baseline == null || !Number.isFinite(value) || !Number.isFinite(baseline)) return null;
	if (baseline <= 0) return null;
	return value / baseline;
}

/** value − baseline; null when either is missing. */
export function difference(
	value: number | null | undefined,
	baseline: number | null | undefined
): number | null {
	if (value == null || baseline == null || !Number.isFinite(value) || !Number.isFinite(baseline)) return null;
	return value - baseline;
}

/** Differences between consecutive times (ms): the inter-delta gaps of one stream. */
export function gaps(times: readonly number[]): number[] {
	const out: number[] = [];
	for (let i = 1; i < times.length; i++) out.push(times[i] - times[i - 1]);
	return out;
}

export type LiveSplit = {
	/** Deltas that arrived in one burst right after the first: already buffered when the stream opened. */
	catchUp: number;
	/** Gaps from the first paced gap on: how the relay kept time while the stream was live. */
	liveGaps: number[];
};

/**
 * Splits one stream's arrival times into the catch-up burst and the live part. The stream is live
 * from its first gap of at least half the pacing; before that, deltas that were produced while nobody
 * was subscribed yet are replayed back to back. A stream that never shows such a gap was all catch-up.
 */
export function splitCatchUp(times: readonly number[], paceMs: number): LiveSplit {
	const all = gaps(times);
	const first = all.findIndex((g) => g >= paceMs / 2);
	if (first < 0) return { catchUp: all.length, liveGaps: [] };
	return { catchUp: first, liveGaps: all.slice(first) };
}

/**
 * Deltas delivered in the catch-up burst when frames may carry several (joined) deltas: the frames
 * before the stream went live, less the first delta (that one is the time to first token). With one
 * delta per frame it is splitCatchUp's frame count.
 */
export function catchUpDeltaCount(deltasPerFrame: readonly number[], catchUpFrames: number): number {
	const burst = deltasPerFrame.slice(0, catchUpFrames + 1).reduce((sum, n) => sum + n, 0);
	return Math.max(0, burst - 1);
}

export type SequenceCheck = {
	/** Expected indices never seen. */
	lost: number;
	/** Indices that arrived after a larger one had already arrived. */
	reordered: number;
	/** Indices seen more than once. */
	duplicated: number;
	/** Indices outside 0..expected-1. */
	unexpected: number;
};

/** Checks the indices a stream delivered, in arrival order, against 0..expected-1. */
export function checkSequence(expected: number, indices: readonly number[]): SequenceCheck {
	const seen = new Set<number>();
	let reordered = 0;
	let duplicated = 0;
	let unexpected = 0;
	let highest = -1;
	for (const index of indices) {
		if (!Number.isInteger(index) || index < 0 || index >= expected) {
			unexpected++;
			continue;
		}
		if (seen.has(index)) duplicated++;
		else if (index < highest) reordered++;
		seen.add(index);
		if (index > highest) highest = index;
	}
	return { lost: expected - seen.size, reordered, duplicated, unexpected };
}

/** The k-th rotation of a list: interleaved rounds start with a different step each time. */
export function rotate<T>(items: readonly T[], k: number): T[] {
	if (items.length === 0) return [];
	const shift = ((k % items.length) + items.length) % items.length;
	return [...items.slice(shift), ...items.slice(0, shift)];
}

/** Adds two summaries' worth of sequence checks. */
export function addChecks(a: SequenceCheck, b: SequenceCheck): SequenceCheck {
	return {
		lost: a.lost + b.lost,
		reordered: a.reordered + b.reordered,
		duplicated: a.duplicated + b.duplicated,
		unexpected: a.unexpected + b.unexpected
	};
}

/** A number for a table cell: fixed digits by magnitude, "—" when missing. */
export function formatNumber(value: number | null | undefined, digits?: number): string {
	if (value == null || !Number.isFinite(value)) return '—';
	const d = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
	return value.toFixed(d);
}

/** A signed difference: "+1.23", "-0.40". */
export function formatSigned(value: number | null | undefined, digits?: number): string {
	if (value == null || !Number.isFinite(value)) return '—';
	const text = formatNumber(value, digits);
	return value >= 0 ? `+${text}` : text;
}

/** A ratio: "×1.23". */
export function formatRatio(value: number | null | undefined): string {
	if (value == null || !Number.isFinite(value)) return '—';
	return `×${formatNumber(value, value >= 100 ? 0 : value >= 10 ? 1 : 2)}`;
}
