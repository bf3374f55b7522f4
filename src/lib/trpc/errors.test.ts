import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { describeError, formatWait, providerErrorHelp } from './errors';

function serverError(message: string, data: Record<string, unknown>) {
	return new TRPCClientError(message, {
		result: { error: { message, code: -32600, data } }
	} as ConstructorParameters<typeof TRPCClientError>[1]);
}

describe('describeError', () => {
	it('shows the first field error of a validation failure', () => {
		const error = serverError('Invalid input', {
			code: 'BAD_REQUEST',
			zodError: { formErrors: [], fieldErrors: { content: ['Write a message first'] } }
		});
		const ui = describeError(error);
		expect(ui.title).toBe('Check the input');
		expect(ui.message).toBe('Write a message first');
		expect(ui.fieldErrors).toEqual({ content: ['Write a message first'] });
		expect(ui.retryable).toBe(false);
	});

	it('says when to retry after a rate limit', () => {
		const ui = describeError(
			serverError('Too many messages at once.', { code: 'TOO_MANY_REQUESTS', retryAfterMs: 12_000 })
		);
		expect(ui.message).toBe('Too many messages at once. Try again in 12 seconds.');
		expect(ui.retryAfterMs).toBe(12_000);
	});

	it('names the request id of a failure on the server side, and keeps it for every failure', () => {
		const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
		const server = describeError(
			serverError('The database is unavailable right now.', { code: 'SERVICE_UNAVAILABLE', requestId: id })
		);
		expect(server.message).toBe(`The database is unavailable right now. (request id ${id})`);
		const notFound = describeError(serverError('Chat not found.', { code: 'NOT_FOUND', requestId: id }));
		expect(notFound.message).toBe('Chat not found.');
		expect(notFound.requestId).toBe(id);
	});

	it('keeps the provider failure code', () => {
		const ui = describeError(
			serverError('No provider is configured.', {
				code: 'PRECONDITION_FAILED',
				provider: { code: 'auth', provider: 'openai', retryable: false }
			})
		);
		expect(ui.providerCode).toBe('auth');
		expect(ui.message).toBe('No provider is configured.');
	});

	it('reports an unreachable server without its internals', () => {
		const ui = describeError(new TRPCClientError('fetch failed', { cause: new TypeError('fetch failed') }));
		expect(ui.code).toBe('NETWORK');
		expect(ui.message).not.toContain('fetch failed');
	});
});

describe('providerErrorHelp', () => {
	it('sends admins to settings for a refused key', () => {
		expect(providerErrorHelp('auth', { provider: 'OpenAI', isAdmin: true })).toMatchObject({
			title: 'OpenAI refused the API key',
			action: 'settings'
		});
		expect(providerErrorHelp('auth', { provider: 'OpenAI' }).help).toContain('Ask an admin');
	});

	it('gives a wait for rate limits and a way out for long contexts', () => {
		expect(providerErrorHelp('rate_limited', { retryAfterMs: 90_000 }).help).toContain('2 minutes');
		expect(providerErrorHelp('context_length').action).toBe('model');
		expect(
			providerErrorHelp('rate_limited', {
				provider: 'OpenAI',
				detail: 'the account has no quota or credit left'
			}).title
		).toBe('OpenAI has no quota left for this key');
		expect(providerErrorHelp('model_not_found').title).toBe('Model not available');
	});
});

describe('formatWait', () => {
	it('rounds up to whole seconds or minutes', () => {
		expect(formatWait(1)).toBe('1 second');
		expect(formatWait(59_001)).toBe('1 minute');
		expect(formatWait(61_000)).toBe('2 minutes');
	});
});
