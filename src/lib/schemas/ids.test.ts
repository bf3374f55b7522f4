import { describe, expect, it } from 'vitest';
import { clientIdSchema, newClientId } from './ids';

describe('client-chosen ids', () => {
	it('are UUIDv7 with the time in their first 48 bits', () => {
		const at = Date.UTC(2026, 11, 2, 3, 4, 5, 678);
		const id = newClientId(at);
		expect(clientIdSchema.safeParse(id).success).toBe(true);
		expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
	});

	it('differ from one another', () => {
		const ids = new Set(Array.from({ length: 1000 }, () => newClientId()));
		expect(ids.size).toBe(1000);
	});

	it('refuses other uuid versions and non-uuids', () => {
		expect(clientIdSchema.safeParse('0b9d1a2e-7c1f-4f5e-9b7a-2f4c6d8e0a1b').success).toBe(false);
		expect(clientIdSchema.safeParse('not-an-id').success).toBe(false);
	});
});
