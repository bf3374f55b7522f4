/**
 * A least-recently-used cache bounded by the total weight of its values (e.g. characters), so a
 * few huge entries cannot hold more memory than many small ones.
 */
export class WeightedCache<V> {
	#entries = new Map<string, { value: V; weight: number }>();
	#weight = 0;

	constructor(private readonly maxWeight: number) {}

	get(key: string): V | undefined {
		const entry = this.#entries.get(key);
		if (!entry) return undefined;
		// Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
		this.#entries.delete(key);
		this.#entries.set(key, entry);
		return entry.value;
	}

	set(key: string, value: V, weight: number): void {
		const old = this.#entries.get(key);
		if (old) {
			this.#weight -= old.weight;
			this.#entries.delete(key);
		}
		if (weight > this.maxWeight) return;
		this.#entries.set(key, { value, weight });
		this.#weight += weight;
		for (const [oldest, entry] of this.#entries) {
			if (this.#weight <= this.maxWeight) break;
			this.#entries.delete(oldest);
			this.#weight -= entry.weight;
		}
	}

	get size(): number {
		return this.#entries.size;
	}

	get weight(): number {
		return this.#weight;
	}
}
