import { z } from 'zod';
import { modelIdSchema, providerIdSchema } from './common';
import { providerKindSchema } from './provider-kinds';

export const providerIdInput = z.object({ providerId: providerIdSchema });

const baseUrlSchema = z
	.url({ message: 'Enter a full URL such as https://api.example.com' })
	.max(500)
	.refine((u) => /^https?:\/\//.test(u), 'Only http and https URLs are allowed');

/** Headers the HTTP stack or the SDK owns: an admin's value would break the request or be ignored. */
const reservedHeaders = new Set([
	'host',
	'content-length',
	'content-type',
	'connection',
	'transfer-encoding',
	'accept-encoding',
	'te',
	'upgrade'
]);

/** An admin's extra request headers (a gateway's credential, an org id); stored encrypted like keys. */
export const extraHeadersSchema = z
	.record(
		z
			.string()
			.regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/, 'Header names are letters, digits and dashes')
			.refine((name) => !reservedHeaders.has(name.toLowerCase()), 'This header is set by Switchboard'),
		z
			.string()
			.min(1, 'Enter a value')
			.max(2000)
			.regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'Header values cannot contain line breaks')
	)
	.refine((h) => Object.keys(h).length <= 20, 'At most 20 headers');

const displayNameSchema = z.string().trim().min(1, 'Enter a name').max(100, 'At most 100 characters');

/** What an admin sets on a provider beyond its columns (stored in provider_configs.settings). */
export const providerSettingsInput = z.object({
	/** Allows loopback and private-network base URLs (Ollama usually runs next door). */
	allowPrivateNetwork: z.boolean().optional()
});

export const providerCreateInput = z.object({
	providerId: providerIdSchema,
	kind: providerKindSchema,
	displayName: displayNameSchema,
	/** Required for kinds without a vendor endpoint (openai-compatible). */
	baseUrl: baseUrlSchema.optional(),
	apiKey: z.string().trim().min(1, 'Enter a key or leave it empty').max(500).optional(),
	headers: extraHeadersSchema.optional(),
	enabled: z.boolean().default(true),
	isDefault: z.boolean().default(false),
	priority: z.number().int().min(0).max(10_000).default(100),
	allowPrivateNetwork: z.boolean().optional()
});

export const providerUpdateInput = z.object({
	providerId: providerIdSchema,
	displayName: displayNameSchema.optional(),
	/** Replaces every extra header; `null` clears them. Values are never returned, only names. */
	headers: extraHeadersSchema.nullable().optional(),
	enabled: z.boolean().optional(),
	/** A new key; `null` clears the stored one. Never returned by any procedure. */
	apiKey: z.string().trim().min(1, 'Enter a key or clear it').max(500).nullable().optional(),
	/** `null` goes back to the default endpoint. */
	baseUrl: baseUrlSchema.nullable().optional(),
	isDefault: z.boolean().optional(),
	priority: z.number().int().min(0).max(10_000).optional(),
	defaultModelId: modelIdSchema.nullable().optional(),
	settings: providerSettingsInput.optional()
});

const priceSchema = z.number().min(0).max(100_000).nullable();
/**
 * USD per million tokens. The cache prices are optional so older clients that send only input and
 * output leave them as they are; null means unknown (cached tokens are then priced as plain input).
 */
const pricesSchema = z.object({
	inputPerMTok: priceSchema,
	outputPerMTok: priceSchema,
	cacheReadPerMTok: priceSchema.optional(),
	cacheWritePerMTok: priceSchema.optional()
});

export const modelListInput = z
	.object({ providerId: providerIdSchema.optional(), includeDisabled: z.boolean().optional() })
	.optional();

export const modelUpdateInput = z.object({
	providerId: providerIdSchema,
	modelId: modelIdSchema,
	enabled: z.boolean().optional(),
	prices: pricesSchema.optional(),
	contextWindow: z.number().int().min(1).max(100_000_000).nullable().optional(),
	maxOutputTokens: z.number().int().min(1).max(10_000_000).nullable().optional(),
	supportsTemperature: z.boolean().optional(),
	displayName: displayNameSchema.optional(),
	/** Whether the model reads images (attachments go only to models that do). */
	supportsVision: z.boolean().optional(),
	/** Cache breakpoints on chats, where the provider's kind takes them (kindInfo.promptCaching). */
	promptCaching: z.boolean().optional()
});

export const modelCreateInput = z.object({
	providerId: providerIdSchema,
	modelId: modelIdSchema,
	displayName: displayNameSchema,
	contextWindow: z.number().int().min(1).max(100_000_000).nullable().default(null),
	maxOutputTokens: z.number().int().min(1).max(10_000_000).nullable().default(null),
	prices: pricesSchema.default({ inputPerMTok: null, outputPerMTok: null }),
	supportsTemperature: z.boolean().default(true),
	supportsVision: z.boolean().default(false),
	promptCaching: z.boolean().default(true)
});

export const modelKeyInput = z.object({ providerId: providerIdSchema, modelId: modelIdSchema });

/** Alias names have no slash, so they never read as `provider/model` in the compatible APIs. */
export const aliasNameSchema = z
	.string()
	.trim()
	.regex(
		/^[a-z][a-z0-9._-]{0,63}$/,
		'Alias names are lowercase letters, digits, dots, dashes and underscores'
	);

export const aliasSetInput = z.object({
	name: aliasNameSchema,
	providerId: providerIdSchema,
	modelId: modelIdSchema
});
export const aliasNameInput = z.object({ name: aliasNameSchema });

export type ProviderUpdateInput = z.infer<typeof providerUpdateInput>;
export type ModelCreateInput = z.infer<typeof modelCreateInput>;
export type AliasSetInput = z.infer<typeof aliasSetInput>;
export type ProviderCreateInput = z.infer<typeof providerCreateInput>;
export type ModelUpdateInput = z.infer<typeof modelUpdateInput>;
