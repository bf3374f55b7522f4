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

export const completionStreamInput = z.object({
	generationId: uuidSchema,
	lastEventId: z.string().max(40).nullish()
});

export type CompletionInput = z.infer<typeof completionInput>;
