/*
 * Token estimates where no provider count exists yet or at all: a stopped stream on the server, and
 * the running figures the UI shows while an answer streams. One rule, so both agree.
 */

/** About four characters per token in English. */
export function estimateTokens(text: string): number {
	return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

/** The prompt's tokens: its texts, plus a few tokens of framing per message as chat templates add them. */
export function estimateInputTokens(request: { system?: string; messages: { content: string }[] }): number {
	const framing = request.messages.length * 4;
	const text = (request.system ?? '') + request.messages.map((m) => m.content).join('');
	return estimateTokens(text) + framing;
}

/** USD per million tokens as the API returns them (numbers), null when unknown. */
export type PricesPerMTok = { inputPricePerMTok: number | null; outputPricePerMTok: number | null };

/** A running cost estimate; null when the model has no price (never a free-looking 0). */
export function estimateCost(prices: PricesPerMTok | undefined, inputTokens: number, outputTokens: number) {
	if (!prices || prices.inputPricePerMTok === null || prices.outputPricePerMTok === null) return null;
	return (inputTokens * prices.inputPricePerMTok + outputTokens * prices.outputPricePerMTok) / 1_000_000;
}
