import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, beforeEach } from 'vitest';
import type { Env } from '$lib/server/env-schema';
import { handleApiRequest } from '$lib/server/http/api-handler';
import { serveNodeRoute } from '$lib/server/http/node-routes';
import { leanSettings } from '../../helpers/lean-route';
import type { GenerationSettings } from '$lib/server/services/generation-service';
import { createApiToken } from '../../helpers/auth-client';
import { useChatHarness, type Harness } from '../../helpers/chat-harness';
import { ADAPTER_NODE_BODY_LIMIT, startTestServer, type TestServer } from '../../helpers/test-server';

export type CompatHarness = Harness & {
	/**
	 * The server that answers /v1/* (the compatible APIs) and /api/trpc, as the built app does: /v1
	 * by the lean route on Node's own request and response, the rest through Requests built by
	 * SvelteKit's own adapter code, with adapter-node's default body limit.
	 */
	readonly compatUrl: string;
	/** A fresh API token of the admin. */
	token(): Promise<string>;
	openai(options?: { apiKey?: string }): Promise<OpenAI>;
	anthropic(options?: { apiKey?: string; authToken?: string }): Promise<Anthropic>;
};

/**
 * The chat harness (app on the emulators) plus a server that routes /v1/* to the compatible APIs,
 * and the official OpenAI and Anthropic SDKs pointed at it with a Switchboard API token. SDK retries
 * are off, so each error surfaces once, as the SDK's own class.
 */
export function useCompatHarness(
	options: { config?: Partial<Env>; generation?: Partial<GenerationSettings> } = {}
): CompatHarness {
	const harness = useChatHarness(options);
	let server: TestServer | undefined;
	beforeEach(async () => {
		const app = harness.app;
		server = await startTestServer((request, address) => handleApiRequest(app, request, address), {
			adapterNode: { bodySizeLimit: ADAPTER_NODE_BODY_LIMIT },
			nodeRoute: (req, res) => serveNodeRoute(app, req, res, leanSettings)
		});
	});
	afterEach(async () => {
		await server?.close();
	});
	const token = () => createApiToken(harness.app, harness.admin.user.id);
	const extra = {
		get compatUrl() {
			return server!.url;
		},
		token,
		async openai(o: { apiKey?: string } = {}) {
			return new OpenAI({ baseURL: `${server!.url}/v1`, apiKey: o.apiKey ?? (await token()), maxRetries: 0 });
		},
		async anthropic(o: { apiKey?: string; authToken?: string } = {}) {
			const apiKey = o.authToken ? null : (o.apiKey ?? (await token()));
			return new Anthropic({ baseURL: server!.url, apiKey, authToken: o.authToken ?? null, maxRetries: 0 });
		}
	};
	// Getters stay getters: the harness's values exist only once its beforeEach ran.
	return Object.defineProperties(
		Object.create(harness) as CompatHarness,
		Object.getOwnPropertyDescriptors(extra)
	);
}
