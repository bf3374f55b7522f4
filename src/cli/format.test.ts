import { describe, expect, it } from 'vitest';
import {
	dim,
	formatCost,
	formatCount,
	formatPrice,
	formatTable,
	formatUsageLine,
	wantsColor
} from './format';

describe('formatTable', () => {
	it('pads columns and right-aligns numbers', () => {
		const rows = [
			{ id: 'openai', n: 12 },
			{ id: 'anthropic', n: 3 }
		];
		const table = formatTable(rows, [
			{ header: 'ID', value: (r) => r.id },
			{ header: 'N', value: (r) => String(r.n), align: 'right' }
		]);
		expect(table).toBe(['ID          N', 'openai     12', 'anthropic   3'].join('\n'));
	});
});

describe('numbers', () => {
	it('formats costs for small and large amounts', () => {
		expect(formatCost(null)).toBe('n/a');
		expect(formatCost(0)).toBe('$0');
		expect(formatCost(0.000123)).toBe('$0.00012');
		expect(formatCost(0.00002)).toBe('$0.00002');
		expect(formatCost(0.0000056)).toBe('$0.0000056');
		expect(formatCost(0.009)).toBe('$0.009');
		expect(formatCost(0.5)).toBe('$0.5000');
		expect(formatCost(12.345)).toBe('$12.35');
	});

	it('formats counts and prices', () => {
		expect(formatCount(128000)).toBe('128,000');
		expect(formatCount(null)).toBe('-');
		expect(formatPrice(2.5)).toBe('$2.5');
		expect(formatPrice(null)).toBe('-');
	});
});

describe('formatUsageLine', () => {
	const base = {
		text: 'hi',
		providerId: 'openai',
		modelId: 'gpt-4o-mini',
		finishReason: 'stop' as const,
		usage: {
			inputTokens: 12,
			outputTokens: 34,
			cacheReadTokens: 0,
			cacheWriteTokens: 0,
			costUsd: 0.0021,
			estimated: false
		},
		fallbacks: []
	};

	it('says who answered, tokens and cost', () => {
		expect(formatUsageLine(base)).toBe('openai/gpt-4o-mini · 12 in / 34 out tokens · $0.0021');
	});

	it('says how many input tokens came from the prompt cache', () => {
		const usage = { ...base.usage, inputTokens: 2120, cacheReadTokens: 1800, cacheWriteTokens: 300 };
		expect(formatUsageLine({ ...base, usage })).toBe(
			'openai/gpt-4o-mini · 2,120 in (1,800 cached, 300 written) / 34 out tokens · $0.0021'
		);
	});

	it('marks estimates, unusual endings and fallbacks', () => {
		const line = formatUsageLine({
			...base,
			finishReason: 'length',
			usage: { ...base.usage, estimated: true, costUsd: null },
			fallbacks: [
				{
					type: 'fallback',
					from: { providerId: 'anthropic', modelId: 'claude' },
					to: { providerId: 'openai', modelId: 'gpt-4o-mini' },
					reason: 'rate_limited'
				}
			]
		});
		expect(line).toBe(
			'openai/gpt-4o-mini · ~12 in / ~34 out tokens · n/a · finish: length · fell back from anthropic/claude (rate_limited) to openai/gpt-4o-mini'
		);
	});
});

describe('color', () => {
	it('dims only when asked', () => {
		expect(dim('x', false)).toBe('x');
		expect(dim('x', true)).toBe('\u001b[2mx\u001b[22m');
	});

	it('follows the terminal and NO_COLOR', () => {
		expect(wantsColor({ isTTY: true }, {})).toBe(true);
		expect(wantsColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
		expect(wantsColor({ isTTY: false }, {})).toBe(false);
		expect(wantsColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
	});
});
