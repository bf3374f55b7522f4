/**
 * A ~3 KB markdown answer like the ones that make long chats heavy: headings, prose, a table and
 * two code blocks. `n` makes each one findable.
 */
export function longAnswer(n: number): string {
	const rows = Array.from(
		{ length: 8 },
		(_, i) =>
			`| region-${i + 1} | ${(i + 1) * 137} ms | ${(99.9 - i * 0.1).toFixed(1)} % | ${i % 3 === 0 ? 'yes' : 'no'} |`
	).join('\n');
	return `## Answer ${n}: measuring a relay

The relay sits between the browser and the provider, so every millisecond it adds is paid on each token. Measure it against a raw pipe in the same run, on the same machine, and read the ratio rather than the absolute figure: absolute figures move with the machine, ratios much less.

| Region | p50 latency | Availability | Cached |
| --- | --- | --- | --- |
${rows}

A first version keeps the connection pool warm and parses only what it must:

\`\`\`ts
export async function relay(request: Request, upstream: URL): Promise<Response> {
	const response = await fetch(upstream, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: request.body,
		duplex: 'half'
	});
	if (!response.ok || !response.body) throw new Error(\`upstream \${response.status}\`);
	return new Response(response.body.pipeThrough(new TextDecoderStream()).pipeThrough(frames()), {
		headers: { 'content-type': 'text/event-stream' }
	});
}
\`\`\`

Then check the numbers, **not** the feeling that it is fast:

1. Run the ladder with a hundred, five hundred and a thousand streams.
2. Compare time to first token with the raw pipe.
3. Look at the tail (p99), where queues show first.

\`\`\`sql
select model_id, percentile_cont(0.5) within group (order by ttft_ms) as p50,
       percentile_cont(0.99) within group (order by ttft_ms) as p99
from provider_usage where created_at > now() - interval '1 day' group by model_id;
\`\`\`

A few things that are easy to get wrong when you read the results:

- **Warm-up.** The first requests pay for connection set-up, JIT compilation and cold caches; drop them or run long enough that they do not matter.
- **Coordinated omission.** A load generator that waits for each answer before sending the next one hides exactly the stalls you are looking for.
- **Shared machines.** Another process on the same cores moves every figure; note the load average before and after, and rerun when it changed.
- **Units.** Milliseconds per token and tokens per second are not the same figure upside down once the first token is included.

> Queues hide in averages. The tail tells you where the time goes, and the ratio tells you whether the relay is the reason.

When a figure moves, change one thing at a time and keep the run that showed it: a ratio that improved while the machine was quiet proves little, and the history file is where a slow drift becomes visible long before anyone complains about it.

That is the whole method for turn ${n}: a baseline in the same run, the tail rather than the mean, and one change at a time.
`;
}

/** Splits text into stream deltas of about `size` characters. */
export function chunked(text: string, size: number): string[] {
	const chunks: string[] = [];
	for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
	return chunks;
}
