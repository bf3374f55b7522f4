/**
 * Switchboard's typed client for scripts and services: `import { createSwitchboardClient } from
 * 'switchboard/sdk'`. Everything here is isomorphic (Node 20+ and browsers); server code is only
 * referenced for its types.
 */
import type { TRPCClient } from '@trpc/client';
import type { AppRouter } from '../server/trpc/router';
import { createTrpcClient, type SwitchboardClientOptions } from './client';
import {
	ask,
	complete,
	streamCompletion,
	type AskInput,
	type AskRun,
	type CompletionInput,
	type CompletionOutput,
	type CompletionRun
} from './helpers';
import type { RunOptions } from './run';
import {
	exportChats,
	importChats,
	readBranch,
	type BranchStep,
	type ExportedFile,
	type ExportInput,
	type ImportResult
} from './conversations';

export type SwitchboardHelpers = {
	/** Sends `content` (in a new chat unless `chatId` is given) and streams the answer. */
	ask(input: AskInput, options?: RunOptions): AskRun;
	/** One stateless completion, answered whole. */
	complete(input: CompletionInput): Promise<CompletionOutput>;
	/** One stateless completion, streamed. */
	streamCompletion(input: CompletionInput, options?: RunOptions): CompletionRun;
	/** One chat or all of the user's, as lossless JSON (default) or Markdown. */
	exportChats(input?: ExportInput): Promise<ExportedFile>;
	/** Imports an export's text as new chats of the caller's, all or nothing. */
	importChats(data: string): Promise<ImportResult>;
	/** A chat's branch on screen, with each message's place among its versions. */
	readBranch(chatId: string): Promise<BranchStep[]>;
};

/** The typed tRPC client (`client.chats.list.query()`…) plus the helpers above. */
export type SwitchboardClient = TRPCClient<AppRouter> & SwitchboardHelpers;

export function createSwitchboardClient(options: SwitchboardClientOptions): SwitchboardClient {
	const trpc = createTrpcClient(options);
	const helpers: SwitchboardHelpers = {
		ask: (input, runOptions) => ask(trpc, input, runOptions),
		complete: (input) => complete(trpc, input),
		streamCompletion: (input, runOptions) => streamCompletion(trpc, input, runOptions),
		exportChats: (input) => exportChats(trpc, input),
		importChats: (data) => importChats(trpc, data),
		readBranch: (chatId) => readBranch(trpc, chatId)
	};
	// tRPC's client is a proxy where every property is a router path; the helpers sit in front of it.
	return new Proxy(trpc, {
		get(target, property, receiver) {
			if (typeof property === 'string' && Object.hasOwn(helpers, property)) {
				return helpers[property as keyof SwitchboardHelpers];
			}
			return Reflect.get(target, property, receiver);
		}
	}) as SwitchboardClient;
}

export { createTrpcClient, type SwitchboardClientOptions, type FetchFunction } from './client';
export { trpcEndpoint } from './endpoint';
export type { EventSourceConstructor } from './event-source';
export {
	SwitchboardError,
	SwitchboardProviderError,
	toSwitchboardError,
	providerErrorCode,
	budgetRefusal,
	type SwitchboardErrorCode,
	type ProviderErrorInfo,
	type FieldErrors
} from './errors';
export type {
	AskInput,
	AskResult,
	AttachmentSource,
	AskRun,
	CompletionInput,
	CompletionOutput,
	CompletionRun,
	CompletionStreamResult,
	GenerationResult,
	RouterInputs,
	RouterOutputs
} from './helpers';
export type { GenerationRun, RunOptions } from './run';
export { visibleBranch } from './conversations';
export type {
	BranchStep,
	ChatDetail,
	ChatMessage,
	ExportedFile,
	ExportInput,
	ImportResult
} from './conversations';
export { MAX_IMPORT_BYTES } from '../schemas/chat-export';
export type { FallbackEvent } from '../schemas/stream-events';
export type { StreamEvent, StreamUsage } from '../schemas/stream-events';
export type { ProviderErrorCode } from '../schemas/provider-error';
export type { BudgetRefusal } from '../schemas/budget';
export { providerErrorCodes } from '../schemas/provider-error';
export type { FinishReason } from '../schemas/common';
