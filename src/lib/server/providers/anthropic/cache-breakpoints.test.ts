import { describe, expect, it } from 'vitest';
import { withCacheBreakpoints } from './cache-breakpoints';
import { toAnthropicParams } from './convert-to-anthropic';

const ephemeral = { type: 'ephemeral' };

describe('withCacheBreakpoints', () => {
	it('marks the system prompt and the last user turn, nothing else', () => {
		const turns = [
			{ role: 'user' as const, content: 'first' },
			{ role: 'assistant' as const, content: 'answer' },
			{ role: 'user' as const, content: 'second' }
		];
		expect(withCacheBreakpoints('Be brief.', turns)).toEqual({
			system: [{ type: 'text', text: 'Be brief.', cache_control: ephemeral }],
			turns: [
				{ role: 'user', content: 'first' },
				{ role: 'assistant', content: 'answer' },
				{ role: 'user', content: [{ type: 'text', text: 'second', cache_control: ephemeral }] }
			]
		});
		// The caller's turns are left as they were.
		expect(turns[2].content).toBe('second');
	});

	it('marks the last block of a turn that carries an image', () => {
		const image = {
			type: 'image' as const,
			source: { type: 'base64' as const, media_type: 'image/png' as const, data: 'AA==' }
		};
		const { turns, system } = withCacheBreakpoints(undefined, [
			{ role: 'user', content: [image, { type: 'text', text: 'What is this?' }] }
		]);
		expect(system).toBeUndefined();
		expect(turns[0].content).toEqual([
			image,
			{ type: 'text', text: 'What is this?', cache_control: ephemeral }
		]);
	});

	it('looks past a trailing assistant turn for the last user turn', () => {
		const { turns } = withCacheBreakpoints('', [
			{ role: 'user', content: 'q' },
			{ role: 'assistant', content: 'partial' }
		]);
		expect(turns).toEqual([
			{ role: 'user', content: [{ type: 'text', text: 'q', cache_control: ephemeral }] },
			{ role: 'assistant', content: 'partial' }
		]);
	});
});

describe('toAnthropicParams with promptCaching', () => {
	const request = {
		model: 'claude-haiku-4-5',
		system: 'You are terse.',
		messages: [
			{ role: 'user' as const, content: 'a' },
			{ role: 'assistant' as const, content: 'b' },
			{ role: 'user' as const, content: 'c' }
		]
	};

	it('sends two breakpoints, within the four Anthropic allows', () => {
		const params = toAnthropicParams({ ...request, promptCaching: true });
		expect(params.system).toEqual([{ type: 'text', text: 'You are terse.', cache_control: ephemeral }]);
		const marks = JSON.stringify(params).match(/cache_control/g) ?? [];
		expect(marks).toHaveLength(2);
		expect(params.messages[2]).toEqual({
			role: 'user',
			content: [{ type: 'text', text: 'c', cache_control: ephemeral }]
		});
	});

	it('sends none when caching is off', () => {
		const params = toAnthropicParams(request);
		expect(params.system).toBe('You are terse.');
		expect(JSON.stringify(params)).not.toContain('cache_control');
	});
});
