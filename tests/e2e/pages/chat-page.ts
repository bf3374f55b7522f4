import { expect, type Locator, type Page } from '@playwright/test';

/** The chat screens: sidebar controls, the conversation, the composer. */
export class ChatPage {
	readonly composer: Locator;
	readonly answers: Locator;
	readonly userMessages: Locator;
	readonly provider: Locator;
	readonly model: Locator;
	readonly temperature: Locator;
	readonly maxTokens: Locator;
	readonly systemPrompt: Locator;
	readonly stopButton: Locator;

	constructor(readonly page: Page) {
		this.composer = page.getByLabel('Message', { exact: true });
		this.answers = page.getByRole('article');
		this.userMessages = page.getByTestId('user-message');
		this.provider = page.getByLabel('Provider', { exact: true });
		this.model = page.getByLabel('Model', { exact: true });
		this.temperature = page.getByLabel('Temperature', { exact: true });
		this.maxTokens = page.getByLabel('Max tokens', { exact: true });
		this.systemPrompt = page.getByLabel('System prompt', { exact: true });
		this.stopButton = page.locator('form.composer').getByRole('button', { name: 'Stop' });
	}

	async newChat() {
		await this.page.goto('/');
		await expect(this.composer).toBeEnabled();
	}

	async choose(providerName: string, modelId?: string) {
		await this.provider.selectOption({ label: providerName });
		if (modelId) await this.model.selectOption(modelId);
		await expect(this.provider.locator('option:checked')).toHaveText(providerName);
	}

	async openParameters() {
		const details = this.page.locator('details.params');
		if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) {
			await details.locator('summary').click();
		}
	}

	async setTemperature(value: number) {
		await this.openParameters();
		await this.temperature.evaluate((input, v) => {
			(input as HTMLInputElement).value = String(v);
			input.dispatchEvent(new Event('input', { bubbles: true }));
		}, value);
	}

	async setMaxTokens(value: number | '') {
		await this.openParameters();
		await this.maxTokens.fill(String(value));
		await this.maxTokens.blur();
	}

	/**
	 * Sends a message. From the home page, waits until the new chat's own page has taken over: it
	 * draws the chat anew, so what a test reads or marks before then may be gone after. `handover:
	 * false` for a send that stays on the home page (or a test of that moment itself).
	 */
	async send(text: string, options: { handover?: boolean } = {}) {
		const fromHome = new URL(this.page.url()).pathname === '/';
		await this.composer.fill(text);
		await this.composer.press('Enter');
		if (fromHome && options.handover !== false) await expect(this.page).toHaveURL(/\/chat\//);
	}

	answer(index: number | 'last' = 'last'): Answer {
		return new Answer(index === 'last' ? this.answers.last() : this.answers.nth(index));
	}
}

export class Answer {
	readonly content: Locator;
	readonly badge: Locator;
	readonly usage: Locator;
	readonly error: Locator;

	constructor(readonly root: Locator) {
		this.content = root.getByTestId('answer-content');
		this.badge = root.getByTestId('model-badge');
		this.usage = root.getByTestId('answer-usage');
		this.error = root.getByRole('alert');
	}

	async expectStatus(status: 'streaming' | 'complete' | 'stopped' | 'error', timeout?: number) {
		await expect(this.root).toHaveAttribute('data-status', status, { timeout });
	}

	/** The badge's title names the provider and the exact model id. */
	async expectModel(providerName: string, modelId: string) {
		await expect(this.badge).toHaveAttribute('title', `${providerName} · ${modelId}`);
	}
}
