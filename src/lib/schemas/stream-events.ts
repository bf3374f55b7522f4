import { z } from 'zod';
import { finishReasonSchema } from './common';
import { providerErrorCodeSchema } from './provider-error';

const usageSchema = z.object({
	/** Every prompt token, cached ones included. */
	inputTokens: z.number().int(),
	outputTokens: z.number().int(),
	/**
	 * Of inputTokens, those read from and written to the provider's prompt cache (priced at their own
	 * rates in costUsd). Defaulted so events from a server that predates them still parse.
	 */
	cacheReadTokens: z.number().int().default(0),
	cacheWriteTokens: z.number().int().default(0),
	/** USD, or null when the model's price is unknown. */
	costUsd: z.number().nullable(),
	estimated: z.boolean()
});

const target = z.object({ providerId: z.string(), modelId: z.string() });

/** The events of one generation, as `chats.stream` and `completions.stream` send them. */
export const streamEventSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('start'), messageId: z.string(), providerId: z.string(), modelId: z.string() }),
	z.object({ type: z.literal('delta'), text: z.string() }),
	z.object({ type: z.literal('fallback'), from: target, to: target, reason: providerErrorCodeSchema }),
	z.object({ type: z.literal('done'), finishReason: finishReasonSchema, usage: usageSchema }),
	z.object({
		type: z.literal('error'),
		error: z.object({
			code: providerErrorCodeSchema,
			message: z.string(),
			retryable: z.boolean(),
			providerId: z.string(),
			/** How long the provider asked to wait before retrying (rate limits), when it said. */
			retryAfterMs: z.number().nullable().optional()
		})
	})
]);

export type StreamEvent = z.infer<typeof streamEventSchema>;
export type StreamUsage = z.infer<typeof usageSchema>;
export type FallbackEvent = Extract<StreamEvent, { type: 'fallback' }>;
export type ErrorEvent = Extract<StreamEvent, { type: 'error' }>;
