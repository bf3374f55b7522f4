import type { Usage } from '../providers/types';

/** Prices as stored: numeric strings (USD per million tokens), null when unknown. */
export type Prices = {
	inputPricePerMTok: string | null;
	outputPricePerMTok: string | null;
	cacheReadPricePerMTok: string | null;
	cacheWritePricePerMTok: string | null;
};

/** The figures a cost is computed from; the cache figures are part of inputTokens (see Usage). */
export type BilledTokens = Pick<
	Usage,
	'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens'
>;

const perMTok = (price: string | null): number | null => {
	if (price === null) return null;
	const value = Number(price);
	return Number.isFinite(value) ? value : null;
};

/**
 * The cost of a call in USD, rounded to 8 decimals (the column's scale): uncached input at the input
 * price, cache reads and writes at their own prices, output at the output price. A cache price that is
 * unknown counts those tokens as plain input (what a server that publishes no discount bills). Unknown
 * input or output prices give null, never 0: a free-looking request that was not free is worse than an
 * honest "unknown".
 */
export function computeCost(prices: Prices | undefined, tokens: BilledTokens): number | null {
	if (!prices) return null;
	const input = perMTok(prices.inputPricePerMTok);
	const output = perMTok(prices.outputPricePerMTok);
	if (input === null || output === null) return null;
	const read = perMTok(prices.cacheReadPricePerMTok) ?? input;
	const write = perMTok(prices.cacheWritePricePerMTok) ?? input;
	const uncached = Math.max(0, tokens.inputTokens - tokens.cacheReadTokens - tokens.cacheWriteTokens);
	const cost =
		(uncached * input +
			tokens.cacheReadTokens * read +
			tokens.cacheWriteTokens * write +
			tokens.outputTokens * output) /
		1_000_000;
	return Math.round(cost * 1e8) / 1e8;
}

export function addCosts(a: number | null, b: number | null): number | null {
	if (a === null || b === null) return null;
	return Math.round((a + b) * 1e8) / 1e8;
}
