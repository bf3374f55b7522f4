import { describe, expect, it } from 'vitest';
import { MemoryBus } from '../cluster/bus';
import { AppError } from '../errors';
import { PendingStarts } from './pending-starts';

const never = new AbortController().signal;

describe('PendingStarts', () => {
	it("wakes only the sender's own waiters, with the send's error when it failed", async () => {
		const starts = new PendingStarts(new MemoryBus(), 60_000);
		const request = new AbortController();
		const mine = starts.wait('m1', 'alice', never);
		const theirs = starts.wait('m1', 'mallory', request.signal);
		starts.announce('m1', 'alice', new AppError('too_many_requests', 'Slow down.', { retryAfterMs: 500 }));
		const outcome = await mine;
		expect(outcome).toMatchObject({
			started: false,
			error: { code: 'too_many_requests', message: 'Slow down.' }
		});
		expect(starts.waiting).toBe(1);
		expect(await Promise.race([theirs, 'still waiting'])).toBe('still waiting');
		request.abort();
		expect(await theirs).toBeNull();
		expect(starts.waiting).toBe(0);
	});

	it('remembers an outcome for a watcher that arrives after it, and never passes a cause on', async () => {
		const starts = new PendingStarts(new MemoryBus(), 60_000);
		starts.announce('m2', 'alice');
		starts.announce('m3', 'alice', new Error('connection string postgres://secret@db'));
		expect(await starts.wait('m2', 'alice', never)).toEqual({ started: true });
		const failed = await starts.wait('m3', 'alice', never);
		expect(failed).toMatchObject({ started: false, error: { code: 'unavailable' } });
		expect(failed && !failed.started && failed.error.message).not.toContain('secret');
	});

	it("announces a start's outcome: its result once it resolves, its error (still thrown) when it fails", async () => {
		const starts = new PendingStarts(new MemoryBus(), 60_000);
		const started = starts.wait('m6', 'alice', never);
		expect(await starts.announcing('m6', 'alice', async () => 'sent')).toBe('sent');
		expect(await started).toEqual({ started: true });
		const refused = new AppError('conflict', 'That id is already used.');
		const failed = starts.wait('m7', 'alice', never);
		await expect(
			starts.announcing('m7', 'alice', async () => {
				throw refused;
			})
		).rejects.toBe(refused);
		expect(await failed).toMatchObject({ started: false, error: { code: 'conflict' } });
	});

	it('ends a wait at its deadline, or when its request goes away', async () => {
		const timed = new PendingStarts(new MemoryBus(), 1);
		expect(await timed.wait('m5', 'alice', never)).toBeNull();
		const starts = new PendingStarts(new MemoryBus(), 60_000);
		const request = new AbortController();
		const waiting = starts.wait('m4', 'alice', request.signal);
		request.abort();
		expect(await waiting).toBeNull();
		expect(starts.waiting).toBe(0);
	});
});
