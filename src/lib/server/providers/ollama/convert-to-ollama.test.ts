import { describe, expect, it } from 'vitest';
import { contextLengthFromModelInfo, toOllamaParams } from './convert-to-ollama';
import { mapOllamaError, OLLAMA_NO_DONE_MESSAGE } from './map-ollama-error';
import { mapOllamaFinishReason } from './map-ollama-finish-reason';

describe('toOllamaParams', () => {
	it("sends a user turn's images as bare base64 under `images`", () => {
		const image = { mediaType: 'image/jpeg' as const, data: '/9j/4AAQ', name: 'a.jpg' };
		expect(
			toOllamaParams({ model: 'llava:7b', messages: [{ role: 'user', content: 'x', images: [image] }] })
				.messages
		).toEqual([{ role: 'user', content: 'x', images: ['/9j/4AAQ'] }]);
	});

	it('puts temperature and num_predict under options, the system prompt first', () => {
		expect(
			toOllamaParams({
				model: 'llama3.2:1b',
				system: 'S',
				temperature: 0.1,
				maxTokens: 5,
				messages: [{ role: 'user', content: 'x' }]
			})
		).toEqual({
			model: 'llama3.2:1b',
			messages: [
				{ role: 'system', content: 'S' },
				{ role: 'user', content: 'x' }
			],
			options: { temperature: 0.1, num_predict: 5 }
		});
		expect(toOllamaParams({ model: 'm', messages: [] })).not.toHaveProperty('options');
	});

	it('puts top_p and stop under options', () => {
		expect(toOllamaParams({ model: 'm', messages: [], topP: 0.3, stop: ['###'] })).toMatchObject({
			options: { top_p: 0.3, stop: ['###'] }
		});
	});
});

describe('contextLengthFromModelInfo', () => {
	it('reads <architecture>.context_length, or any *.context_length', () => {
		expect(
			contextLengthFromModelInfo({ 'general.architecture': 'llama', 'llama.context_length': 131072 })
		).toBe(131072);
		expect(contextLengthFromModelInfo({ 'qwen2.context_length': 32768 })).toBe(32768);
		expect(contextLengthFromModelInfo({})).toBeNull();
		expect(contextLengthFromModelInfo(undefined)).toBeNull();
	});
});

describe('Ollama finish reasons and errors', () => {
	it('maps done_reason', () => {
		expect(mapOllamaFinishReason('stop')).toBe('stop');
		expect(mapOllamaFinishReason('length')).toBe('length');
		expect(mapOllamaFinishReason(undefined)).toBe('stop');
	});

	it('maps ResponseError by status_code, stream error lines and network failures', () => {
		const ctx = { providerId: 'ollama' };
		const responseError = Object.assign(new Error("model 'x' not found"), {
			name: 'ResponseError',
			status_code: 404
		});
		expect(mapOllamaError(responseError, ctx)).toMatchObject({ code: 'model_not_found', status: 404 });
		expect(mapOllamaError(new Error('llama runner crashed'), ctx)).toMatchObject({
			code: 'unavailable',
			retryable: true
		});
		expect(
			mapOllamaError(
				new TypeError('fetch failed', {
					cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
				}),
				ctx
			).code
		).toBe('unavailable');
		expect(mapOllamaError(new DOMException('Timed out', 'TimeoutError'), ctx).code).toBe('timeout');
		expect(mapOllamaError(new Error(OLLAMA_NO_DONE_MESSAGE), ctx).code).toBe('unknown');
	});
});
