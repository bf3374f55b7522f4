/** Where the tRPC API is served, relative to the app's origin (see server/trpc/handler.ts). */
export const TRPC_PATH = '/api/trpc';

/**
 * The tRPC endpoint for a Switchboard URL. Accepts the app's address (`https://sb.example.com`,
 * with or without a trailing slash or a base path) or the endpoint itself. Node needs absolute URLs,
 * so a relative one is accepted only where a page gives it a base (browsers).
 */
export function trpcEndpoint(url: string): string {
	const trimmed = url.trim().replace(/\/+$/, '');
	if (!trimmed) throw new TypeError('Switchboard URL is empty');
	if (trimmed.endsWith(TRPC_PATH)) return trimmed;
	return `${trimmed}${TRPC_PATH}`;
}

/** Whether a URL is absolute http(s): what Node's fetch and EventSource require. */
export function isAbsoluteHttpUrl(url: string): boolean {
	try {
		const { protocol } = new URL(url);
		return protocol === 'http:' || protocol === 'https:';
	} catch {
		return false;
	}
}
