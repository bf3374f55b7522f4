import { describe, expect, it } from 'vitest';
import { toAnthropicParams, toAnthropicTurns } from './convert-to-anthropic';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason';

describe('toAnthropicTurns', () => {
	it('lifts system messages out, merges consecutive same-role turns and drops empty ones', () => {
		expect(
			toAnthropicTurns([
				{ role: 'system', content: 'S1' },
				{ role: 'user', content: 'a' },
				{ role: 'user', content: 'b' },
				{ role: 'assistant', content: ' ' },
				{ role: 'assistant', content: 'c' },
				{ role: 'system', content: 'S2' },
				{ role: 'assistant', content: 'd' },
				{ role: 'user', content: 'e' }
			])
		).toEqual({
			system: ['S1', 'S2'],
			turns: [
				{ role: 'user', content: 'a\n\nb' },
				{ role: 'assistant', content: 'c\n\nd' },
				{ role: 'user', content: 'e' }
			]
		});
	});

	it('starts with a user turn', () => {
		expect(
			toAnthropicTurns([
				{ role: 'assistant', content: 'Hi!' },
				{ role: 'user', content: 'x' }
			]).turns[0].role
		).toBe('user');
	});
});

describe('toAnthropicTurns with images', () => {
	const image = { mediaType: 'image/png' as const, data: 'iVBORw0KGgo=', name: 'a.png' };

	it('a user turn with an image becomes image blocks then the text; merging keeps every block', () => {
		expect(
			toAnthropicTurns([
				{ role: 'user', content: 'first' },
				{ role: 'user', content: 'what is this?', images: [image] },
				{ role: 'assistant', content: 'A pixel.', images: [image] }
			]).turns
		).toEqual([
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'first' },
					{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: image.data } },
					{ type: 'text', text: 'what is this?' }
				]
			},
			// Only user turns carry images.
			{ role: 'assistant', content: 'A pixel.' }
		]);
	});
});

describe('toAnthropicParams', () => {
	it('puts the system prompt at the top level and requires max_tokens', () => {
		expect(
			toAnthropicParams({
				model: 'm',
				system: 'Be brief.',
				messages: [
					{ role: 'system', content: 'More.' },
					{ role: 'user', content: 'x' }
				]
			})
		).toEqual({
			model: 'm',
			max_tokens: 4096,
			system: 'Be brief.\n\nMore.',
			messages: [{ role: 'user', content: 'x' }]
		});
	});

	it('sends temperature only when given', () => {
		expect(toAnthropicParams({ model: 'm', messages: [], temperature: 0, maxTokens: 9 })).toMatchObject({
			temperature: 0,
			max_tokens: 9
		});
		expect(toAnthropicParams({ model: 'm', messages: [] })).not.toHaveProperty('temperature');
	});

	it('sends top_p and stop as stop_sequences only when given', () => {
		expect(toAnthropicParams({ model: 'm', messages: [], topP: 0.9, stop: ['\n\nHuman:'] })).toMatchObject({
			top_p: 0.9,
			stop_sequences: ['\n\nHuman:']
		});
		const plain = toAnthropicParams({ model: 'm', messages: [] });
		expect(plain).not.toHaveProperty('top_p');
		expect(plain).not.toHaveProperty('stop_sequences');
	});
});

describe('mapAnthropicFinishReason', () => {
	it.each([
		['end_turn', 'stop'],
		['stop_sequence', 'stop'],
		['tool_use', 'stop'],
		['pause_turn', 'stop'],
		['max_tokens', 'length'],
		['model_context_window_exceeded', 'length'],
		['refusal', 'content_filter'],
		[null, 'error']
	])('%s -> %s', (reason, expected) => {
		expect(mapAnthropicFinishReason(reason)).toBe(expected);
	});
});
