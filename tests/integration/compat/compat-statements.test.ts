import { describe, expect, it } from 'vitest';
import { countedStatements, countQueries, queriesSoFar } from '../../helpers/test-database';
import { useCompatHarness } from './compat-harness';

/*
 * The compatible APIs' hot path (issues #11 and #14): a streamed turn resolves its model from the
 * provider manager's snapshot and authenticates from the cache, so nothing is read before the first
 * token; the one write is the usage row, after the answer.
 */
const h = useCompatHarness();
const hi = [{ role: 'user' as const, content: 'Hello' }];
// The answer is still streaming when its first token reaches the client: unpaced, the whole answer
// (and its usage row) can be done before the client has read the first chunk.
const paceMs = 50;

/** Statements in all, how many had run at the first text, and which. */
async function counted(turn: (firstText: () => void) => Promise<void>) {
	let beforeFirstText: number | null = null;
	const total = await countQueries(() => turn(() => (beforeFirstText ??= queriesSoFar())));
	return { total, beforeFirstText, statements: countedStatements() };
}

const onlyTheUsageRow = [expect.stringMatching(/^insert into "provider_usage"/)];

describe('a streamed turn through the compatible APIs', () => {
	it('reads nothing before its first token and writes only its usage row: /v1/chat/completions', async () => {
		const openai = await h.openai();
		const turn = async (firstText: () => void) => {
			h.emulators.openai.script({ chunks: ['one ', 'two'], paceMs });
			const stream = await openai.chat.completions.create({
				model: 'openai/gpt-4.1-mini',
				messages: hi,
				stream: true
			});
			for await (const chunk of stream) if (chunk.choices[0]?.delta?.content) firstText();
		};
		// Warm: the token's cache entry and the provider snapshot are read once.
		await turn(() => {});
		const counts = await counted(turn);
		expect(counts).toEqual({ total: 1, beforeFirstText: 0, statements: onlyTheUsageRow });
	});

	it('reads nothing before its first token and writes only its usage row: /v1/messages', async () => {
		const anthropic = await h.anthropic();
		const turn = async (firstText: () => void) => {
			h.emulators.anthropic.script({ chunks: ['one ', 'two'], paceMs });
			const stream = anthropic.messages.stream({
				model: 'anthropic/claude-sonnet-5-5',
				max_tokens: 50,
				messages: hi
			});
			for await (const event of stream) if (event.type === 'content_block_delta') firstText();
		};
		await turn(() => {});
		const counts = await counted(turn);
		expect(counts).toEqual({ total: 1, beforeFirstText: 0, statements: onlyTheUsageRow });
	});
});
