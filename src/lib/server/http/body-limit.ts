import { MAX_IMPORT_BYTES } from '$lib/schemas/chat-export';
import { trpcEndpoint } from '../trpc/handler';
import type { NodeServerSettings } from './node-request';

/** chats.import sent alone, as the UI and the SDK send it (a batch of one). */
const importPath = `${trpcEndpoint}/chats.import`;

/**
 * chats.import's body is a whole export file as a JSON string, which escaping makes longer (a quote
 * or a line break is two characters): room for twice the file.
 */
export const IMPORT_BODY_BYTES = 2 * MAX_IMPORT_BYTES + 64 * 1024;

/**
 * The most a tRPC request's body may hold: BODY_SIZE_LIMIT, or more for chats.import, the one call
 * that carries a file of that size. That body is read only when the procedure asks for its input,
 * after its middleware has checked the caller (lean-call.ts) and admitted the import (one a person,
 * two a process: transfer-admission.ts), so only a signed-in person can make the server read that much.
 */
export function trpcBodyLimit(pathname: string, settings: NodeServerSettings): number {
	return pathname === importPath
		? Math.max(settings.bodySizeLimit, IMPORT_BODY_BYTES)
		: settings.bodySizeLimit;
}
