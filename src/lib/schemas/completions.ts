import { z } from 'zod';
import { inlineImageSchema } from './attachments';
import {
	contentSchema,
	maxTokensSchema,
	stopSequencesSchema,
	modelIdSchema,
	providerIdSchema,
	systemPromptSchema,
	temperatureSchema,
	topPSchema,
	uuidSchema
} from './common';
import { clientIdSchema } from './ids';

export const completionInput = z.object({
	providerId: providerIdSchema.optional(),
	modelId: modelIdSchema.optional(),
	messages: z
		.array(
			z.object({
				role: z.enum(['user', 'assistant']),
				content: contentSchema,
				/** Images for a vision model, on user messages (the same caps as attachments). */
				images: z.array(inlineImageSchema).max(32, 'At most 32 images').optional()
			})
		)
		.min(1, 'Send at least one message')
		.max(500),
	system: systemPromptSchema.optional(),
	temperature: temperatureSchema.optional(),
	maxTokens: maxTokensSchema.optional(),
	topP: topPSchema.optional(),
	stop: stopSequencesSchema.optional()
});

/** `completions.start`: a completion's input, and optionally the id its generation is to have. */
export const completionStartInput = completionInput.extend({
	/**
	 * An id the client picked (UUIDv7), so the answer's stream (`completions.stream` with
	 * `awaitStart`) can open alongside this start: one round trip to the first token.
	 */
	generationId: clientIdSchema.optional()
});

export const completionStreamInput = z.object({
	generationId: uuidSchema,
	lastEventId: z.string().max(40).nullish(),
	/**
	 * Opened alongside the `completions.start` that picked `generationId`: wait (a few seconds) for
	 * it to start, and end with its error if it is refused.
	 */
	awaitStart: z.boolean().optional()
});

export type CompletionInput = z.infer<typeof completionInput>;
export type CompletionStartInput = z.infer<typeof completionStartInput>;
