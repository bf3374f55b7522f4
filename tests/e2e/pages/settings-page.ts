import { expect, type Locator, type Page } from '@playwright/test';

/** Settings → Providers: one card per provider. */
export class SettingsPage {
	constructor(readonly page: Page) {}

	async goto() {
		await this.page.goto('/settings/providers');
		await expect(this.page.getByRole('heading', { name: 'Providers', level: 1 })).toBeVisible();
	}

	card(providerName: string): ProviderCard {
		return new ProviderCard(this.page.getByRole('region', { name: providerName, exact: true }));
	}
}

export class ProviderCard {
	readonly status: Locator;
	readonly apiKey: Locator;
	readonly baseUrl: Locator;
	readonly priority: Locator;
	readonly allowPrivate: Locator;
	readonly isDefault: Locator;
	readonly save: Locator;
	readonly test: Locator;
	readonly refresh: Locator;
	readonly testResult: Locator;
	readonly refreshResult: Locator;
	readonly models: Locator;

	constructor(readonly root: Locator) {
		this.status = root.getByTestId('provider-status');
		this.apiKey = root.getByLabel('API key');
		this.baseUrl = root.getByLabel('Base URL');
		this.priority = root.getByLabel('Fallback priority');
		this.allowPrivate = root.getByLabel('Allow private network addresses');
		this.isDefault = root.getByLabel('Default provider for new chats');
		this.save = root.getByRole('button', { name: 'Save changes' });
		this.test = root.getByRole('button', { name: 'Test connection' });
		this.refresh = root.getByRole('button', { name: 'Refresh models' });
		this.testResult = root.getByTestId('test-result');
		this.refreshResult = root.getByTestId('refresh-result');
		this.models = root.locator('details.models');
	}

	async openModels() {
		if (!(await this.models.evaluate((d) => (d as HTMLDetailsElement).open))) {
			await this.models.locator('summary').click();
		}
	}
}
