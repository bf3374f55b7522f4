import type { Logger } from 'drizzle-orm';
import { createSwitchboardClient, type GenerationRun } from '../../src/lib/sdk/index';
import { createApp } from '../../src/lib/server/app';
import { plainCaller } from '../../src/lib/server/auth/caller';
import { openDatabase } from '../../src/lib/server/db/client';
import { prepareDatabase } from '../../src/lib/server/db/migrate';
import { parseEnv } from '../../src/lib/server/env-schema';
import { handleApiRequest } from '../../src/lib/server/http/api-handler';
import { createApiToken, createUser } from '../../tests/helpers/auth-client';
import { startTestServer } from '../../tests/helpers/test-server';
import { SPARSE_TURN } from '../lib/goals';

export type StatementCount = {
	name: string;
	description: string;
	count: number;
	/** Issued before the first delta reached the client; null where the turn is not an SDK stream. */
	beforeFirstToken: number | null;
	statements: string[];
};

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
 * services the build runs, createApp) on the database being benched (PGlite in memory, or the
 * Postgres scratch database), served over real HTTP through the same API handler the integration
 * tests use. Transaction BEGIN/COMMIT are not logged by Drizzle.
 */
export async function countTurnStatements(options: {
	emulatorUrl: string;
	/** Postgres URL; PGlite in memory without one. */
	databaseUrl?: string;
	quickModel: string;
	pacedModel: string;
	pacedDescription: string;
	/** As long in time as the paced answer, with a quarter of its deltas. */
	sparseModel: string;
	sparseDescription: string;
}): Promise<StatementCount[]> {
	const counter = { on: false, statements: [] as string[] };
	const logger: Logger = {
		logQuery(query) {
			if (counter.on) counter.statements.push(labelStatement(query));
		}
	};
	const database = await openDatabase({ url: options.databaseUrl, dataDir: 'memory://', logger });
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
		/** Runs an SDK stream to its end, noting how many statements had been issued at its first delta. */
		const streamed = async (start: () => GenerationRun<unknown>) => {
			let beforeFirstToken: number | null = null;
			const statements = await count(async () => {
				for await (const event of start()) {
					if (event.type === 'delta') beforeFirstToken ??= counter.statements.length;
				}
			});
			return { statements, beforeFirstToken };
		};
		// Warm caches (provider clients, model catalog) as a running server has them.
		await client.ask({ chatId: await newChat(options.quickModel), content: 'warm up' }).result;

		const results: StatementCount[] = [];
		const serviceChat = await newChat(options.quickModel);
		const service = await count(async () => {
			const sent = await app.chats.send(plainCaller(user.user), { chatId: serviceChat, content: 'count me' });
			await app.generations.outcome(sent.assistantMessageId);
		});
		results.push({
			name: 'service turn',
			description:
				'chats.send + the generation, no HTTP (as tests/integration/chat/chat-access.test.ts counts)',
			count: service.length,
			beforeFirstToken: null,
			statements: service
		});
		// Paced answers, so the subscriber is attached before the generation ends: with an instant answer
		// the client's first delta would come from the replay after every write, and everything would
		// count as "before the first token".
		const paced = options.pacedModel;
		const sdkTurns: {
			name: string;
			description: string;
			start: () => Promise<() => GenerationRun<unknown>>;
		}[] = [
			{
				name: 'API turn, ask() in a chat',
				description: `token auth on the send, send, generation streamed in its response (${options.pacedDescription}; partial answers are saved every second), until done`,
				start: async () => {
					const chatId = await newChat(paced);
					return () => client.ask({ chatId, content: 'count me' });
				}
			},
			{
				name: 'API turn, one-shot ask()',
				description: 'as above, and the SDK creates the chat first',
				start: async () => () => client.ask({ providerId: 'openai', modelId: paced, content: 'count me' })
			},
			{
				name: 'API turn, streamCompletion()',
				description: 'stateless: completions.startAndWatch, the generation streamed in its response',
				start: async () => () =>
					client.streamCompletion({
						providerId: 'openai',
						modelId: paced,
						messages: [{ role: 'user', content: 'count me' }]
					})
			},
			{
				name: SPARSE_TURN,
				description: `the same over the same time with a quarter of the deltas (${options.sparseDescription}), to tell what grows with the deltas`,
				start: async () => {
					const chatId = await newChat(options.sparseModel);
					return () => client.ask({ chatId, content: 'count me' });
				}
			}
		];
		for (const turn of sdkTurns) {
			const start = await turn.start();
			const { statements, beforeFirstToken } = await streamed(start);
			results.push({
				name: turn.name,
				description: turn.description,
				count: statements.length,
				beforeFirstToken,
				statements
			});
		}
		return results;
	} finally {
		await app.generations.stopAll();
		await server.close();
		// As shutdownApp does: the last uses noted are written now, not by their timer once the database is closed.
		await app.authRuntime.tokenUse.flush();
		await database.close();
	}
}
