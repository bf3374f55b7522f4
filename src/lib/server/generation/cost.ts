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

/** Digits after the point in a stored cost (`numeric(14, 8)`), and so in any sum of them. */
const COST_SCALE = 8;

/**
 * A stored cost or sum of costs ("12.34500000") as an integer count of 1e-8 USD, so that running
 * sums are exact: added as floats, 0.1 + 0.7 falls short of a 0.8 budget (0.7999999999999999).
 */
export function usdUnits(text: string): bigint {
	const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text.trim());
	if (!match) throw new TypeError(`not a decimal amount: ${text}`);
	const [, sign, whole, fraction = ''] = match;
	if (fraction.length > COST_SCALE && /[1-9]/.test(fraction.slice(COST_SCALE))) {
		throw new RangeError(`more than ${COST_SCALE} decimals: ${text}`);
	}
	const units =
		BigInt(whole!) * 10n ** BigInt(COST_SCALE) +
		BigInt(fraction.slice(0, COST_SCALE).padEnd(COST_SCALE, '0'));
	return sign ? -units : units;
}

/** Units of 1e-8 USD as dollars: the same number `Number()` gives for the sum's decimal text. */
export function usdFromUnits(units: bigint): number {
	return Number(units) / 10 ** COST_SCALE;
}
