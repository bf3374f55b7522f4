import { z } from 'zod';

/**
 * Every provider kind Switchboard can talk to. This list is the one place the names are written
 * outside the kinds' own folders (src/lib/server/providers/<kind>/) and the seed catalog: what a
 * kind needs and allows is data in its definition, read through `ProviderInfo.kindInfo`.
 */
export const providerKindIds = ['anthropic', 'openai', 'ollama', 'openai-compatible'] as const;
export const providerKindSchema = z.enum(providerKindIds, {
	message: `Choose one of: ${providerKindIds.join(', ')}`
});
export type ProviderKind = z.infer<typeof providerKindSchema>;
