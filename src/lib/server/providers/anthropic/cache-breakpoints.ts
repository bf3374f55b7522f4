import type Anthropic from '@anthropic-ai/sdk';
import type { AnthropicTurn as Turn } from './convert-to-anthropic';

type Block = Exclude<Turn['content'], string>[number];

/** The 5-minute cache, Anthropic's default: its writes cost 1.25x input, its reads 0.1x or less. */
const ephemeral: Anthropic.CacheControlEphemeral = { type: 'ephemeral' };

function marked(content: Turn['content']): Block[] {
	const blocks: Block[] = typeof content === 'string' ? [{ type: 'text', text: content }] : [...content];
	const last = blocks[blocks.length - 1];
	if (last) blocks[blocks.length - 1] = { ...last, cache_control: ephemeral };
	return blocks;
}

/**
 * Cache breakpoints for a chat (Anthropic allows four a request; this places at most two): one on
 * the system prompt (the same every turn) and one on the last user turn's last block, so the next
 * turn reads the whole conversation so far from the cache and pays full price only for what is new.
 * A prefix under the model's minimum cacheable length is simply not cached (the vendor's rule,
 * harmless to send). Pure: the input is not changed.
 */
export function withCacheBreakpoints(
	system: string | undefined,
	turns: readonly Turn[]
): { system?: Anthropic.TextBlockParam[]; turns: Turn[] } {
	const out = turns.map((turn) => ({ ...turn }));
	for (let i = out.length - 1; i >= 0; i--) {
		if (out[i].role !== 'user') continue;
		out[i] = { ...out[i], content: marked(out[i].content) };
		break;
	}
	return {
		...(system ? { system: [{ type: 'text', text: system, cache_control: ephemeral }] } : {}),
		turns: out
	};
}
