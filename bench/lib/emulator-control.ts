import type { Scenario } from '../../tests/emulators/script';

/** Unpaced answers for time to first token; paced ones for the concurrent streams. */
export const QUICK_MODEL = 'gpt-4.1-mini';
export const PACED_MODEL = 'gpt-4.1-nano';
export const QUICK_DELTAS = 8;
/** A paced answer as long in time as PACED_MODEL's with a quarter of its deltas: for statements per delta. */
export const SPARSE_MODEL = 'gpt-4o-mini';

/** Delta i carries its own index, so the receiver can tell lost and reordered deltas apart. */
export const chunkText = (i: number) => `d${i}; `;

export function indicesOf(texts: readonly string[]): number[] {
	const out: number[] = [];
	for (const text of texts) for (const match of text.matchAll(/d(\d+);/g)) out.push(Number(match[1]));
	return out;
}

export type Pacing = { deltas: number; paceMs: number };

/** SPARSE_MODEL's pacing: a quarter of the deltas, four times apart, so the answer takes as long. */
export function sparsePacing(pacing: Pacing): Pacing {
	const deltas = Math.max(1, Math.floor(pacing.deltas / 4));
	return { deltas, paceMs: Math.round((pacing.deltas * pacing.paceMs) / deltas) };
}

async function control(origin: string, path: string, body: unknown): Promise<void> {
	const response = await fetch(`${origin}/__control/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	if (!response.ok) throw new Error(`emulator control ${path}: HTTP ${response.status}`);
}

/**
 * Forgets the recorded requests (they would grow the emulator's heap all run long) and scripts the
 * standing answers again, by model, over the emulator's HTTP control endpoint.
 */
export async function scriptEmulator(origin: string, pacing: Pacing): Promise<void> {
	await control(origin, 'reset', {});
	const scenarios: Scenario[] = [
		{
			model: QUICK_MODEL,
			chunks: Array.from({ length: QUICK_DELTAS }, (_, i) => chunkText(i)),
			usage: { inputTokens: 10, outputTokens: QUICK_DELTAS },
			persist: true
		},
		{
			model: PACED_MODEL,
			chunks: Array.from({ length: pacing.deltas }, (_, i) => chunkText(i)),
			paceMs: pacing.paceMs,
			usage: { inputTokens: 10, outputTokens: pacing.deltas },
			persist: true
		},
		{
			model: SPARSE_MODEL,
			chunks: Array.from({ length: sparsePacing(pacing).deltas }, (_, i) => chunkText(i)),
			paceMs: sparsePacing(pacing).paceMs,
			usage: { inputTokens: 10, outputTokens: sparsePacing(pacing).deltas },
			persist: true
		}
	];
	await control(origin, 'script', { scenarios });
}
