import { describe, expect, it } from 'vitest';
import { collectStream, useChatHarness, type Client, type Received } from '../../helpers/chat-harness';

// Neither key is shaped like a vendor key, so only knowing the configured keys can catch an echo.
const envKey = 'org7Hq2ZpL9xWv4Kb8NmR3tY';
const storedKey = 'gw-Tn5Rc8Ue2Wj6Ya1Pz4Qx';
const h = useChatHarness({ config: { OPENAI_API_KEY: envKey } });

const partialEcho = (key: string) => `Invalid key ${key.slice(0, 8)}...${key.slice(-4)} for this endpoint`;

async function errorShown(client: Client, providerId: string, modelId: string) {
	const chat = await client.chats.create.mutate({ providerId, modelId });
	const sent = await client.chats.send.mutate({ chatId: chat.id, content: 'hi' });
	const events: Received[] = await collectStream(client, sent.assistantMessageId);
	const last = events.at(-1)!.event;
	if (last.type !== 'error') throw new Error(`expected an error event, got ${last.type}`);
	return last.error.message;
}

describe('a provider echoing part of a key', () => {
	it('shows members the upstream detail with every run of an environment key redacted', async () => {
		const { client } = await h.member();
		h.emulators.openai.script({ status: 400, errorMessage: partialEcho(envKey) });
		const message = await errorShown(client, 'openai', 'gpt-4.1-mini');
		expect(message).toContain('Invalid key [redacted]...[redacted] for this endpoint');
		expect(message).not.toContain(envKey.slice(0, 8));
		expect(message).not.toContain(envKey.slice(-4));
	});

	it('does the same for a key stored in Settings', async () => {
		await h.client.providers.update.mutate({ providerId: 'anthropic', apiKey: storedKey });
		const { client } = await h.member();
		h.emulators.anthropic.script({
			status: 400,
			errorType: 'invalid_request_error',
			errorMessage: partialEcho(storedKey)
		});
		const message = await errorShown(client, 'anthropic', 'claude-haiku-4-5');
		expect(message).toContain('Invalid key [redacted]...[redacted] for this endpoint');
		expect(message).not.toContain(storedKey.slice(0, 8));
		expect(message).not.toContain(storedKey.slice(-4));
	});
});
