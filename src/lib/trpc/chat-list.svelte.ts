import { trpc, type ChatSummary } from './client';
import { describeError, type UiError } from './errors';

/** The sidebar's list of chats: newest first, filtered by a search and a provider, paged by cursor. */
class ChatList {
	items = $state<ChatSummary[]>([]);
	nextCursor = $state<string | null>(null);
	search = $state('');
	providerId = $state('');
	loading = $state(false);
	loaded = $state(false);
	error = $state<UiError | null>(null);
	#request = 0;

	async refresh(): Promise<void> {
		const request = ++this.#request;
		this.loading = true;
		try {
			const page = await trpc.chats.list.query({
				search: this.search.trim() || undefined,
				providerId: this.providerId || undefined,
				limit: Math.max(30, this.items.length)
			});
			// A slower, older request must not overwrite a newer search's results.
			if (request !== this.#request) return;
			this.items = page.items;
			this.nextCursor = page.nextCursor;
			this.error = null;
		} catch (error) {
			if (request === this.#request) this.error = describeError(error);
		} finally {
			if (request === this.#request) {
				this.loading = false;
				this.loaded = true;
			}
		}
	}

	async loadMore(): Promise<void> {
		if (!this.nextCursor || this.loading) return;
		const request = ++this.#request;
		this.loading = true;
		try {
			const page = await trpc.chats.list.query({
				search: this.search.trim() || undefined,
				providerId: this.providerId || undefined,
				cursor: this.nextCursor
			});
			if (request !== this.#request) return;
			const known = new Set(this.items.map((c) => c.id));
			this.items = [...this.items, ...page.items.filter((c) => !known.has(c.id))];
			this.nextCursor = page.nextCursor;
		} catch (error) {
			if (request === this.#request) this.error = describeError(error);
		} finally {
			if (request === this.#request) this.loading = false;
		}
	}

	/** Puts a chat the person just used (or created) at the top without waiting for a refetch. */
	upsert(chat: ChatSummary) {
		this.items = [chat, ...this.items.filter((c) => c.id !== chat.id)];
	}

	remove(chatId: string) {
		this.items = this.items.filter((c) => c.id !== chatId);
	}
}

export const chatList = new ChatList();
