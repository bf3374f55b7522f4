import { z } from 'zod';
import { modelIdSchema, providerIdSchema } from './common';

export const providerIdInput = z.object({ providerId: providerIdSchema });

const baseUrlSchema = z
	.url({ message: 'Enter a full URL such as https://api.example.com' })
	.max(500)
	.refine((u) => /^https?:\/\//.test(u), 'Only http and https URLs are allowed');

export const providerUpdateInput = z.object({
	providerId: providerIdSchema,
	enabled: z.boolean().optional(),
	/** A new key; `null` clears the stored one. Never returned by any procedure. */
	apiKey: z.string().trim().min(1, 'Enter a key or clear it').max(500).nullable().optional(),
	/** `null` goes back to the default endpoint. */
	baseUrl: baseUrlSchema.nullable().optional(),
	isDefault: z.boolean().optional(),
	priority: z.number().int().min(0).max(10_000).optional(),
	defaultModelId: modelIdSchema.nullable().optional(),
	settings: z
		.object({
			/** Allows loopback and private-network base URLs (Ollama usually runs next door). */
			allowPrivateNetwork: z.boolean().optional()
		})
		.optional()
});

const priceSchema = z.number().min(0).max(100_000).nullable();

export const modelListInput = z
	.object({ providerId: providerIdSchema.optional(), includeDisabled: z.boolean().optional() })
	.optional();

export const modelUpdateInput = z.object({
	providerId: providerIdSchema,
	modelId: modelIdSchema,
	enabled: z.boolean().optional(),
	prices: z.object({ inputPerMTok: priceSchema, outputPerMTok: priceSchema }).optional(),
	contextWindow: z.number().int().min(1).max(100_000_000).nullable().optional(),
	maxOutputTokens: z.number().int().min(1).max(10_000_000).nullable().optional(),
	supportsTemperature: z.boolean().optional(),
	/** Whether the model reads images (attachments go only to models that do). */
	supportsVision: z.boolean().optional()
});

export type ProviderUpdateInput = z.infer<typeof providerUpdateInput>;
export type ModelUpdateInput = z.infer<typeof modelUpdateInput>;
