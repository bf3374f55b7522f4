import { describe, expect, it } from 'vitest';
import {
	chatImportInput,
	estimatedExportBytes,
	exportTooLarge,
	MAX_EXPORT_BYTES,
	IMPORT_TOO_LARGE,
	importLimitExceeded,
	MAX_IMPORT_BYTES,
	MAX_IMPORT_CHATS,
	MAX_IMPORT_MESSAGES
} from './chat-export';

describe('importLimitExceeded', () => {
	const fits = { bytes: MAX_IMPORT_BYTES, chats: MAX_IMPORT_CHATS, largestChat: MAX_IMPORT_MESSAGES };

	it('is null for a file at every limit', () => {
		expect(importLimitExceeded(fits)).toBeNull();
	});

	it('says how large a file is and what to do about it', () => {
		expect(importLimitExceeded({ ...fits, chats: 12, bytes: 87_500_000 })).toBe(
			'This file is 83.4 MB, and an import takes at most 64 MB: export the chats one at a time to import them elsewhere.'
		);
		// One chat over the size: exporting it alone changes nothing.
		expect(importLimitExceeded({ ...fits, chats: 1, bytes: 70_000_000 })).toBe(
			'This file is 66.8 MB, and an import takes at most 64 MB, so it cannot be imported again.'
		);
	});

	it('counts the chats, and a chat’s messages before either', () => {
		expect(importLimitExceeded({ ...fits, chats: MAX_IMPORT_CHATS + 1 })).toBe(
			'This file holds 1001 chats, and an import takes at most 1000: export the chats one at a time to import them elsewhere.'
		);
		expect(
			importLimitExceeded({ bytes: MAX_IMPORT_BYTES * 2, chats: 2_000, largestChat: MAX_IMPORT_MESSAGES + 1 })
		).toBe(
			'A chat in this file has 10001 messages, and an import takes at most 10000 per chat: that chat cannot be imported again.'
		);
	});
});

describe('chatImportInput', () => {
	it('measures the file in UTF-8 bytes, as it is sent', () => {
		// Three bytes per character: a third as many characters already passes the limit.
		const wide = '€'.repeat(Math.floor(MAX_IMPORT_BYTES / 3) + 1);
		const result = chatImportInput.safeParse({ data: wide });
		expect(result.success).toBe(false);
		expect(result.error?.issues[0].message).toBe(IMPORT_TOO_LARGE);
		expect(IMPORT_TOO_LARGE).toBe('The file is larger than 64 MB');
		expect(chatImportInput.safeParse({ data: 'x'.repeat(MAX_IMPORT_BYTES) }).success).toBe(true);
	});
});

describe('exportTooLarge', () => {
	it('counts the files in base64 and every message and chat beside the text', () => {
		expect(
			estimatedExportBytes({ chats: 2, messages: 10, textBytes: 1_000, files: 2, fileBytes: 3_000 })
		).toBe(1_100 + 4_000 + 7_000 + 600 + 1_000);
	});

	it('refuses past MAX_EXPORT_BYTES, saying what to do for one chat and for several', () => {
		expect(exportTooLarge(MAX_EXPORT_BYTES, 3)).toBeNull();
		expect(exportTooLarge(300 * 1024 * 1024, 3)).toBe(
			'These 3 chats come to about 300 MB, more than one export holds (128 MB). Export them one at a time.'
		);
		expect(exportTooLarge(200 * 1024 * 1024, 1)).toBe(
			'This chat comes to about 200 MB, more than one export holds (128 MB). An admin’s database backup keeps it (npm run db:backup).'
		);
	});
});
