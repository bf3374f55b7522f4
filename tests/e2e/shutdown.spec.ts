import { expect, test } from '@playwright/test';
import { createSwitchboardClient } from '../../src/lib/sdk';
import { emulatorBaseUrl } from './support/env';
import { numberedChunks, resetEmulators, script } from './support/emulators';
import {
	adminOf,
	freshDatabase,
	killSpawnedApps,
	spawnApp,
	spawnedPort,
	trpcOk,
	type SpawnedApp
} from './support/spawned-app';

/*
 * SIGTERM as a deploy sends it: the server stops accepting, running answers get SHUTDOWN_GRACE_MS to
 * finish, the rest are stopped and saved with their text, watchers get a clean end, the process exits 0.
 */
test.describe.configure({ mode: 'serial' });
// Each test starts the built app twice (start-up, migrations) on a machine that may be busy.
test.setTimeout(180_000);

async function useOpenAiEmulator(app: SpawnedApp, token: string): Promise<void> {
	await trpcOk(
		app.origin,
		'providers.update',
		{
			providerId: 'openai',
			enabled: true,
			baseUrl: emulatorBaseUrl('openai'),
			apiKey: 'sk-e2e-shutdown-key-5678',
			settings: { allowPrivateNetwork: true },
			isDefault: true
		},
		{ token }
	);
}

async function startAnswer(app: SpawnedApp, token: string, chunks: string[]) {
	await script('openai', { chunks, paceMs: 50 });
	const sb = createSwitchboardClient({ url: app.origin, token });
	const run = sb.ask({ content: 'Count slowly', providerId: 'openai', modelId: 'gpt-4o-mini' });
	const deltas: string[] = [];
	let failure: unknown = null;
	const ended = (async () => {
		for await (const event of run) if (event.type === 'delta') deltas.push(event.text);
	})().catch((error: unknown) => {
		failure = error;
	});
	await expect.poll(() => failure ?? deltas.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
	return { run, deltas, ended };
}

test.beforeEach(async () => {
	await resetEmulators();
});

test.afterEach(() => killSpawnedApps());

test('a running answer finishes within the grace period, then the process exits cleanly', async () => {
	const database = await freshDatabase('shutdown_finish');
	const app = await spawnApp({ port: spawnedPort(0), database, env: { SHUTDOWN_GRACE_MS: '20000' } });
	const { token } = await adminOf(app);
	await useOpenAiEmulator(app, token);
	const chunks = numberedChunks(30);
	const { run, deltas, ended } = await startAnswer(app, token, chunks);

	const exitCode = app.stop('SIGTERM');
	const result = await run.result;
	await ended;
	expect(await exitCode, app.output()).toBe(0);
	expect(result.text).toBe(chunks.join(''));
	expect(deltas.join('')).toBe(chunks.join(''));
	expect(app.output()).toMatch(/letting running answers finish/);

	// Back up on the same data: the answer is stored whole, as complete.
	const again = await spawnApp({ port: spawnedPort(1), database });
	try {
		const sb = createSwitchboardClient({ url: again.origin, token });
		const chat = await sb.chats.get.query({ chatId: result.chatId });
		const answer = chat.messages.find((m) => m.role === 'assistant');
		expect(answer).toMatchObject({ status: 'complete', content: chunks.join('') });
	} finally {
		await again.stop();
	}
});

test('after the grace period the answer is stopped and saved with what streamed', async () => {
	const database = await freshDatabase('shutdown_stop');
	const app = await spawnApp({ port: spawnedPort(2), database, env: { SHUTDOWN_GRACE_MS: '300' } });
	const { token } = await adminOf(app);
	await useOpenAiEmulator(app, token);
	const chunks = numberedChunks(200);
	const { run, deltas, ended } = await startAnswer(app, token, chunks);

	expect(await app.stop('SIGTERM')).toBe(0);
	// The watcher got the terminal event and a clean end: the run settles, it does not hang or throw.
	const outcome = await run.result.then(
		(value) => ({ ok: true as const, value }),
		(error: unknown) => ({ ok: false as const, error })
	);
	await ended;
	expect(outcome.ok).toBe(true);
	const streamed = deltas.join('');
	expect(streamed.length).toBeGreaterThan(0);
	expect(streamed.length).toBeLessThan(chunks.join('').length);
	expect(app.output()).toMatch(/stopping answers still running/);

	const again = await spawnApp({ port: spawnedPort(3), database });
	try {
		const sb = createSwitchboardClient({ url: again.origin, token });
		const chats = await sb.chats.list.query({});
		const chat = await sb.chats.get.query({ chatId: chats.items[0].id });
		const answer = chat.messages.find((m) => m.role === 'assistant');
		expect(answer?.status).toBe('stopped');
		expect(answer?.content).toBe(streamed);
	} finally {
		await again.stop();
	}
});
