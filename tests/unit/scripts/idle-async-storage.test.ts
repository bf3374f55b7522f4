import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IdleAsyncLocalStorage } from '../../../scripts/idle-async-storage.mjs';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

/**
 * Whether the storage is tagging new promises with its value: the per-promise work it exists to
 * stop. On Node 20 a live storage writes its value under its own `kResourceStore` symbol onto every
 * promise created while it is on, inside a run or not.
 */
function tagsNewPromises(storage: IdleAsyncLocalStorage<unknown>): boolean {
	const key = (storage as unknown as { kResourceStore: symbol }).kResourceStore;
	const promise = Promise.resolve();
	return Object.getOwnPropertySymbols(promise).includes(key);
}

describe('IdleAsyncLocalStorage', () => {
	it('carries its value across awaits inside a run, and is off once the run has settled', async () => {
		const storage = new IdleAsyncLocalStorage<string>();
		expect(tagsNewPromises(storage)).toBe(false);
		const seen = await storage.run('turn', async () => {
			await tick();
			const inside = storage.getStore();
			await Promise.resolve();
			return [inside, storage.getStore(), tagsNewPromises(storage)];
		});
		expect(seen).toEqual(['turn', 'turn', true]);
		await tick();
		expect(storage.getStore()).toBeUndefined();
		expect(tagsNewPromises(storage)).toBe(false);
	});

	it('stays on while any of several overlapping runs is under way, each with its own value', async () => {
		const storage = new IdleAsyncLocalStorage<string>();
		let releaseFirst!: () => void;
		const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
		const first = storage.run('first', async () => {
			await firstHeld;
			return storage.getStore();
		});
		const second = await storage.run('second', async () => {
			await tick();
			return storage.getStore();
		});
		expect(second).toBe('second');
		// The second has settled; the first still needs its value after its await.
		await tick();
		expect(tagsNewPromises(storage)).toBe(true);
		releaseFirst();
		expect(await first).toBe('first');
		await tick();
		expect(tagsNewPromises(storage)).toBe(false);
	});

	it('counts nested runs, synchronous runs and runs that throw or reject', async () => {
		const storage = new IdleAsyncLocalStorage<string>();
		expect(storage.run('sync', () => storage.getStore())).toBe('sync');
		expect(tagsNewPromises(storage)).toBe(false);
		expect(() =>
			storage.run('throws', () => {
				throw new Error('refused');
			})
		).toThrow('refused');
		expect(tagsNewPromises(storage)).toBe(false);

		const nested = await storage.run('outer', async () => {
			const inner = await storage.run('inner', async () => {
				await tick();
				return storage.getStore();
			});
			await tick();
			return [inner, storage.getStore()];
		});
		expect(nested).toEqual(['inner', 'outer']);
		await tick();
		expect(tagsNewPromises(storage)).toBe(false);

		// The caller still gets the rejection; the storage only counts it.
		await expect(
			storage.run('rejects', async () => {
				await tick();
				throw new Error('failed turn');
			})
		).rejects.toThrow('failed turn');
		await tick();
		expect(tagsNewPromises(storage)).toBe(false);
	});

	it('leaves a thenable that is not a promise alone', async () => {
		const storage = new IdleAsyncLocalStorage<string>();
		let thenCalls = 0;
		const lazy = { then: () => thenCalls++ };
		expect(storage.run('lazy', () => lazy)).toBe(lazy);
		await tick();
		expect(thenCalls).toBe(0);
	});

	it('stays on after enterWith, whose value has no end', async () => {
		const storage = new IdleAsyncLocalStorage<string>();
		await storage.run('run', async () => {
			await tick();
		});
		await new Promise<void>((resolve) =>
			setImmediate(() => {
				storage.enterWith('entered');
				resolve();
			})
		);
		await storage.run('run again', async () => {
			await tick();
		});
		await tick();
		expect(tagsNewPromises(storage)).toBe(true);
	});
});

describe('installIdleAsyncStorage', () => {
	it("makes the storages created afterwards idle ones, through node:async_hooks' ESM view too", () => {
		// In a process of its own: installing changes the builtin for the whole process.
		const module = fileURLToPath(new URL('../../../scripts/idle-async-storage.mjs', import.meta.url));
		const script = `
			const { installIdleAsyncStorage, IdleAsyncLocalStorage } = await import(${JSON.stringify(module)});
			installIdleAsyncStorage();
			const hooks = await import('node:async_hooks');
			const storage = new hooks.AsyncLocalStorage();
			const seen = await storage.run('request', async () => { await null; return storage.getStore(); });
			await new Promise((resolve) => setTimeout(resolve, 1));
			const tagged = Object.getOwnPropertySymbols(Promise.resolve()).includes(storage.kResourceStore);
			console.log(JSON.stringify([storage instanceof IdleAsyncLocalStorage, seen, tagged]));
		`;
		const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
			encoding: 'utf8'
		});
		expect(JSON.parse(output)).toEqual([true, 'request', false]);
	});
});
