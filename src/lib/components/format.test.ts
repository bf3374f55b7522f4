import { describe, expect, it } from 'vitest';
import { dateGroup, formatCompact, formatPrice, formatUsd, formatUsdTick, groupByDate } from './format';

describe('formatting', () => {
	it('formats token counts compactly', () => {
		expect(formatCompact(950)).toBe('950');
		expect(formatCompact(1234)).toBe('1.2K');
		expect(formatCompact(200_000)).toBe('200K');
		expect(formatCompact(1_047_576)).toBe('1M');
		expect(formatCompact(null)).toBe('–');
	});

	it('never rounds a real cost to zero', () => {
		expect(formatUsd(0)).toBe('$0');
		expect(formatUsd(0.00001)).toBe('<$0.0001');
		expect(formatUsd(0.0042)).toBe('$0.0042');
		expect(formatUsd(0.0105)).toBe('$0.0105');
		expect(formatUsd(0.125)).toBe('$0.125');
		expect(formatUsd(0.5)).toBe('$0.50');
		expect(formatUsd(1234.5)).toBe('$1,234.50');
		expect(formatUsd(null)).toBe('–');
	});

	it('formats prices per million tokens', () => {
		expect(formatPrice(3)).toBe('$3');
		expect(formatPrice(0.15)).toBe('$0.15');
		expect(formatPrice(0)).toBe('free');
		expect(formatPrice(null)).toBe('no price');
	});
});

describe('date groups', () => {
	const now = new Date(2026, 4, 20, 15, 0);
	it('groups recent dates by age and older ones by month', () => {
		expect(dateGroup(new Date(2026, 4, 20, 1, 0), now).label).toBe('Today');
		expect(dateGroup(new Date(2026, 4, 19, 23, 0), now).label).toBe('Yesterday');
		expect(dateGroup(new Date(2026, 4, 15), now).label).toBe('Previous 7 days');
		expect(dateGroup(new Date(2026, 3, 25), now).label).toBe('Previous 30 days');
		expect(dateGroup(new Date(2026, 0, 5), now).label).toBe('January 2026');
	});

	it('orders groups newest first', () => {
		const dates = [new Date(2025, 11, 1), new Date(2026, 4, 20, 9), new Date(2026, 0, 3)];
		const groups = groupByDate(dates, (d) => d, now);
		expect(groups.map((g) => g.label)).toEqual(['Today', 'January 2026', 'December 2025']);
	});
});

describe('formatUsdTick', () => {
	it('writes ticks a fraction of a cent apart so that no two read alike', () => {
		const ticks = [0, 0.00002, 0.00004, 0.00006, 0.00008, 0.0001, 0.00012];
		const labels = ticks.map((tick) => formatUsdTick(tick, 0.00002));
		expect(labels).toEqual(['$0', '$0.00002', '$0.00004', '$0.00006', '$0.00008', '$0.0001', '$0.00012']);
		expect(new Set(labels).size).toBe(ticks.length);
	});

	it('writes cents below a dollar and whole dollars for whole steps', () => {
		expect(formatUsdTick(0.25, 0.05)).toBe('$0.25');
		expect(formatUsdTick(1.5, 0.5)).toBe('$1.50');
		expect(formatUsdTick(0.1, 0.1)).toBe('$0.10');
		expect(formatUsdTick(2000, 500)).toBe('$2,000');
		// A step a float cannot hold exactly still reads as the step it is.
		expect(formatUsdTick(0.3, 0.1 + 0.2 - 0.2)).toBe('$0.30');
	});
});
