/** Edit distance (insertions, deletions, substitutions), for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
	let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
		}
		previous = current;
	}
	return previous[b.length];
}

/** Up to `limit` candidates close to `target`: a shared prefix or substring, or a small edit distance. */
export function closeMatches(target: string, candidates: readonly string[], limit = 3): string[] {
	const t = target.toLowerCase();
	const scored = candidates
		.map((c) => {
			const lc = c.toLowerCase();
			const distance = editDistance(t, lc);
			const related = lc.includes(t) || t.includes(lc);
			return { c, score: related ? Math.min(distance, 1) : distance };
		})
		.filter(({ score }) => score <= Math.max(2, Math.floor(t.length / 3)))
		.sort((a, b) => a.score - b.score || a.c.localeCompare(b.c));
	return scored.slice(0, limit).map(({ c }) => c);
}

export function didYouMean(target: string, candidates: readonly string[]): string {
	const matches = closeMatches(target, candidates);
	return matches.length ? ` Did you mean ${matches.map((m) => `"${m}"`).join(', ')}?` : '';
}
