import { createGuardedFetch } from '$lib/server/providers/guarded-fetch';
import { providerKinds } from '$lib/server/providers/kinds';
import type { ProviderOptions } from '$lib/server/providers/provider-kind';
import {
	ProviderError,
	type ChatProvider,
	type ProviderKind,
	type StreamPart,
	type Usage
} from '$lib/server/providers/types';
import type { Emulator } from '../../emulators';

export const TEST_KEY = 'sk-test-SECRETKEY-1234567890';

/** A real adapter on the real SDK, pointed at an emulator (loopback allowed, as the env would be). */
export function providerFor(
	kind: ProviderKind,
	emulator: Pick<Emulator, 'url'>,
	options: Partial<ProviderOptions> = {}
): ChatProvider {
	return providerKinds[kind].create({
		id: kind,
		apiKey: providerKinds[kind].requiresApiKey ? TEST_KEY : undefined,
		baseUrl: emulator.url,
		fetch: createGuardedFetch({ policy: { allowPrivateNetwork: true } }),
		timeoutMs: 5_000,
		...options
	});
}

export type Collected = {
	text: string;
	deltas: string[];
	finish?: { finishReason: string; usage: Usage };
	error?: ProviderError;
};

/** Drains a stream; a thrown error is returned, not thrown, so tests can assert on partial text too. */
export async function collect(
	stream: AsyncIterable<StreamPart>,
	onPart?: (part: StreamPart) => void
): Promise<Collected> {
	const out: Collected = { text: '', deltas: [] };
	try {
		for await (const part of stream) {
			onPart?.(part);
			if (part.type === 'text-delta') {
				out.deltas.push(part.text);
				out.text += part.text;
			} else {
				out.finish = { finishReason: part.finishReason, usage: part.usage };
			}
		}
	} catch (error) {
		if (!(error instanceof ProviderError)) throw error;
		out.error = error;
	}
	return out;
}

export const user = (content: string) => ({ role: 'user' as const, content });
