import OpenAI from 'openai';
import { startRecording, type Turn } from './types';

/**
 * The provider SDK as the app itself calls it (stream with usage, no retries), for B0 and B1, and
 * as a client of Switchboard's compatible API for B5 (with a Switchboard API token as its key).
 */
export function openaiClient(baseURL: string, apiKey = 'sk-bench-0000000000000000'): OpenAI {
	return new OpenAI({ apiKey, baseURL, maxRetries: 0, timeout: 60_000 });
}

export function openaiTurn(client: OpenAI, model: string, timeoutMs: number): Turn {
	return async () => {
		const recording = startRecording();
		try {
			const stream = await client.chat.completions.create(
				{
					model,
					messages: [{ role: 'user', content: 'bench' }],
					stream: true,
					stream_options: { include_usage: true }
				},
				{ signal: AbortSignal.timeout(timeoutMs) }
			);
			for await (const chunk of stream) {
				const text = chunk.choices[0]?.delta?.content;
				if (text) recording.delta(text);
			}
			return recording.done();
		} catch (error) {
			return recording.fail(error);
		}
	};
}
