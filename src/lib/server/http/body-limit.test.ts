import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES } from '$lib/schemas/chat-export';
import { IMPORT_BODY_BYTES, trpcBodyLimit } from './body-limit';
import { nodeServerSettings } from './node-request';

describe('trpcBodyLimit', () => {
	const settings = nodeServerSettings({ BODY_SIZE_LIMIT: '24M' });

	it('gives chats.import, sent alone, room for a whole file escaped in JSON', () => {
		expect(trpcBodyLimit('/api/trpc/chats.import', settings)).toBe(IMPORT_BODY_BYTES);
		expect(IMPORT_BODY_BYTES).toBeGreaterThanOrEqual(2 * MAX_IMPORT_BYTES);
	});

	it('keeps BODY_SIZE_LIMIT for every other call, and for the import in a batch with others', () => {
		expect(trpcBodyLimit('/api/trpc/chats.send', settings)).toBe(24 * 1024 * 1024);
		expect(trpcBodyLimit('/api/trpc/chats.import,chats.list', settings)).toBe(24 * 1024 * 1024);
		expect(trpcBodyLimit('/api/trpc/chats.importx', settings)).toBe(24 * 1024 * 1024);
	});

	it('never lowers a BODY_SIZE_LIMIT set higher', () => {
		const large = nodeServerSettings({ BODY_SIZE_LIMIT: '1G' });
		expect(trpcBodyLimit('/api/trpc/chats.import', large)).toBe(1024 ** 3);
	});
});
