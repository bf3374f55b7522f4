import { describe, expect, it } from 'vitest';
import { createSwitchboardClient, type SwitchboardClient } from '../../../src/lib/sdk/index';
import { createApiToken } from '../../helpers/auth-client';
import { useChatHarness } from '../../helpers/chat-harness';
import { countQueries, queriesSoFar } from '../../helpers/test-database';

/*
 * The hot path's statement budget (issue #11), counted over real HTTP as the SDK makes a turn: at
 * most 3 SQL statements before the first delta reaches the client, and none that grow with the
 * number of deltas. The partial flush (a write per interval, not per delta) is pushed out of these
 * answers' way so what is counted does not depend on how fast the machine is; the paced deltas
 * keep the answer running until the subscriber is there, as an answer from a real provider is.
 */
const harness = useChatHarness({ generation: { flushIntervalMs: 600_000 } });

async function sdkClient(): Promise<SwitchboardClient> {
	const token = await createApiToken(harness.app, harness.admin.user.id);
	return createSwitchboardClient({ url: harness.url, token });
}

/** One ask() in an existing chat: statements in all, and how many had run at the first delta. */
async function countedTurn(sb: SwitchboardClient, deltas: number) {
	const chat = await sb.chats.create.mutate({ providerId: 'openai', modelId: 'gpt-4o-mini' });
	harness.emulators.openai.script({ chunks: Array(deltas).fill('x '), paceMs: 100 });
	let beforeFirstDelta: number | null = null;
	let text = '';
	const total = await countQueries(async () => {
		for await (const event of sb.ask({ chatId: chat.id, content: 'count me' })) {
			if (event.type === 'delta') {
				text += event.text;
				beforeFirstDelta ??= queriesSoFar();
			}
		}
	});
	return { total, beforeFirstDelta, text };
}

describe('statements per API turn', () => {
	it('are at most 3 before the first delta, and do not grow with the answer', async () => {
		const sb = await sdkClient();
		const short = await countedTurn(sb, 4);
		const long = await countedTurn(sb, 12);
		expect([short.text, long.text]).toEqual(['x '.repeat(4), 'x '.repeat(12)]);
		expect(short.beforeFirstDelta).not.toBeNull();
		expect(short.beforeFirstDelta).toBeLessThanOrEqual(3);
		expect(long.beforeFirstDelta).toBeLessThanOrEqual(3);
		expect(long.total).toBe(short.total);
	});
});
