import { describe, expect, it } from 'vitest';
import { TokenUseRecorder, type TokenUse } from './token-use';

/** A write that ends when the test says so. */
function heldWrites() {
	const calls: { uses: TokenUse[]; end(error?: Error): void }[] = [];
	const write = (uses: TokenUse[]) =>
		new Promise<void>((resolve, reject) => {
			calls.push({ uses, end: (error) => (error ? reject(error) : resolve()) });
		});
	return { calls, write };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('TokenUseRecorder', () => {
	it("writes every token noted since the last write, each token's latest use once", async () => {
		const { calls, write } = heldWrites();
		const recorder = new TokenUseRecorder(write, 60_000);
		recorder.note('a', new Date(1));
		recorder.note('b', new Date(2));
		recorder.note('a', new Date(3));
		const flushed = recorder.flush();
		await tick();
		calls[0].end();
		await flushed;
		expect(calls.map((c) => c.uses)).toEqual([
			[
				{ tokenId: 'a', at: new Date(3) },
				{ tokenId: 'b', at: new Date(2) }
			]
		]);
	});

	it("a flush (shutdown's, before the database closes) waits for the timer's write still running", async () => {
		const { calls, write } = heldWrites();
		const recorder = new TokenUseRecorder(write, 1);
		recorder.note('a', new Date(1));
		await tick();
		expect(calls).toHaveLength(1);
		let flushed = false;
		const flushing = recorder.flush().then(() => (flushed = true));
		await tick();
		expect(flushed).toBe(false);
		calls[0].end();
		await flushing;
		expect(flushed).toBe(true);
	});

	it('writes one after another, and a failed write is dropped without stopping the next', async () => {
		const { calls, write } = heldWrites();
		const recorder = new TokenUseRecorder(write, 60_000);
		recorder.note('a', new Date(1));
		const first = recorder.flush();
		recorder.note('b', new Date(2));
		const second = recorder.flush();
		await tick();
		expect(calls).toHaveLength(1);
		calls[0].end(new Error('the database is down'));
		await first;
		await tick();
		expect(calls).toHaveLength(2);
		calls[1].end();
		await second;
		expect(calls[1].uses).toEqual([{ tokenId: 'b', at: new Date(2) }]);
	});
});
