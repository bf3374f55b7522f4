import { describe, expect, it } from 'vitest';
import { isChatModelId, toOpenAIParams } from './convert-to-openai';
import { mapOpenAIFinishReason } from './map-openai-finish-reason';

describe('toOpenAIParams', () => {
	it('sends a user turn with images as a text part and image_url data URLs', () => {
		const image = { mediaType: 'image/webp' as const, data: 'UklGRg==', name: 'a.webp' };
		expect(
			toOpenAIParams({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x', images: [image] }] })
				.messages
		).toEqual([
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'x' },
					{ type: 'image_url', image_url: { url: 'data:image/webp;base64,UklGRg==' } }
				]
			}
		]);
	});

	it('uses a system message and max_completion_tokens, never max_tokens', () => {
		const params = toOpenAIParams({
			model: 'gpt-5',
			system: 'S',
			maxTokens: 10,
			messages: [{ role: 'user', content: 'x' }]
		});
		expect(params).toEqual({
			model: 'gpt-5',
			messages: [
				{ role: 'system', content: 'S' },
				{ role: 'user', content: 'x' }
			],
			max_completion_tokens: 10
		});
	});

	it('sends temperature only when given', () => {
		expect(toOpenAIParams({ model: 'm', messages: [], temperature: 0.7 })).toMatchObject({
			temperature: 0.7
		});
		expect(toOpenAIParams({ model: 'm', messages: [] })).not.toHaveProperty('temperature');
	});

	it('passes top_p and stop through, and omits them when unset or empty', () => {
		expect(toOpenAIParams({ model: 'm', messages: [], topP: 0.5, stop: ['END'] })).toMatchObject({
			top_p: 0.5,
			stop: ['END']
		});
		const plain = toOpenAIParams({ model: 'm', messages: [], stop: [] });
		expect(plain).not.toHaveProperty('top_p');
		expect(plain).not.toHaveProperty('stop');
	});
});

describe('isChatModelId', () => {
	it('keeps chat models and drops embeddings, speech and images', () => {
		expect(['gpt-4.1-mini', 'gpt-5', 'o4-mini', 'gpt-4o'].every(isChatModelId)).toBe(true);
		expect(
			[
				'text-embedding-3-small',
				'tts-1',
				'whisper-1',
				'dall-e-3',
				'omni-moderation-latest',
				'gpt-image-1'
			].some(isChatModelId)
		).toBe(false);
	});
});

describe('mapOpenAIFinishReason', () => {
	it.each([
		['stop', 'stop'],
		['tool_calls', 'stop'],
		['length', 'length'],
		['content_filter', 'content_filter'],
		[null, 'error']
	])('%s -> %s', (reason, expected) => {
		expect(mapOpenAIFinishReason(reason)).toBe(expected);
	});
});
