import { expect, type Locator, type Page } from '@playwright/test';

/** Admin → Audit log: filters above a table of admin actions, newest first. */
export class AuditPage {
	readonly table: Locator;
	readonly rows: Locator;
	readonly action: Locator;
	readonly who: Locator;
	readonly target: Locator;
	readonly from: Locator;
	readonly to: Locator;
	readonly loadMore: Locator;

	constructor(readonly page: Page) {
		this.table = page.getByRole('table', { name: 'Audit log' });
		this.rows = this.table.locator('tbody tr');
		this.action = page.getByLabel('Action', { exact: true });
		this.who = page.getByLabel('Who', { exact: true });
		this.target = page.getByLabel('Target', { exact: true });
		this.from = page.getByLabel('From', { exact: true });
		this.to = page.getByLabel('To', { exact: true });
		this.loadMore = page.getByRole('button', { name: 'Load more' });
	}

	async expectOpen() {
		await expect(this.page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
	}

	/** The rows whose text has all of `parts` (an action label, a target, a value…). */
	row(...parts: string[]): Locator {
		return parts.reduce((rows, part) => rows.filter({ hasText: part }), this.rows);
	}
}
