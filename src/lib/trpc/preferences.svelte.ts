/**
 * The last chat settings a person chose, so a new chat starts from them. Only these non-secret
 * preferences live in localStorage: never a token, key or message.
 */
export type ChatDefaults = {
	providerId: string | null;
	modelId: string | null;
	temperature: number | null;
	maxTokens: number | null;
	systemPrompt: string;
	topP: number | null;
	stopSequences: string[] | null;
	seed: number | null;
};

const KEY = 'switchboard:chat-defaults';
const empty: ChatDefaults = {
	providerId: null,
	modelId: null,
	temperature: null,
	maxTokens: null,
	systemPrompt: '',
	topP: null,
	stopSequences: null,
	seed: null
};

function read(): ChatDefaults {
	if (typeof localStorage === 'undefined') return { ...empty };
	try {
		const raw = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<ChatDefaults> | null;
		if (!raw || typeof raw !== 'object') return { ...empty };
		return {
			providerId: typeof raw.providerId === 'string' ? raw.providerId : null,
			modelId: typeof raw.modelId === 'string' ? raw.modelId : null,
			temperature: typeof raw.temperature === 'number' ? raw.temperature : null,
			maxTokens: typeof raw.maxTokens === 'number' ? raw.maxTokens : null,
			systemPrompt: typeof raw.systemPrompt === 'string' ? raw.systemPrompt : '',
			topP: typeof raw.topP === 'number' ? raw.topP : null,
			stopSequences:
				Array.isArray(raw.stopSequences) && raw.stopSequences.every((s) => typeof s === 'string')
					? raw.stopSequences
					: null,
			seed: typeof raw.seed === 'number' ? raw.seed : null
		};
	} catch {
		return { ...empty };
	}
}

class Preferences {
	/** The settings a new chat starts with; the sidebar edits these while no chat is open. */
	chat = $state<ChatDefaults>({ ...empty });
	loaded = $state(false);

	/** Read in the browser after hydration, so the server's HTML and the first client render agree. */
	load() {
		if (this.loaded) return;
		this.chat = read();
		this.loaded = true;
	}

	save(patch: Partial<ChatDefaults>) {
		this.chat = { ...this.chat, ...patch };
		try {
			localStorage.setItem(KEY, JSON.stringify(this.chat));
		} catch {
			// Private mode or a full quota: the preference lasts for this tab only.
		}
	}
}

export const preferences = new Preferences();
