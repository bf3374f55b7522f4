import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import { setGeneratedTitle } from '../db/repositories/chat-repository';
import { listModels, type ProviderModelRow } from '../db/repositories/model-repository';
import { describeError, log } from '../log';
import type { ProviderManager, ResolvedModel } from './provider-manager';
import type { GenerationService } from './generation-service';

/** The first exchange a title is written from; long texts are cut, a title needs the gist only. */
export type FirstExchange = { question: string; answer: string };

const EXCERPT_CHARS = 2_000;
const TITLE_SYSTEM =
	'You name conversations. Reply with a title of at most six words for the conversation below: ' +
	'no quotes, no final punctuation, nothing else.';

/**
 * A model's reply as a title: its first line, without quotes, a "Title:" prefix or control
 * characters, at most 60 characters.
 */
export function cleanTitle(reply: string): string | null {
	const line = reply
		.trim()
		.split('\n')[0]
		.replace(/^(title)\s*:\s*/i, '')
		.replace(/^["'“”‘’*#\s]+|["'“”‘’*.\s]+$/g, '')
		.replace(/\s+/g, ' ')
		// Control characters have no place in a title, and a NUL could not even be saved.
		.replace(/\p{Cc}/gu, '');
	if (!line) return null;
	return line.length > 60 ? `${line.slice(0, 57).trimEnd()}…` : line;
}

function price(row: ProviderModelRow): number | null {
	if (row.inputPricePerMTok === null || row.outputPricePerMTok === null) return null;
	return Number(row.inputPricePerMTok) + Number(row.outputPricePerMTok);
}

/**
 * Names a chat after its first answer with a short title written by a model: the one `TITLE_MODEL`
 * names, else the cheapest enabled one with known prices. The call is recorded as its own usage row
 * (`source: title`). When no model is available or the call fails, the first-line title stays.
 */
export class TitleService {
	constructor(
		private readonly deps: {
			db: Db;
			providers: ProviderManager;
			generations: GenerationService;
			/** TITLE_MODEL: `off`, `<providerId>/<modelId>`, or undefined for the cheapest. */
			setting: string | undefined;
		}
	) {}

	async nameChat(userId: string, chatId: string, exchange: FirstExchange): Promise<string | null> {
		const model = await this.pickModel();
		if (!model) return null;
		const id = randomUUID();
		// No user slot: the title belongs to the answer that holds one, and must not refuse the next message.
		this.deps.generations.start(
			{
				id,
				userId,
				chatId,
				messageId: null,
				candidates: [model],
				request: {
					system: TITLE_SYSTEM,
					messages: [
						{
							role: 'user',
							content: `Question:\n${exchange.question.slice(0, EXCERPT_CHARS)}\n\nAnswer:\n${exchange.answer.slice(0, EXCERPT_CHARS)}`
						}
					],
					maxTokens: 30
				},
				source: 'title'
			},
			() => {}
		);
		const outcome = await this.deps.generations.outcome(id);
		if (!outcome || outcome.status !== 'complete') return null;
		const title = cleanTitle(outcome.text);
		if (!title) return null;
		return (await setGeneratedTitle(this.deps.db, userId, chatId, title)) ? title : null;
	}

	private async pickModel(): Promise<ResolvedModel | null> {
		const setting = this.deps.setting;
		if (setting === 'off') return null;
		if (setting) {
			const [providerId, ...rest] = setting.split('/');
			return this.deps.providers.resolve({ providerId, modelId: rest.join('/') }).catch((error: unknown) => {
				log.warn('TITLE_MODEL cannot be used', { setting, error: describeError(error) });
				return null;
			});
		}
		return this.cheapest();
	}

	/** The cheapest enabled model of a usable provider that is not cooling down; unknown prices never win. */
	private async cheapest(): Promise<ResolvedModel | null> {
		const states = await this.deps.providers.listStates();
		const usable = new Set(
			states.filter((s) => s.enabled && s.configured && !s.coolingDown).map((s) => s.id)
		);
		const priced = (await listModels(this.deps.db, { enabled: true }))
			.filter((m) => usable.has(m.providerId) && price(m) !== null)
			.sort((a, b) => price(a)! - price(b)! || a.modelId.localeCompare(b.modelId));
		for (const m of priced) {
			const resolved = await this.deps.providers
				.resolve({ providerId: m.providerId, modelId: m.modelId })
				.catch(() => null);
			if (resolved) return resolved;
		}
		return null;
	}
}
