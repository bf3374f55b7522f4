import { expect, test } from '@playwright/test';
import { PGlite } from '@electric-sql/pglite';
import path from 'node:path';
import postgres from 'postgres';
import { createSwitchboardClient } from '../../src/lib/sdk';
import { emulatorBaseUrl } from './support/env';
import { resetEmulators, script } from './support/emulators';
import {
	adminOf,
	freshDatabase,
	killSpawnedApps,
	spawnApp,
	spawnedPort,
	trpc,
	trpcOk,
	type AppDatabase
} from './support/spawned-app';

/*
 * Drives every error path once against a built app with LOG_LEVEL=debug, then reads all it wrote:
 * no line may hold a provider key, its ciphertext, an API or session token, a password or a cookie.
 */
test.setTimeout(240_000);
test.afterEach(() => killSpawnedApps());
test.beforeEach(async () => resetEmulators());

const anthropicKey = 'sk-ant-logs-e2e-0123456789abcdefSECRET';
const openaiKey = 'sk-proj-logs-e2e-9876543210fedcbaSECRET';
const memberPassword = 'member password that must stay secret';

async function storedCiphertexts(database: AppDatabase): Promise<string[]> {
	const query = 'select api_key_encrypted from provider_configs where api_key_encrypted is not null';
	if (database.env.DATABASE_URL) {
		const sql = postgres(database.env.DATABASE_URL, { max: 1, onnotice: () => {} });
		try {
			return (await sql.unsafe(query)).map((row) => String(row.api_key_encrypted));
		} finally {
			await sql.end();
		}
	}
	const db = await PGlite.create(path.join(database.env.DATA_DIR, 'pglite'));
	try {
		return (await db.query<{ api_key_encrypted: string }>(query)).rows.map((row) => row.api_key_encrypted);
	} finally {
		await db.close();
	}
}

test('no log line holds a key, a token, a password or a cookie, whatever fails', async () => {
	const database = await freshDatabase('logs_secrets');
	const app = await spawnApp({ port: spawnedPort(5), database, env: { LOG_LEVEL: 'debug' } });
	const admin = await adminOf(app);
	const { origin } = app;
	const token = admin.token;

	// Admin actions carrying secrets in their bodies.
	for (const [providerId, apiKey] of [
		['anthropic', anthropicKey],
		['openai', openaiKey]
	] as const) {
		await trpcOk(
			origin,
			'providers.update',
			{
				providerId,
				enabled: true,
				apiKey,
				baseUrl: emulatorBaseUrl(providerId),
				settings: { allowPrivateNetwork: true },
				isDefault: providerId === 'anthropic'
			},
			{ token }
		);
	}

	// Provider failures whose upstream bodies echo the key, before and during a stream.
	await script('anthropic', { on: 'models', status: 401, errorMessage: `invalid x-api-key ${anthropicKey}` });
	await trpc(origin, 'providers.test', { providerId: 'anthropic' }, { token });
	const sb = createSwitchboardClient({ url: origin, token });
	const failures = [
		{ status: 401, errorType: 'authentication_error', errorMessage: `invalid x-api-key: ${anthropicKey}` },
		{
			status: 429,
			errorType: 'rate_limit_error',
			errorMessage: `slow down ${anthropicKey}`,
			headers: { 'retry-after': '0' }
		},
		{ status: 529, errorType: 'overloaded_error', errorMessage: `overloaded for ${anthropicKey}` },
		{ chunks: ['partial ', 'answer '], errorAfter: 1, errorMessage: `stream broke for ${anthropicKey}` },
		{ chunks: ['cut ', 'off '], resetAfter: 1 }
	];
	for (const failure of failures) {
		await script('anthropic', { ...failure, times: 10 });
		await sb
			.ask({ content: 'Hello', providerId: 'anthropic', modelId: 'claude-sonnet-5-5' })
			.result.catch(() => undefined);
		await resetEmulators();
	}
	await script('openai', {
		status: 401,
		errorType: 'invalid_api_key',
		errorMessage: `Incorrect API key: ${openaiKey}`
	});
	await sb
		.complete({ messages: [{ role: 'user', content: 'Hi' }], providerId: 'openai' })
		.catch(() => undefined);

	// Account and API failures: wrong and unknown passwords, bad tokens, bad input, other users' things.
	await trpc(origin, 'auth.signIn', {
		email: 'ops-admin@e2e.switchboard.test',
		password: 'wrong password here'
	});
	await trpc(origin, 'auth.signIn', { email: 'nobody@e2e.switchboard.test', password: admin.password });
	const member = await fetch(`${origin}/api/trpc/auth.signUp`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin },
		body: JSON.stringify({
			json: { email: 'member-logs@e2e.switchboard.test', password: memberPassword, name: 'M' }
		})
	});
	const memberCookie = member.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	await trpc(
		origin,
		'providers.update',
		{ providerId: 'openai', apiKey: 'sk-member-attempt-123456' },
		{ cookie: memberCookie }
	);
	await trpc(
		origin,
		'auth.changePassword',
		{ currentPassword: 'not the password at all', newPassword: 'another long password' },
		{ cookie: memberCookie }
	);
	await trpc(origin, 'auth.me', undefined, { token: 'sb_not_a_real_token_0123456789abcdef' }, 'query');
	await trpc(origin, 'chats.get', { chatId: '00000000-0000-4000-8000-000000000000' }, { token }, 'query');
	await trpc(origin, 'chats.list', { cursor: 'not-a-cursor' }, { token }, 'query');
	await trpc(origin, 'chats.send', { chatId: 'nope', content: 'x' }, { token });
	await fetch(`${origin}/api/trpc/chats.create`, {
		method: 'POST',
		headers: { 'content-type': 'text/plain', origin: 'https://evil.example', cookie: memberCookie },
		body: '{}'
	});
	await fetch(`${origin}/no-such-page`, { headers: { cookie: memberCookie } });
	await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${token}` } });
	await fetch(`${origin}/logout`, { method: 'POST', headers: { cookie: memberCookie, origin } });
	await trpc(origin, 'auth.me', undefined, { cookie: memberCookie }, 'query');
	const revoke = await trpcOk<{ id: string }[]>(
		origin,
		'auth.tokens.list',
		undefined,
		{ cookie: admin.cookie },
		'query'
	);
	await trpc(origin, 'auth.tokens.revoke', { id: revoke[0].id }, { cookie: admin.cookie });
	await trpc(origin, 'auth.me', undefined, { token }, 'query');

	expect(await app.stop('SIGTERM')).toBe(0);
	const output = app.output();
	const lines = output.split('\n').filter(Boolean);
	expect(lines.length).toBeGreaterThan(30);
	expect(output).toMatch(/"message":"provider call"/);

	const sessionValues = [admin.cookie, memberCookie].flatMap((c) =>
		c.split('; ').map((pair) => pair.split('=')[1])
	);
	const secrets = [
		anthropicKey,
		openaiKey,
		'sk-member-attempt-123456',
		token,
		admin.password,
		memberPassword,
		...sessionValues,
		...(await storedCiphertexts(database))
	].filter((secret) => secret && secret.length >= 8);
	expect(secrets.length).toBeGreaterThanOrEqual(8);
	for (const secret of secrets) {
		const leaking = lines.filter((line) => line.includes(secret));
		expect(leaking, `a log line holds a secret (${secret.slice(0, 4)}…)`).toEqual([]);
	}
});
