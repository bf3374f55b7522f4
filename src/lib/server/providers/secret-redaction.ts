/**
 * Removes configured keys from provider text, also when an upstream echoes only part of one
 * ("sk-abc12...wxyz"): any run of RUN or more characters that is a substring of a key is redacted.
 * A run is found through the key's RUN-character windows, kept in one Set, so a message costs one
 * pass and one Set lookup per character, whatever the number of keys.
 */

const RUN = 4;
const REDACTED = '[redacted]';

// Vendor prefixes are public (every OpenAI project key starts with "sk-proj-"), so windows lying
// wholly inside one are no secret, and redacting them would mangle ordinary text like "x-api-key".
const publicPrefix =
	/^(?:sk-ant-(?:api|admin|sid)\d*-|sk-(?:proj|svcacct|admin|or-v1)-|sk-|sb_(?:secret|publishable)_)/;

function windowsOf(key: string): string[] {
	const start = Math.max(0, (publicPrefix.exec(key)?.[0].length ?? 0) - RUN + 1);
	const windows: string[] = [];
	for (let i = start; i + RUN <= key.length; i++) windows.push(key.slice(i, i + RUN));
	return windows;
}

export class SecretRedactor {
	private readonly keys = new Set<string>();
	private readonly windows = new Set<string>();

	/** Adds a key (idempotent; empty and too-short values are ignored). */
	remember(key: string | null | undefined): void {
		if (!key || key.length < RUN || this.keys.has(key)) return;
		this.keys.add(key);
		for (const w of windowsOf(key)) this.windows.add(w);
	}

	/** The text with every run of a remembered key (and of `extraKey`) replaced by [redacted]. */
	redact(text: string, extraKey?: string): string {
		const extra = extraKey && !this.keys.has(extraKey) ? new Set(windowsOf(extraKey)) : undefined;
		const covered = new Uint8Array(text.length);
		let any = false;
		for (let i = 0; i + RUN <= text.length; i++) {
			const w = text.slice(i, i + RUN);
			if (this.windows.has(w) || extra?.has(w)) {
				covered.fill(1, i, i + RUN);
				any = true;
			}
		}
		if (!any) return text;
		let out = '';
		for (let i = 0; i < text.length; i++) {
			if (!covered[i]) out += text[i];
			else if (i === 0 || !covered[i - 1]) out += REDACTED;
		}
		return out;
	}
}

/**
 * Every key this process is configured with, stored or from the environment. One instance for the
 * process because errors are built deep inside the adapters, where a key that belongs to another
 * provider (a shared proxy echoing it) must be caught too; the provider manager fills it.
 */
export const configuredKeys = new SecretRedactor();
