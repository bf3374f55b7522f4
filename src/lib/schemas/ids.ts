import { z } from 'zod';

/**
 * An id a client picks for a row it is about to create (`chats.send`'s message ids), so it can
 * watch the answer in parallel with the send. Version 7: time-ordered, so the ids index like the
 * server's own, and 74 random bits keep them unguessable.
 */
export const clientIdSchema = z.uuidv7('Not a valid UUIDv7 id');

/** A fresh UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then version, variant and random bits. */
export function newClientId(now: number = Date.now()): string {
	const bytes = new Uint8Array(16);
	globalThis.crypto.getRandomValues(bytes);
	for (let i = 0; i < 6; i++) bytes[i] = Math.floor(now / 2 ** (8 * (5 - i))) & 0xff;
	bytes[6] = (bytes[6] & 0x0f) | 0x70;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
