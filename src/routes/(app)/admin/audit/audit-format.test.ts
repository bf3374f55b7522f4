import { describe, expect, it } from 'vitest';
import { changeLines, dayRange, formatAuditTime } from './audit-format';

describe('audit formatting', () => {
	it('names fields and never shows more of a key than set or cleared', () => {
		expect(
			changeLines({
				apiKey: { from: { set: true }, to: { cleared: true } },
				'settings.key': { from: { set: true }, to: { set: true } },
				inputPricePerMTok: { from: null, to: 2.5 },
				cacheReadPricePerMTok: { from: null, to: 0.25 },
				promptCaching: { from: true, to: false },
				enabled: { from: true, to: false },
				'settings.custom': { from: null, to: 'x' }
			})
		).toEqual([
			{ field: 'API key', from: 'a key', to: 'cleared' },
			{ field: 'settings.key', from: 'a key', to: 'new key' },
			{ field: 'Input $/M', from: 'no price', to: '$2.5' },
			{ field: 'Cache read $/M', from: 'as input', to: '$0.25' },
			{ field: 'Prompt caching', from: 'yes', to: 'no' },
			{ field: 'Enabled', from: 'yes', to: 'no' },
			{ field: 'settings.custom', from: '—', to: 'x' }
		]);
	});

	it('says what a cleared budget or cap falls back to', () => {
		expect(
			changeLines({
				monthlyBudgetUsd: { from: null, to: 0.5 },
				requestsPerMinute: { from: 10, to: null },
				memberMonthlyBudgetUsd: { from: 5, to: null }
			})
		).toEqual([
			{ field: 'Monthly budget', from: 'default', to: '$0.5' },
			{ field: 'Requests a minute', from: '10', to: 'default' },
			{ field: "Members' monthly budget", from: '$5', to: 'none' }
		]);
	});

	it('turns inclusive UTC days into a half-open range', () => {
		expect(dayRange('2026-11-30', '2026-12-01')).toEqual({
			from: new Date('2026-11-30T00:00:00Z'),
			to: new Date('2026-12-02T00:00:00Z')
		});
		expect(dayRange('', '')).toEqual({ from: undefined, to: undefined });
	});

	it('shows times in UTC', () => {
		expect(formatAuditTime(new Date('2026-12-01T21:13:05.123Z'))).toEqual({
			day: '2026-12-01',
			time: '21:13:05 UTC'
		});
	});
});
