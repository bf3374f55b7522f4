import { describe, expect, it } from 'vitest';
import { jsonReply, sseReply, toResponse } from './reply';
import { sseFrame } from './sse';

describe('toResponse', () => {
	it('gives JSON replies their status and headers', async () => {
		const response = toResponse(jsonReply({ ok: true }, { status: 201, headers: { 'x-a': '1' } }));
		expect(response.status).toBe(201);
		expect(response.headers.get('x-a')).toBe('1');
		expect(await response.json()).toEqual({ ok: true });
	});

	it('streams SSE frames with the event-stream headers', async () => {
		async function* frames() {
			yield sseFrame({ a: 1 });
			yield sseFrame('[DONE]');
		}
		const response = toResponse(
			sseReply(frames(), {
				headers: { 'x-switchboard-fallback-from': 'openai/gpt-4o' },
				onCancel: async () => {}
			})
		);
		expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
		expect(response.headers.get('x-accel-buffering')).toBe('no');
		expect(response.headers.get('x-switchboard-fallback-from')).toBe('openai/gpt-4o');
		expect(await response.text()).toBe('data: {"a":1}\n\ndata: [DONE]\n\n');
	});

	it('cancels the source when the body is cancelled', async () => {
		let cancelled = false;
		async function* frames() {
			yield sseFrame('first');
			yield sseFrame('never read');
		}
		const response = toResponse(
			sseReply(frames(), {
				onCancel: async () => {
					cancelled = true;
				}
			})
		);
		const reader = response.body!.getReader();
		await reader.read();
		await reader.cancel();
		expect(cancelled).toBe(true);
	});
});
