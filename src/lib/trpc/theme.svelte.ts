import type { Theme } from '$lib/schemas/preferences';
import { trpc } from './client';
import { describeError, type UiError } from './errors';

/**
 * The person's theme. The server writes it into <html data-theme> (so the first paint is right);
 * here a change shows at once and is saved with the account, put back if saving fails.
 */
class ThemeState {
	/** Null until the (app) layout mounts with the saved theme: never set during server rendering. */
	current = $state<Theme | null>(null);
	error = $state<UiError | null>(null);

	async set(theme: Theme): Promise<void> {
		const previous = this.current ?? 'system';
		this.#apply(theme);
		this.error = null;
		try {
			await trpc.preferences.setTheme.mutate({ theme });
		} catch (error) {
			this.#apply(previous);
			this.error = describeError(error);
		}
	}

	/** The next theme in the order system → light → dark, for the keyboard shortcut. */
	async cycle(): Promise<void> {
		const order: Theme[] = ['system', 'light', 'dark'];
		await this.set(order[(order.indexOf(this.current ?? 'system') + 1) % order.length]);
	}

	#apply(theme: Theme) {
		this.current = theme;
		document.documentElement.dataset.theme = theme;
	}
}

export const theme = new ThemeState();
