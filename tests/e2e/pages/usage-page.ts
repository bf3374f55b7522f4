import { expect, type Locator, type Page } from '@playwright/test';

export class UsagePage {
	readonly cost: Locator;
	readonly requests: Locator;
	readonly input: Locator;
	readonly output: Locator;
	/** Tokens read from and written to the prompt cache, under the input total (only when there are some). */
	readonly cache: Locator;
	readonly user: Locator;

	constructor(readonly page: Page) {
		this.cost = page.getByTestId('total-cost');
		this.requests = page.getByTestId('total-requests');
		this.input = page.getByTestId('total-input');
		this.output = page.getByTestId('total-output');
		this.cache = page.getByTestId('total-cache');
		this.user = page.getByLabel('User', { exact: true });
	}

	async goto() {
		await this.page.goto('/usage');
		await expect(this.page.getByRole('heading', { name: 'Usage', level: 1 })).toBeVisible();
	}

	table(caption: string): Locator {
		return this.page.getByRole('table', { name: caption });
	}
}
