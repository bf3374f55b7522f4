/** A sample of the Prometheus text format: its name, labels and value. */
export type Sample = { name: string; labels: Record<string, string>; value: number };

/** Prometheus' text format, one sample a line (comments skipped). */
export function parseMetrics(text: string): Sample[] {
	return text
		.split('\n')
		.filter((line) => line && !line.startsWith('#'))
		.map((line) => {
			const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
			if (!match) throw new Error(`not a sample: ${line}`);
			const labels = Object.fromEntries(
				[...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]])
			);
			return { name: match[1], labels, value: Number(match[3]) };
		});
}

/** The sum of a metric's samples whose labels include `labels`. */
export function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
	return samples
		.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
		.reduce((sum, s) => sum + s.value, 0);
}

/** An app's /metrics, read with its METRICS_TOKEN. */
export async function readMetrics(origin: string, token: string): Promise<Sample[]> {
	const response = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${token}` } });
	if (!response.ok) throw new Error(`/metrics: HTTP ${response.status}`);
	return parseMetrics(await response.text());
}
