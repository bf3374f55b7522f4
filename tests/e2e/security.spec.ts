import type { APIResponse } from '@playwright/test';
import { ChatPage } from './pages/chat-page';
import { memberContext } from './support/accounts';
import { call } from './support/api';
import { script } from './support/emulators';
import { admin, appOrigin } from './support/env';
import { expect, shot, test } from './support/fixtures';

declare global {
	interface Window {
		__xss?: number;
	}
}

const payload = [
	'Here is an image <img src=x onerror="window.__xss=1"> and a script <script>window.__xss=2</script>.\n\n',
	'A [javascript link](javascript:window.__xss=3) and a [data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) ',
	'and a [vbscript link](vbscript:msgbox(1)) and <a href="javascript:window.__xss=4">a raw link</a>.\n\n',
	'<svg onload="window.__xss=5"><circle r="5"/></svg> <iframe src="javascript:window.__xss=6"></iframe>\n\n',
	'```js" onmouseover="window.__xss=7\nconsole.log("fenced")\n```\n\n',
	'![tracking pixel](https://tracker.example/p.png?chat=secret)\n\n',
	'A [safe link](https://example.com/docs).'
];

test('model output with HTML, script and link payloads stays inert', async ({ page }) => {
	const dialogs: string[] = [];
	page.on('dialog', (dialog) => {
		dialogs.push(dialog.message());
		void dialog.dismiss();
	});
	await script('anthropic', { chunks: payload, paceMs: 30 });
	const chat = new ChatPage(page);
	await chat.newChat();
	await chat.choose('Anthropic', 'claude-sonnet-4-6');
	await chat.send('Show me <img src=x onerror="window.__xss=8"> please');
	const answer = chat.answer();
	await answer.expectStatus('complete');

	// Shown as text, never as elements.
	await expect(answer.content).toContainText('<img src=x onerror="window.__xss=1">');
	await expect(
		answer.content.locator('img, script, iframe, svg, object, embed, [onerror], [onload], [onmouseover]')
	).toHaveCount(0);
	await expect(chat.userMessages.first()).toHaveText('Show me <img src=x onerror="window.__xss=8"> please');

	// Dangerous links are text, not links; the safe one opens in a new tab without an opener.
	for (const name of ['javascript link', 'data link', 'vbscript link', 'a raw link']) {
		await expect(answer.content.getByRole('link', { name })).toHaveCount(0);
	}
	await answer.content.getByText('javascript link').click();
	const safe = answer.content.getByRole('link', { name: 'safe link' });
	await expect(safe).toHaveAttribute('href', 'https://example.com/docs');
	await expect(safe).toHaveAttribute('target', '_blank');
	await expect(safe).toHaveAttribute('rel', /noopener/);
	await expect(safe).toHaveAttribute('rel', /noreferrer/);
	// Remote images are never loaded: they become a link to click.
	await expect(answer.content.getByRole('link', { name: '[image: tracking pixel]' })).toBeVisible();

	// The fence's odd language name did not become an attribute.
	const code = answer.content.locator('pre code');
	await expect(code).toContainText('console.log("fenced")');
	await code.hover();
	expect(await page.evaluate(() => window.__xss)).toBeUndefined();
	expect(dialogs).toEqual([]);

	// The sidebar title comes from the same untrusted text.
	await expect(page.getByRole('navigation', { name: 'Chats' }).locator('img')).toHaveCount(0);
	await shot(page, 'security-inert-output');
});

test('code blocks are highlighted and copied with their button', async ({ page, context }) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	await script('anthropic', {
		chunks: ['Here you go:\n\n```python\n', 'def greet(name):\n    return f"Hello {name}"\n', '```\n']
	});
	const chat = new ChatPage(page);
	await chat.newChat();
	await chat.send('Python greeting please');
	const answer = chat.answer();
	await answer.expectStatus('complete');
	await expect(answer.content.locator('.code-lang')).toHaveText('python');
	await expect(answer.content.locator('code.language-python .hljs-keyword').first()).toHaveText('def');
	await answer.content.getByRole('button', { name: 'Copy code' }).click();
	await expect(answer.content.getByRole('button', { name: 'Copy code' })).toHaveText('Copied');
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
		'def greet(name):\n    return f"Hello {name}"'
	);
});

test('the app is served with a strict CSP and keeps no secrets in storage', async ({ page }) => {
	const response = await page.goto('/');
	const csp = response?.headers()['content-security-policy'] ?? '';
	expect(csp).toContain("frame-ancestors 'none'");
	expect(csp).toMatch(/script-src 'self'/);
	expect(csp).not.toContain('unsafe-eval');
	const chat = new ChatPage(page);
	await chat.newChat();
	await chat.setTemperature(0.7);
	// Only the non-secret chat defaults are kept in the browser.
	expect(await page.evaluate(() => Object.keys(localStorage))).toEqual(['switchboard:chat-defaults']);
	const defaults = await page.evaluate(() =>
		JSON.parse(localStorage.getItem('switchboard:chat-defaults') ?? '{}')
	);
	expect(defaults).toMatchObject({ providerId: 'anthropic', temperature: 0.7 });
	const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
	expect(stored).not.toMatch(/sk-|apiKey|password|bearer/i);
});

// Playwright gives new request contexts the spec's storage state (the admin's cookie) unless told otherwise.
const noCookies = { cookies: [], origins: [] };

const securityHeaders = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'same-origin',
	'x-frame-options': 'DENY'
};

test('every kind of response carries the security headers', async ({ browser, playwright }) => {
	const anonymous = await playwright.request.newContext({
		baseURL: appOrigin,
		maxRedirects: 0,
		storageState: noCookies
	});
	const member = await memberContext(browser, 'headers');
	const kinds: { kind: string; status: number; html: boolean; response: () => Promise<APIResponse> }[] = [
		{ kind: 'page', status: 200, html: true, response: () => anonymous.get('/login') },
		{ kind: 'redirect (from a hook)', status: 303, html: false, response: () => anonymous.get('/usage') },
		{ kind: '404', status: 404, html: true, response: () => anonymous.get('/no-such-page') },
		{
			kind: 'error page',
			status: 403,
			html: true,
			response: () => member.context.request.get('/admin/users', { maxRedirects: 0 })
		},
		{ kind: 'API', status: 200, html: false, response: () => anonymous.get('/api/trpc/auth.me') },
		{
			kind: 'API refusal',
			status: 403,
			html: false,
			response: () =>
				anonymous.post('/api/trpc/auth.signOut', { headers: { origin: 'https://evil.example' } })
		},
		{ kind: 'healthz', status: 200, html: false, response: () => anonymous.get('/healthz') },
		{ kind: 'static asset', status: 200, html: false, response: () => anonymous.get('/favicon.svg') },
		{
			kind: 'form action',
			status: 401,
			html: true,
			response: () =>
				anonymous.post('/login', {
					headers: { origin: appOrigin, accept: 'text/html' },
					form: { email: 'nobody@e2e.switchboard.test', password: 'not a password' }
				})
		}
	];
	for (const { kind, status, html, response } of kinds) {
		const answer = await response();
		expect(answer.status(), kind).toBe(status);
		expect(answer.headers(), kind).toMatchObject(securityHeaders);
		if (html) expect(answer.headers()['content-security-policy'], kind).toContain("frame-ancestors 'none'");
	}
	await member.context.close();
	await anonymous.dispose();
});

test('account pages and their form actions refuse an API token', async ({ page, playwright }) => {
	const { token, id } = await call<{ token: string; id: string }>(page.request, 'auth.tokens.create', {
		name: 'bearer probe'
	});
	const me = await call<{ id: string }>(page.request, 'auth.me', undefined, 'query');
	const tokenCount = async () =>
		(await call<unknown[]>(page.request, 'auth.tokens.list', undefined, 'query')).length;
	const before = await tokenCount();
	const bearer = await playwright.request.newContext({
		baseURL: appOrigin,
		maxRedirects: 0,
		storageState: noCookies,
		// As a browser's form post (SvelteKit answers other Accept headers with JSON).
		extraHTTPHeaders: { authorization: `Bearer ${token}`, origin: appOrigin, accept: 'text/html' }
	});
	// The admin's own password as the "new" one: if a request got through, nothing would be lost.
	const password = {
		currentPassword: admin.password,
		newPassword: admin.password,
		confirmPassword: admin.password
	};
	const routes: [string, () => Promise<APIResponse>][] = [
		['account page', () => bearer.get('/account')],
		['createToken', () => bearer.post('/account?/createToken', { form: { name: 'minted' } })],
		['revokeToken', () => bearer.post('/account?/revokeToken', { form: { id } })],
		['password', () => bearer.post('/account?/password', { form: password })],
		['admin update', () => bearer.post('/admin/users?/update', { form: { userId: me.id, role: 'admin' } })]
	];
	for (const [name, request] of routes) {
		const response = await request();
		expect(response.status(), name).toBe(303);
		expect(response.headers()['location'], name).toMatch(/^\/login/);
	}
	expect(await tokenCount()).toBe(before);
	// The token still works where it belongs: the API.
	expect((await (await bearer.get('/api/trpc/auth.me')).json()).result.data.json.id).toBe(me.id);
	await call(page.request, 'auth.tokens.revoke', { id });
	await bearer.dispose();
});
