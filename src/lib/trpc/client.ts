import {
	createTRPCClient,
	httpBatchLink,
	httpSubscriptionLink,
	splitLink,
	TRPCClientError
} from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import superjson from 'superjson';
import { MAX_BATCH_SIZE } from '$lib/schemas/api-limits';
import type { AppRouter } from '$lib/server/trpc/router';

/** The one typed client the UI talks to the server with: nothing in the UI calls fetch by hand. */
export const trpc = createTRPCClient<AppRouter>({
	links: [
		splitLink({
			condition: (op) => op.type === 'subscription',
			// EventSource sends the session cookie itself and reconnects with Last-Event-Id on its own.
			true: httpSubscriptionLink({ url: '/api/trpc', transformer: superjson }),
			false: httpBatchLink({
				url: '/api/trpc',
				transformer: superjson,
				maxURLLength: 4000,
				maxItems: MAX_BATCH_SIZE
			})
		})
	]
});

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export type ChatSummary = RouterOutputs['chats']['list']['items'][number];
export type ChatDetail = RouterOutputs['chats']['get'];
export type Message = ChatDetail['messages'][number];
export type ProviderInfo = RouterOutputs['providers']['list'][number];
export type ModelInfo = RouterOutputs['models']['list'][number];
export type AliasInfo = RouterOutputs['aliases']['list'][number];
export type UsageSummaryRow = RouterOutputs['usage']['summary'][number];
export type UsageByChatRow = RouterOutputs['usage']['byChat'][number];
export type Me = RouterOutputs['auth']['me'];
export type ApiToken = RouterOutputs['auth']['tokens']['list'][number];

export type AppClientError = TRPCClientError<AppRouter>;

export function isClientError(error: unknown): error is AppClientError {
	return error instanceof TRPCClientError;
}
