import type { Logger } from 'drizzle-orm';
import { createSwitchboardClient } from '../../src/lib/sdk/index';
import { createApp } from '../../src/lib/server/app';
import { openDatabase } from '../../src/lib/server/db/client';
import { prepareDatabase } from '../../src/lib/server/db/migrate';
import { parseEnv } from '../../src/lib/server/env-schema';
import { handleApiRequest } from '../../src/lib/server/http/api-handler';
import { createApiToken, createUser } from '../../tests/helpers/auth-client';
import { startTestServer } from '../../tests/helpers/test-server';

export type StatementCount = { name: string; description: string; count: number; statements: string[] };

/** "select chats", "insert messages"…: enough to read what a turn costs without the SQL. */
export function labelStatement(sql: string): string {
	const text = sql.trim().replace(/\s+/g, ' ');
	const verb = text.split(' ')[0].toLowerCase();
	const table =
		/^insert into "(\w+)"/i.exec(text)?.[1] ??
		/^update "(\w+)"/i.exec(text)?.[1] ??
		/^delete from "(\w+)"/i.exec(text)?.[1] ??
		/ from "(\w+)"/i.exec(text)?.[1] ??
		'?';
	return `${verb} ${table}`;
}

/**
 * DB statements per chat turn, counted with a Drizzle query logger on an in-process app (the same
 * services the build runs; createApp on a PGlite memory database), served over real HTTP through
 * the same API handler the integration tests use. Transaction BEGIN/COMMIT are not logged by Drizzle.
 */
export async function countTurnStatements(options: {
	emulatorUrl: string;
	quickModel: string;
	pacedModel: string;
	pacedDescription: string;
}): Promise<StatementCount[]> {
	const counter = { on: false, statements: [] as string[] };
	const logger: Logger = {
		logQuery(query) {
			if (counter.on) counter.statements.push(labelStatement(query));
		}
	};
	const database = await openDatabase({ dataDir: 'memory://', logger });
	await prepareDatabase(database);
	const parsed = parseEnv({
		LOG_LEVEL: 'silent',
		OPENAI_BASE_URL: options.emulatorUrl,
		OPENAI_API_KEY: 'sk-bench-0000000000000000',
		DEFAULT_PROVIDER: 'openai'
	});
	if (!parsed.ok) throw new Error(parsed.message);
	const app = createApp({ config: parsed.env, database });
	const server = await startTestServer((request, address) => handleApiRequest(app, request, address));
	try {
		const user = await createUser(app, { role: 'admin' });
		const client = createSwitchboardClient({
			url: server.url,
			token: await createApiToken(app, user.user.id)
		});
		const newChat = async (modelId: string) =>
			(await client.chats.create.mutate({ providerId: 'openai', modelId, title: 'bench' })).id;
		const count = async (work: () => Promise<unknown>) => {
			counter.statements = [];
			counter.on = true;
			try {
				await work();
			} finally {
				counter.on = false;
			}
			return [...counter.statements];
		};
		// Warm caches (provider clients, model catalog) as a running server has them.
		await client.ask({ chatId: await newChat(options.quickModel), content: 'warm up' }).result;

		const results: StatementCount[] = [];
		const serviceChat = await newChat(options.quickModel);
		const service = await count(async () => {
			const sent = await app.chats.send(user.user.id, { chatId: serviceChat, content: 'count me' });
			await app.generations.outcome(sent.assistantMessageId);
		});
		results.push({
			name: 'service turn',
			description:
				'chats.send + the generation, no HTTP (as tests/integration/chat/chat-access.test.ts counts)',
			count: service.length,
			statements: service
		});
		const apiChat = await newChat(options.quickModel);
		const api = await count(() => client.ask({ chatId: apiChat, content: 'count me' }).result);
		results.push({
			name: 'API turn',
			description:
				'SDK ask(): token auth on the send and on the SSE subscription, send, generation, until done',
			count: api.length,
			statements: api
		});
		const pacedChat = await newChat(options.pacedModel);
		const paced = await count(() => client.ask({ chatId: pacedChat, content: 'count me' }).result);
		results.push({
			name: 'API turn, paced',
			description: `as above with ${options.pacedDescription} (partial answers are saved every second)`,
			count: paced.length,
			statements: paced
		});
		return results;
	} finally {
		await app.generations.stopAll();
		await server.close();
		await database.close();
	}
}
