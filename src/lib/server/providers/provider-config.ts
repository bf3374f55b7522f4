import { decryptSecret } from '../crypto';
import type { ProviderConfigRow } from '../db/repositories/provider-repository';
import type { Env } from '../env-schema';
import type { ProviderKindDefinition } from './provider-kind';
import { checkUrl } from './url-policy';

/** A provider_configs row with the environment fallbacks applied and its problems named. */
export type EffectiveConfig = {
	row: ProviderConfigRow;
	definition?: ProviderKindDefinition;
	apiKey?: string;
	apiKeySource: 'database' | 'environment' | null;
	baseUrl: string;
	baseUrlSource: 'database' | 'environment' | 'default';
	allowPrivateNetwork: boolean;
	/** Why the provider cannot be used even when enabled (no key, refused URL, undecryptable key). */
	problem: string | null;
};

const envKeyName: Record<string, string> = { anthropic: 'ANTHROPIC_API_KEY', openai: 'OPENAI_API_KEY' };

/**
 * A value set in the database wins over the environment, which wins over the vendor default.
 * Base URLs from the environment are trusted for private networks: an operator set them.
 */
export function effectiveConfig(
	row: ProviderConfigRow,
	definition: ProviderKindDefinition | undefined,
	config: Env
): EffectiveConfig {
	const fromEnv = definition?.fromEnv(config) ?? {};
	const baseUrlSource = row.baseUrl ? 'database' : fromEnv.baseUrl ? 'environment' : 'default';
	const baseUrl = row.baseUrl ?? fromEnv.baseUrl ?? definition?.defaultBaseUrl ?? '';
	const setting = (row.settings as { allowPrivateNetwork?: unknown }).allowPrivateNetwork;
	const allowPrivateNetwork =
		baseUrlSource === 'environment' ||
		(typeof setting === 'boolean' ? setting : (definition?.privateNetworkByDefault ?? false));
	const result: EffectiveConfig = {
		row,
		definition,
		apiKeySource: null,
		baseUrl,
		baseUrlSource,
		allowPrivateNetwork,
		problem: null
	};
	if (!definition) return { ...result, problem: `Unknown provider kind "${row.kind}".` };
	if (row.apiKeyEncrypted) {
		try {
			result.apiKey = decryptSecret(row.apiKeyEncrypted, config);
			result.apiKeySource = 'database';
		} catch {
			return {
				...result,
				problem: 'The stored API key cannot be decrypted (SECRET_KEY changed?). Enter the key again.'
			};
		}
	} else if (fromEnv.apiKey) {
		result.apiKey = fromEnv.apiKey;
		result.apiKeySource = 'environment';
	}
	const url = checkUrl(baseUrl, { allowPrivateNetwork });
	if (!url.ok) return { ...result, problem: `The base URL ${url.reason}.` };
	if (definition.requiresApiKey && !result.apiKey) {
		const variable = envKeyName[definition.kind];
		return {
			...result,
			problem: `No API key: add one in Settings → Providers${variable ? ` or set ${variable}` : ''}.`
		};
	}
	return result;
}
