import { chatList } from './chat-list.svelte';
import { trpc, type ChatDetail } from './client';
import { describeError, type UiError } from './errors';

// The comparison on screen is the session's own state (ChatSession.comparing), not a setting.
export type ChatMeta = Omit<ChatDetail, 'messages' | 'comparing'>;
export type ChatSettingsPatch = Partial<
	Pick<
		ChatMeta,
		| 'providerId'
		| 'modelId'
		| 'temperature'
		| 'maxTokens'
		| 'systemPrompt'
		| 'title'
		| 'topP'
		| 'stopSequences'
		| 'seed'
	>
>;

/**
 * Saves a chat's settings as they are edited: shown at once, sent to the server shortly after
 * (typing a system prompt makes one request, not one per key), one request at a time.
 */
export class ChatSettingsSaver {
	error = $state<UiError | null>(null);
	#pending: ChatSettingsPatch = {};
	#timer: ReturnType<typeof setTimeout> | null = null;
	#inFlight: Promise<void> | null = null;

	constructor(
		private readonly chatId: string,
		private readonly onSaved: (chat: ChatMeta) => void
	) {}

	/** Edits not yet acknowledged by the server: they win over any snapshot it sends meanwhile. */
	get pending(): ChatSettingsPatch {
		return this.#pending;
	}

	queue(patch: ChatSettingsPatch) {
		this.#pending = { ...this.#pending, ...patch };
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = setTimeout(() => void this.flush(), 400);
	}

	async flush(): Promise<void> {
		this.cancel();
		if (this.#inFlight) await this.#inFlight;
		const patch = this.#pending;
		if (Object.keys(patch).length === 0) return;
		this.#pending = {};
		this.#inFlight = (async () => {
			try {
				const saved = await trpc.chats.update.mutate({
					chatId: this.chatId,
					...patch,
					title: patch.title ?? undefined,
					providerId: patch.providerId ?? undefined,
					modelId: patch.modelId ?? undefined
				});
				this.onSaved({ ...saved, ...this.#pending });
				this.error = null;
				chatList.upsert(saved);
			} catch (error) {
				this.error = describeError(error);
			} finally {
				this.#inFlight = null;
			}
		})();
		await this.#inFlight;
	}

	cancel() {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
	}
}
