import type { RecordedRequest, Scenario } from '../../emulators';
import { emulatorOrigin, type EmulatedProvider } from './env';

/*
 * The emulators run in the Playwright runner (global-setup.ts), so tests reach them over their
 * HTTP control endpoints: script the next answers, read what the app really sent.
 */

async function control(provider: EmulatedProvider, path: string, body?: unknown): Promise<unknown> {
	const response = await fetch(`${emulatorOrigin(provider)}/__control/${path}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	if (!response.ok) throw new Error(`emulator ${provider} ${path}: HTTP ${response.status}`);
	return response.json();
}

export async function script(provider: EmulatedProvider, ...scenarios: Scenario[]): Promise<void> {
	await control(provider, 'script', { scenarios });
}

export async function requests(provider: EmulatedProvider): Promise<RecordedRequest[]> {
	const { requests } = (await control(provider, 'requests')) as { requests: RecordedRequest[] };
	return requests;
}

/** The chat requests only (model listings and health checks left out). */
export async function chatRequests(
	provider: EmulatedProvider
): Promise<(RecordedRequest & { body: Record<string, unknown> })[]> {
	const all = await requests(provider);
	return all.filter((r) => r.method === 'POST' && /chat|messages/.test(r.path)) as (RecordedRequest & {
		body: Record<string, unknown>;
	})[];
}

export async function resetEmulators(): Promise<void> {
	await Promise.all((['openai', 'anthropic', 'ollama'] as const).map((p) => control(p, 'reset', {})));
}

/** Numbered words, so a test can tell every delta apart and spot a repeated or missing one. */
export function numberedChunks(count: number, prefix = 'w'): string[] {
	return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(2, '0')} `);
}
