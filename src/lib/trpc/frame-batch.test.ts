import { describe, expect, it } from 'vitest';
import { FrameBatch } from './frame-batch';

/** Frames that run only when the test says so. */
function manualFrames() {
	const queue = new Map<number, () => void>();
	let next = 1;
	return {
		queue,
		schedule: (run: () => void) => {
			const handle = next++;
			queue.set(handle, run);
			return () => void queue.delete(handle);
		},
		tick: () => {
			const runs = [...queue.values()];
			queue.clear();
			for (const run of runs) run();
		}
	};
}

describe('FrameBatch', () => {
	it('applies all deltas of a frame as one, per message, in order', () => {
		const frames = manualFrames();
		const applied: [string, string][] = [];
		const batch = new FrameBatch((id, text) => applied.push([id, text]), frames.schedule);
		batch.push('a', 'Hel');
		batch.push('b', 'x');
		batch.push('a', 'lo');
		expect(applied).toEqual([]);
		expect(frames.queue.size).toBe(1);
		frames.tick();
		expect(applied).toEqual([
			['a', 'Hello'],
			['b', 'x']
		]);
		batch.push('a', '!');
		frames.tick();
		expect(applied.at(-1)).toEqual(['a', '!']);
	});

	it('flushes one message at once and leaves the others for their frame', () => {
		const frames = manualFrames();
		const applied: [string, string][] = [];
		const batch = new FrameBatch((id, text) => applied.push([id, text]), frames.schedule);
		batch.push('a', 'one');
		batch.push('b', 'two');
		batch.flush('a');
		expect(applied).toEqual([['a', 'one']]);
		frames.tick();
		expect(applied).toEqual([
			['a', 'one'],
			['b', 'two']
		]);
	});

	it('cancels its frame when nothing is left, and clear drops what waits', () => {
		const frames = manualFrames();
		const applied: string[] = [];
		const batch = new FrameBatch((_, text) => applied.push(text), frames.schedule);
		batch.push('a', 'x');
		batch.flush();
		expect(frames.queue.size).toBe(0);
		batch.push('a', 'y');
		batch.clear();
		frames.tick();
		expect(applied).toEqual(['x']);
	});
});
