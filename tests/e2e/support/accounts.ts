import type { Browser, BrowserContext } from '@playwright/test';
import { call } from './api';
import { appOrigin } from './env';

/** A new member account (never the first one: global-setup made the admin), signed in its own context. */
export async function memberContext(
	browser: Browser,
	label: string
): Promise<{ context: BrowserContext; email: string }> {
	const email = `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@e2e.switchboard.test`;
	const context = await browser.newContext({ baseURL: appOrigin, storageState: undefined });
	await call(context.request, 'auth.signUp', {
		email,
		password: 'member password, long enough',
		name: `Member ${label}`
	});
	return { context, email };
}
