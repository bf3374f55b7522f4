import { describe, expect, it } from 'vitest';
import { byWeight, dayLabel, fillDays, rangeStart, totals, type SummaryRow } from './usage-data';

const row = (key: string, costUsd: number, tokens = 10): SummaryRow => ({
	key,
	requests: 1,
	inputTokens: tokens,
	outputTokens: tokens,
	cacheReadTokens: 0,
	cacheWriteTokens: 0,
	costUsd,
	unpricedRequests: 0,
	estimatedRequests: 0,
	errors: 0
});

describe('usage data', () => {
	it('sums rows', () => {
		expect(totals([row('a', 0.5), row('b', 0.25)])).toMatchObject({
			requests: 2,
			inputTokens: 20,
			costUsd: 0.75
		});
	});

	it('fills the days without usage with zeros', () => {
		const from = new Date('2026-05-01T00:00:00Z');
		const to = new Date('2026-05-04T10:00:00Z');
		const days = fillDays([row('2026-05-02', 1)], from, to);
		expect(days.map((d) => d.key)).toEqual(['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04']);
		expect(days.map((d) => d.costUsd)).toEqual([0, 1, 0, 0]);
	});

	it('starts a range at UTC midnight', () => {
		expect(rangeStart(7, new Date('2026-05-10T15:00:00Z')).toISOString()).toBe('2026-05-04T00:00:00.000Z');
	});

	it('labels days and orders groups by weight', () => {
		expect(dayLabel('2026-05-04')).toBe('May 4');
		expect(byWeight([row('cheap', 0.1), row('dear', 2), row('free-big', 0, 1000)]).map((r) => r.key)).toEqual(
			['dear', 'cheap', 'free-big']
		);
	});
});
