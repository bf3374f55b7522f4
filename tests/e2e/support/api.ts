import type { APIRequestContext } from '@playwright/test';
import superjson from 'superjson';
import { appOrigin, emulatorBaseUrl, type EmulatedProvider } from './env';

/**
 * Setup through the API for specs that are not about setup: the same tRPC procedures the UI calls,
 * over HTTP with the signed-in context's cookie (same-origin header, as a browser would send).
 */
export async function call<T = unknown>(
	request: APIRequestContext,
	path: string,
	input?: unknown,
	kind: 'query' | 'mutation' = 'mutation'
): Promise<T> {
	const headers = { origin: appOrigin, 'content-type': 'application/json' };
	const response =
		kind === 'query'
			? await request.get(
					`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`
				)
			: await request.post(`/api/trpc/${path}`, {
					headers,
					data: JSON.stringify(superjson.serialize(input))
				});
	const body = (await response.json()) as {
		result?: { data: Parameters<typeof superjson.deserialize>[0] };
		error?: unknown;
	};
	if (!response.ok() || !body.result)
		throw new Error(`${path} failed: ${response.status()} ${JSON.stringify(body.error)}`);
	return superjson.deserialize<T>(body.result.data);
}

const order: EmulatedProvider[] = ['anthropic', 'openai', 'ollama'];

/** Points the three providers at the emulators (idempotent), Anthropic first and default. */
export async function configureProviders(request: APIRequestContext): Promise<void> {
	for (const [index, providerId] of order.entries()) {
		await call(request, 'providers.update', {
			providerId,
			enabled: true,
			baseUrl: emulatorBaseUrl(providerId),
			apiKey: providerId === 'ollama' ? undefined : `sk-e2e-${providerId}-key-1234`,
			settings: { allowPrivateNetwork: true },
			priority: (index + 1) * 10,
			isDefault: providerId === 'anthropic'
		});
	}
	// Ollama's models come from discovery only.
	await call(request, 'models.refresh', { providerId: 'ollama' });
}
