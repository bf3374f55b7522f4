/**
 * `items` in consecutive slices of at most `size`, for multi-row inserts: Postgres takes at most
 * 65,535 parameters in one statement.
 */
export function batches<T>(items: readonly T[], size: number): T[][] {
	const slices: T[][] = [];
	for (let i = 0; i < items.length; i += size) slices.push(items.slice(i, i + size));
	return slices;
}
