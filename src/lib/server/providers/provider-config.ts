import type { Env } from '../env-schema';
import { decryptSecret, openHeaderMap } from '../crypto';
import type { ProviderConfigRow } from '../db/repositories/provider-repository';
import { kindEnv, type ProviderKindDefinition } from './provider-kind';
import { providerSettings, type ProviderSettings } from '$lib/schemas/provider-settings';
import { checkUrl } from './url-policy';

/** A provider_configs row with the environment fallbacks applied and its problems named. */
export type EffectiveConfig = {
	row: ProviderConfigRow;
	definition?: ProviderKindDefinition;
	/** The key requests carry: only ever one configured for the base URL's host. */
	apiKey?: string;
	apiKeySource: 'database' | 'environment' | null;
	/** Every key this provider holds, sent or withheld, so provider messages can be cleaned of them. */
	heldKeys: string[];
	baseUrl: string;
	baseUrlSource: 'database' | 'environment' | 'default';
	allowPrivateNetwork: boolean;
	/** The admin's extra request headers, decrypted (values are secrets, like keys). */
	headers?: Record<string, string>;
	/** Why the provider cannot be used even when enabled (no key, refused URL, undecryptable key). */
	problem: string | null;
};

/** What providers.update records beside a stored key: the host it was entered for. */
export type KeySettings = Pick<ProviderSettings, 'apiKeyHost'>;

/** The host (with port) a key is bound to; '' for nothing parseable, which matches no real host. */
export function hostOf(url: string | null | undefined): string {
	try {
		return url ? new URL(url).host.toLowerCase() : '';
	} catch {
		return '';
	}
}

/** The base URL without an admin's override: the environment's, else the vendor default. */
export function homeBaseUrl(definition: ProviderKindDefinition, config: Env, providerId: string): string {
	return kindEnv(definition, config, providerId).baseUrl ?? definition.defaultBaseUrl ?? '';
}

/**
 * The host a stored key was entered for. Rows from before the host was recorded were entered for
 * their current base URL: changing it to another host has always cleared the key.
 */
export function storedKeyHost(row: ProviderConfigRow, home: string): string {
	return providerSettings(row).apiKeyHost ?? hostOf(row.baseUrl ?? home);
}

type KeyChoice = Pick<EffectiveConfig, 'apiKey' | 'apiKeySource' | 'heldKeys'> & { problem: string | null };

/**
 * The key for `baseUrl`: the stored one, else the environment's, each only if it was configured
 * for that host. A key never follows a base URL to another host (LobeChat GHSA-p36r-qxgx-jq2v and
 * LiteLLM CVE-2024-6587 sent keys wherever the URL pointed); the admin enters one for the new host.
 */
function chooseKey(
	row: ProviderConfigRow,
	definition: ProviderKindDefinition,
	config: Env,
	baseUrl: string
): KeyChoice {
	const home = homeBaseUrl(definition, config, row.id);
	const host = hostOf(baseUrl);
	const envKey = kindEnv(definition, config, row.id).apiKey;
	const heldKeys: string[] = envKey ? [envKey] : [];
	let withheld: string | null = null;
	if (row.apiKeyEncrypted) {
		let stored: string;
		try {
			stored = decryptSecret(row.apiKeyEncrypted, config);
		} catch {
			return {
				apiKeySource: null,
				heldKeys,
				problem: 'The stored API key cannot be decrypted (SECRET_KEY changed?). Enter the key again.'
			};
		}
		heldKeys.push(stored);
		const keyHost = storedKeyHost(row, home);
		if (keyHost === host) return { apiKey: stored, apiKeySource: 'database', heldKeys, problem: null };
		withheld = `The stored API key was entered for ${keyHost || 'another host'} and is not sent to ${host}: enter the key for ${host} in Settings → Providers.`;
	}
	if (envKey) {
		if (hostOf(home) === host)
			return { apiKey: envKey, apiKeySource: 'environment', heldKeys, problem: null };
		withheld ??= `${definition.env.apiKey ?? 'The environment key'} is only sent to ${hostOf(home)}, and the base URL points at ${host}: enter a key for ${host} in Settings → Providers.`;
	}
	return { apiKeySource: null, heldKeys, problem: withheld };
}

/**
 * A value set in the database wins over the environment, which wins over the vendor default.
 * Base URLs from the environment are trusted for private networks: an operator set them.
 */
export function effectiveConfig(
	row: ProviderConfigRow,
	definition: ProviderKindDefinition | undefined,
	config: Env
): EffectiveConfig {
	const fromEnv = definition ? kindEnv(definition, config, row.id) : {};
	const baseUrlSource = row.baseUrl ? 'database' : fromEnv.baseUrl ? 'environment' : 'default';
	const baseUrl = row.baseUrl ?? fromEnv.baseUrl ?? definition?.defaultBaseUrl ?? '';
	const allowPrivateNetwork =
		baseUrlSource === 'environment' ||
		(providerSettings(row).allowPrivateNetwork ?? definition?.privateNetworkByDefault ?? false);
	const base = { row, definition, baseUrl, baseUrlSource, allowPrivateNetwork } as const;
	if (!definition) {
		return {
			...base,
			apiKeySource: null,
			heldKeys: [],
			problem: `Unknown provider kind "${row.kind}".`
		};
	}
	const { problem: keyProblem, ...key } = chooseKey(row, definition, config, baseUrl);
	const headers = openHeaders(row, config);
	if (headers.values) key.heldKeys.push(...Object.values(headers.values));
	const url = checkUrl(baseUrl, { allowPrivateNetwork });
	const variable = row.id === definition.kind ? definition.env.apiKey : undefined;
	const problem = !baseUrl
		? 'No base URL: enter the server address in Settings → Providers.'
		: !url.ok
			? `The base URL ${url.reason}.`
			: (headers.problem ??
				keyProblem ??
				(definition.requiresApiKey && !key.apiKey
					? `No API key: add one in Settings → Providers${variable ? ` or set ${variable}` : ''}.`
					: null));
	return { ...base, ...key, headers: headers.values, problem };
}

/** The admin's extra headers, opened; a value that cannot be decrypted is a problem, not a crash. */
function openHeaders(
	row: ProviderConfigRow,
	config: Env
): { values?: Record<string, string>; problem: string | null } {
	if (!row.extraHeadersEncrypted) return { problem: null };
	try {
		return { values: openHeaderMap(row.extraHeadersEncrypted, config), problem: null };
	} catch {
		return {
			problem: 'The stored extra headers cannot be decrypted (SECRET_KEY changed?). Enter them again.'
		};
	}
}
