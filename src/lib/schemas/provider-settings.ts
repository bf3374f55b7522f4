import { z } from 'zod';
import { providerSettingsInput } from './providers';

/**
 * provider_configs.settings as stored: what an admin set, and the host a stored key was entered for
 * (providers.update records it; a key is only ever sent there). Read leniently, since the column is
 * JSON that a hand edit or an older build may have written: a field of the wrong type reads as unset,
 * and keys this build does not know are kept, so a write merging into them loses nothing.
 */
export const storedProviderSettings = z
	.looseObject({
		allowPrivateNetwork: providerSettingsInput.shape.allowPrivateNetwork.catch(undefined),
		apiKeyHost: z.string().nullable().optional().catch(undefined)
	})
	.catch({});

export type ProviderSettings = z.infer<typeof storedProviderSettings>;

/** A row's settings, typed and checked. */
export function providerSettings(row: { settings: unknown }): ProviderSettings {
	return storedProviderSettings.parse(row.settings);
}
