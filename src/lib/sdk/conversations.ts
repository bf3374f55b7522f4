import type { TRPCClient } from '@trpc/client';
import { IMPORT_TOO_LARGE, MAX_IMPORT_BYTES } from '../schemas/chat-export';
import { activePath, siblingsOf } from '../schemas/conversation-tree';
import type { AppRouter } from '../server/trpc/router';
import { SwitchboardError } from './errors';
import { typedErrors, type RouterInputs, type RouterOutputs } from './helpers';

type Client = TRPCClient<AppRouter>;

export type ChatDetail = RouterOutputs['chats']['get'];
export type ChatMessage = ChatDetail['messages'][number];
export type ExportInput = RouterInputs['chats']['export'];
export type ExportedFile = RouterOutputs['chats']['export'];
export type ImportResult = RouterOutputs['chats']['import'];

/** One message of the branch on screen, with its place among its versions (`‹ index+1/count ›`). */
export type BranchStep = { message: ChatMessage; index: number; count: number; siblingIds: string[] };

/**
 * The conversation as the web UI shows it: `chats.get` returns every message (the tree) and the
 * active leaf; this walks the branch from the root to that leaf, the same function the server uses
 * for what a provider is sent.
 */
export function visibleBranch(chat: Pick<ChatDetail, 'messages' | 'activeLeafId'>): BranchStep[] {
	return activePath(chat.messages, chat.activeLeafId).map((message) => {
		const siblingIds = siblingsOf(chat.messages, message).map((m) => m.id);
		return { message, index: siblingIds.indexOf(message.id), count: siblingIds.length, siblingIds };
	});
}

/** A chat's branch on screen, read from the server. */
export async function readBranch(client: Client, chatId: string): Promise<BranchStep[]> {
	return visibleBranch(await typedErrors(() => client.chats.get.query({ chatId })));
}

/** One chat (`chatId`) or all of the user's, as lossless JSON (the default) or Markdown. */
export function exportChats(client: Client, input: ExportInput = {}): Promise<ExportedFile> {
	return typedErrors(() => client.chats.export.query(input));
}

/** Imports an export's text; a file over the limit is refused here, before it is sent. */
export async function importChats(client: Client, data: string): Promise<ImportResult> {
	const bytes = new TextEncoder().encode(data).length;
	if (bytes > MAX_IMPORT_BYTES) {
		throw new SwitchboardError('BAD_REQUEST', IMPORT_TOO_LARGE, { field: 'data' });
	}
	return typedErrors(() => client.chats.import.mutate({ data }));
}
