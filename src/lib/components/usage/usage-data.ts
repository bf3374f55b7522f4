/** Shapes usage.summary rows for the usage page: totals, a continuous run of days, sorted groups. */

import type { UsageSummaryRow } from '$lib/trpc/client';

export type SummaryRow = UsageSummaryRow;

export type Totals = Omit<SummaryRow, 'key'>;

export function totals(rows: SummaryRow[]): Totals {
	return rows.reduce<Totals>(
		(sum, r) => ({
			requests: sum.requests + r.requests,
			inputTokens: sum.inputTokens + r.inputTokens,
			outputTokens: sum.outputTokens + r.outputTokens,
			cacheReadTokens: sum.cacheReadTokens + r.cacheReadTokens,
			cacheWriteTokens: sum.cacheWriteTokens + r.cacheWriteTokens,
			costUsd: sum.costUsd + r.costUsd,
			unpricedRequests: sum.unpricedRequests + r.unpricedRequests,
			estimatedRequests: sum.estimatedRequests + r.estimatedRequests,
			errors: sum.errors + r.errors
		}),
		{
			requests: 0,
			inputTokens: 0,
			outputTokens: 0,
			cacheReadTokens: 0,
			cacheWriteTokens: 0,
			costUsd: 0,
			unpricedRequests: 0,
			estimatedRequests: 0,
			errors: 0
		}
	);
}

const DAY = 86_400_000;

/** UTC midnight `days - 1` days before `now`: the first day of a range that ends today. */
export function rangeStart(days: number, now: Date = new Date()): Date {
	const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
	return new Date(today - (days - 1) * DAY);
}

function dayKey(time: number): string {
	return new Date(time).toISOString().slice(0, 10);
}

/** Every day from `from` to `to` (UTC, as usage.summary keys days), with zeros where nothing happened. */
export function fillDays(rows: SummaryRow[], from: Date, to: Date): SummaryRow[] {
	const byKey = new Map(rows.map((r) => [r.key, r]));
	const start = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
	const out: SummaryRow[] = [];
	for (let t = start; t <= to.getTime(); t += DAY) {
		const key = dayKey(t);
		out.push(
			byKey.get(key) ?? {
				key,
				requests: 0,
				inputTokens: 0,
				outputTokens: 0,
				cacheReadTokens: 0,
				cacheWriteTokens: 0,
				costUsd: 0,
				unpricedRequests: 0,
				estimatedRequests: 0,
				errors: 0
			}
		);
	}
	return out;
}

/** "2026-05-04" → "May 4". */
export function dayLabel(key: string): string {
	const [y, m, d] = key.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-US', {
		month: 'short',
		day: 'numeric',
		timeZone: 'UTC'
	});
}

/** Largest first: by cost, then by tokens (for models without a price). */
export function byWeight(rows: SummaryRow[]): SummaryRow[] {
	return [...rows].sort(
		(a, b) => b.costUsd - a.costUsd || b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens)
	);
}

export const palette = [
	'#6366f1',
	'#10b981',
	'#f59e0b',
	'#ec4899',
	'#0ea5e9',
	'#8b5cf6',
	'#ef4444',
	'#14b8a6',
	'#84cc16',
	'#64748b'
];
