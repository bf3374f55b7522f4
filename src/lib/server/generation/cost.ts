/** Prices as stored: numeric strings (USD per million tokens), null when unknown. */
export type Prices = { inputPricePerMTok: string | null; outputPricePerMTok: string | null };

/**
 * The cost of a call in USD, rounded to 8 decimals (the column's scale). Unknown prices give null,
 * never 0: a free-looking request that was not free is worse than an honest "unknown".
 */
export function computeCost(
	prices: Prices | undefined,
	inputTokens: number,
	outputTokens: number
): number | null {
	if (!prices || prices.inputPricePerMTok === null || prices.outputPricePerMTok === null) return null;
	const input = Number(prices.inputPricePerMTok);
	const output = Number(prices.outputPricePerMTok);
	if (!Number.isFinite(input) || !Number.isFinite(output)) return null;
	const cost = (inputTokens * input + outputTokens * output) / 1_000_000;
	return Math.round(cost * 1e8) / 1e8;
}

export function addCosts(a: number | null, b: number | null): number | null {
	if (a === null || b === null) return null;
	return Math.round((a + b) * 1e8) / 1e8;
}
