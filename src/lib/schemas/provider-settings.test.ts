import { describe, expect, it } from 'vitest';
import { providerSettings } from './provider-settings';

describe('providerSettings: a provider row settings, checked as they are read', () => {
	it('reads what providers.create and providers.update write', () => {
		expect(
			providerSettings({ settings: { allowPrivateNetwork: true, apiKeyHost: 'api.openai.com' } })
		).toEqual({
			allowPrivateNetwork: true,
			apiKeyHost: 'api.openai.com'
		});
		expect(providerSettings({ settings: { apiKeyHost: null } })).toEqual({ apiKeyHost: null });
	});

	it('reads a field of the wrong type as unset, and keeps keys it does not know', () => {
		expect(
			providerSettings({ settings: { allowPrivateNetwork: 'yes', apiKeyHost: 42, addedLater: { a: 1 } } })
		).toEqual({ allowPrivateNetwork: undefined, apiKeyHost: undefined, addedLater: { a: 1 } });
	});

	it('reads settings that are not an object as none', () => {
		for (const settings of [null, 'text', 3, ['allowPrivateNetwork']]) {
			expect(providerSettings({ settings })).toEqual({});
		}
	});
});
