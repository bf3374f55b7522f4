import { describe, expect, it } from 'vitest';
import { addCosts, computeCost, usdFromUnits, usdUnits, type Prices } from './cost';

const plain = (inputTokens: number, outputTokens: number) => ({
	inputTokens,
	outputTokens,
	cacheReadTokens: 0,
	cacheWriteTokens: 0
});
const prices = (
	input: string | null,
	output: string | null,
	read: string | null = null,
	write: string | null = null
): Prices => ({
	inputPricePerMTok: input,
	outputPricePerMTok: output,
	cacheReadPricePerMTok: read,
	cacheWritePricePerMTok: write
});

describe('computeCost', () => {
	it('prices tokens per million with numeric precision', () => {
		expect(computeCost(prices('3', '15'), plain(12, 30))).toBe(0.000486);
		expect(computeCost(prices('0.1', '0.4'), plain(16, 300))).toBe(0.0001216);
	});

	it('is null, never 0, when a price is unknown', () => {
		expect(computeCost(prices(null, '1'), plain(10, 10))).toBeNull();
		expect(computeCost(undefined, plain(10, 10))).toBeNull();
	});

	it("prices Anthropic's cache at its own rates: writes 1.25x input, reads 0.1x (Claude Haiku 4.5)", () => {
		// 20 uncached + 1,800 read + 300 written = 2,120 input tokens, 100 output.
		const tokens = { inputTokens: 2120, outputTokens: 100, cacheReadTokens: 1800, cacheWriteTokens: 300 };
		// 20 x $1 + 1,800 x $0.10 + 300 x $1.25 + 100 x $5, per million = $0.001075
		expect(computeCost(prices('1', '5', '0.1', '1.25'), tokens)).toBe(0.001075);
	});

	it("prices OpenAI's cached tokens, counted inside the prompt, at the cached-input price (GPT-4.1 mini)", () => {
		const tokens = { inputTokens: 2006, outputTokens: 300, cacheReadTokens: 1920, cacheWriteTokens: 0 };
		// 86 x $0.40 + 1,920 x $0.10 + 300 x $1.60, per million = $0.0007064
		expect(computeCost(prices('0.4', '1.6', '0.1'), tokens)).toBe(0.0007064);
	});

	it('bills cached tokens as plain input where the model has no cache prices', () => {
		const tokens = { inputTokens: 1000, outputTokens: 0, cacheReadTokens: 600, cacheWriteTokens: 400 };
		expect(computeCost(prices('2', '8'), tokens)).toBe(computeCost(prices('2', '8'), plain(1000, 0)));
	});

	it('adds costs, keeping unknown unknown', () => {
		expect(addCosts(0.1, 0.2)).toBe(0.3);
		expect(addCosts(null, 0.2)).toBeNull();
	});
});

describe('usdUnits and usdFromUnits', () => {
	it('read a stored decimal as whole units of 1e-8 USD', () => {
		expect(usdUnits('0.00075000')).toBe(75_000n);
		expect(usdUnits('12.345')).toBe(1_234_500_000n);
		expect(usdUnits('0')).toBe(0n);
		expect(usdUnits('-1.5')).toBe(-150_000_000n);
		expect(usdUnits('3.000000000')).toBe(300_000_000n);
	});

	it('refuse what is not a decimal or would lose a digit', () => {
		expect(() => usdUnits('1e-5')).toThrow(TypeError);
		expect(() => usdUnits('')).toThrow(TypeError);
		expect(() => usdUnits('0.000000001')).toThrow(RangeError);
	});

	it('sum exactly where floats do not, and give back the number the decimal text reads as', () => {
		expect(0.1 + 0.7).toBeLessThan(0.8);
		expect(usdFromUnits(usdUnits('0.1') + usdUnits('0.7'))).toBe(0.8);
		expect(usdFromUnits(usdUnits('1234.56789012'))).toBe(Number('1234.56789012'));
	});
});
