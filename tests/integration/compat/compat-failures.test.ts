import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { useCompatHarness } from './compat-harness';

/*
 * Failures around the call rather than in the provider, through the official SDKs against a server
 * that builds its Requests as adapter-node does: a body past the server's limit, a client that
 * hangs up before a non-streamed answer is out, a database that refuses writes.
 */
const h = useCompatHarness();

/** Past adapter-node's default BODY_SIZE_LIMIT (512 KB), under the engine's 8 MB. */
const tooLarge = 'x'.repeat(600 * 1024);

async function failure(promise: Promise<unknown>): Promise<unknown> {
	return promise.then(
		() => {
			throw new Error('expected the call to fail');
		},
		(error: unknown) => error
	);
}

describe('a request body past the server limit', () => {
	it('is a 413 in the OpenAI error shape', async () => {
		const client = await h.openai();
		const error = await failure(
			client.chat.completions.create({
				model: 'gpt-4.1-mini',
				messages: [{ role: 'user', content: tooLarge }]
			})
		);
		expect(error).toBeInstanceOf(OpenAI.APIError);
		expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
		expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({
			type: 'invalid_request_error',
			code: 'request_too_large'
		});
		expect(h.emulators.openai.requests).toHaveLength(0);
	});

	it('is a 413 in the Anthropic error shape', async () => {
		const client = await h.anthropic();
		const error = await failure(
			client.messages.create({
				model: 'claude-sonnet-5-5',
				max_tokens: 10,
				messages: [{ role: 'user', content: tooLarge }]
			})
		);
		expect(error).toBeInstanceOf(Anthropic.APIError);
		expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(413);
		expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
			type: 'error',
			error: { type: 'request_too_large' }
		});
		expect(h.emulators.anthropic.requests).toHaveLength(0);
	});
});
