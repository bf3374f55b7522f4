import { describe, expect, it } from 'vitest';
import { answerFetch } from './compat-request';
import { readJsonBody } from './read-body';
import { jsonReply } from './reply';

describe('answerFetch (the compatible APIs under `vite dev`)', () => {
	it('hands a handler the Request’s headers and body, and its reply back as a Response', async () => {
		const request = new Request('http://localhost/v1/chat/completions', {
			method: 'POST',
			headers: { authorization: 'Bearer sb_test', 'content-type': 'application/json' },
			body: JSON.stringify({ model: 'openai/gpt-4.1-mini' })
		});
		const response = await answerFetch(request, undefined, async (compat) => {
			const body = (await readJsonBody(compat)) as { model: string };
			return jsonReply(
				{ model: body.model, auth: compat.headers.get('authorization'), aborted: compat.signal.aborted },
				{ status: 201 }
			);
		});
		expect(response.status).toBe(201);
		expect(await response.json()).toEqual({
			model: 'openai/gpt-4.1-mini',
			auth: 'Bearer sb_test',
			aborted: false
		});
	});
});
