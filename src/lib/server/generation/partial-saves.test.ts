import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PartialSaves, type PartialRow } from './partial-saves';

const INTERVAL = 1_000;

/** A write that records each call's rows, failing for the message ids it is told to refuse. */
function recorder(refuse: Set<string> = new Set()) {
	const calls: PartialRow[][] = [];
	const write = async (rows: PartialRow[]) => {
		calls.push(rows);
		if (rows.some((row) => refuse.has(row.messageId))) throw new Error('invalid byte sequence');
	};
	return { calls, write };
}

describe('PartialSaves', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it("writes every running answer's latest text in one write an interval, and nothing unchanged", async () => {
		const { calls, write } = recorder();
		const saves = new PartialSaves(write, INTERVAL, () => {});
		const a = saves.track('a');
		const b = saves.track('b');
		a.update('Hel');
		a.update('Hello');
		b.update('Wor');
		await vi.advanceTimersByTimeAsync(INTERVAL);
		expect(calls).toEqual([
			[
				{ messageId: 'a', content: 'Hello' },
				{ messageId: 'b', content: 'Wor' }
			]
		]);
		// Only what changed since: b is unchanged, so it is not written again.
		a.update('Hello there');
		await vi.advanceTimersByTimeAsync(INTERVAL);
		await vi.advanceTimersByTimeAsync(INTERVAL);
		expect(calls).toHaveLength(2);
		expect(calls[1]).toEqual([{ messageId: 'a', content: 'Hello there' }]);
		await a.stop();
		await b.stop();
	});

	it('leaves a stopped answer out, waits for the write in flight, and stops its timer with the last answer', async () => {
		let finish!: () => void;
		const calls: PartialRow[][] = [];
		const saves = new PartialSaves(
			(rows) => {
				calls.push(rows);
				return new Promise<void>((resolve) => (finish = resolve));
			},
			INTERVAL,
			() => {}
		);
		const a = saves.track('a');
		const b = saves.track('b');
		a.update('partial');
		b.update('other');
		await vi.advanceTimersByTimeAsync(INTERVAL);
		expect(calls).toHaveLength(1);
		// The answer's final write must land after the partial one in flight.
		let stopped = false;
		const stopping = a.stop().then(() => (stopped = true));
		a.update('too late');
		await vi.advanceTimersByTimeAsync(0);
		expect(stopped).toBe(false);
		finish();
		await stopping;
		expect(stopped).toBe(true);
		b.update('more');
		await vi.advanceTimersByTimeAsync(INTERVAL);
		expect(calls[1]).toEqual([{ messageId: 'b', content: 'more' }]);
		finish();
		await b.stop();
		expect(vi.getTimerCount()).toBe(0);
	});

	it('retries a refused write one answer at a time, so only the refused answer loses its save', async () => {
		const { calls, write } = recorder(new Set(['bad']));
		const refused: string[] = [];
		const saves = new PartialSaves(write, INTERVAL, (_error, row) => refused.push(row.messageId));
		const answers = ['a', 'bad', 'c'].map((id) => {
			const answer = saves.track(id);
			answer.update(`text of ${id}`);
			return answer;
		});
		await vi.advanceTimersByTimeAsync(INTERVAL);
		expect(calls.map((rows) => rows.map((row) => row.messageId))).toEqual([
			['a', 'bad', 'c'],
			['a'],
			['bad'],
			['c']
		]);
		expect(refused).toEqual(['bad']);
		await Promise.all(answers.map((answer) => answer.stop()));
	});

	it('splits hundreds of answers into writes of at most a hundred', async () => {
		const { calls, write } = recorder();
		const saves = new PartialSaves(write, INTERVAL, () => {});
		const answers = Array.from({ length: 250 }, (_, i) => {
			const answer = saves.track(`m${i}`);
			answer.update('x');
			return answer;
		});
		await vi.advanceTimersByTimeAsync(INTERVAL);
		expect(calls.map((rows) => rows.length)).toEqual([100, 100, 50]);
		await Promise.all(answers.map((answer) => answer.stop()));
	});
});
