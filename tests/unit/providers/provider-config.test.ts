import { describe, expect, it } from 'vitest';
import { sealApiKey } from '$lib/server/crypto';
import type { ProviderConfigRow } from '$lib/server/db/repositories/provider-repository';
import { openaiKind } from '$lib/server/providers/openai/openai-provider';
import { effectiveConfig } from '$lib/server/providers/provider-config';
import { testConfig } from '../../helpers/auth-client';

const envKey = 'sk-env-key-0000000000000001';
const config = testConfig({
	SECRET_KEY: 'unit-test-secret-key-0123456789abcdef',
	OPENAI_API_KEY: envKey,
	OPENAI_BASE_URL: 'https://gateway.internal.example/v1'
});

function row(overrides: Partial<ProviderConfigRow> = {}): ProviderConfigRow {
	return {
		id: 'openai',
		kind: 'openai',
		displayName: 'OpenAI',
		enabled: true,
		baseUrl: null,
		apiKeyEncrypted: null,
		apiKeyHint: null,
		extraHeadersEncrypted: null,
		deletedAt: null,
		isDefault: false,
		priority: 100,
		defaultModelId: null,
		settings: {},
		createdAt: new Date(0),
		updatedAt: new Date(0),
		...overrides
	};
}

const stored = (key: string, settings: Record<string, unknown> = {}, baseUrl: string | null = null) =>
	row({ apiKeyEncrypted: sealApiKey(key, config).apiKeyEncrypted, settings, baseUrl });

describe('effectiveConfig: a key is only sent to the host it was configured for', () => {
	it('uses the env key on its own host, whatever the path', () => {
		const same = effectiveConfig(row({ baseUrl: 'https://gateway.internal.example/v2' }), openaiKind, config);
		expect(same).toMatchObject({ apiKey: envKey, apiKeySource: 'environment', problem: null });
	});

	it('withholds the env key from another host, and names the host a key is needed for', () => {
		const moved = effectiveConfig(row({ baseUrl: 'https://elsewhere.example:8443/v1' }), openaiKind, config);
		expect(moved.apiKey).toBeUndefined();
		expect(moved).toMatchObject({
			apiKeySource: null,
			heldKeys: [envKey],
			problem: expect.stringContaining(
				'OPENAI_API_KEY is only sent to gateway.internal.example, and the base URL points at elsewhere.example:8443'
			)
		});
	});

	it('withholds a stored key from a host other than the one it was entered for', () => {
		const key = 'sk-stored-key-00000000abcd';
		const bound = stored(key, { apiKeyHost: 'gateway.internal.example' });
		expect(effectiveConfig(bound, openaiKind, config)).toMatchObject({
			apiKey: key,
			apiKeySource: 'database'
		});
		// The operator moves OPENAI_BASE_URL: the stored key does not follow (the env key is for that host).
		const movedEnv = { ...config, OPENAI_BASE_URL: 'https://new-gateway.example/v1' };
		expect(effectiveConfig(bound, openaiKind, movedEnv)).toMatchObject({
			apiKey: envKey,
			apiKeySource: 'environment',
			heldKeys: [envKey, key]
		});
		const withoutEnvKey = effectiveConfig(bound, openaiKind, { ...movedEnv, OPENAI_API_KEY: undefined });
		expect(withoutEnvKey.apiKey).toBeUndefined();
		expect(withoutEnvKey.problem).toContain(
			'The stored API key was entered for gateway.internal.example and is not sent to new-gateway.example'
		);
	});

	it('binds a stored key without a recorded host to its row base URL', () => {
		const key = 'sk-legacy-key-0000000wxyz';
		const legacy = stored(key, {}, 'https://proxy.example/v1');
		expect(effectiveConfig(legacy, openaiKind, config)).toMatchObject({ apiKey: key, problem: null });
	});

	it("reads a hand-edited row's settings of the wrong type as unset", () => {
		const key = 'sk-legacy-key-0000000wxyz';
		const edited = stored(key, { apiKeyHost: 42, allowPrivateNetwork: 'yes' }, 'https://proxy.example/v1');
		// Bound to the row's base URL, as with no recorded host; private networks as the kind's default.
		expect(effectiveConfig(edited, openaiKind, config)).toMatchObject({
			apiKey: key,
			problem: null,
			allowPrivateNetwork: false
		});
	});

	it('falls back to the env key when the stored key belongs elsewhere but the env key fits', () => {
		const key = 'sk-stored-key-00000000abcd';
		const elsewhere = stored(key, { apiKeyHost: 'old-host.example' });
		expect(effectiveConfig(elsewhere, openaiKind, config)).toMatchObject({
			apiKey: envKey,
			apiKeySource: 'environment',
			problem: null
		});
	});
});
