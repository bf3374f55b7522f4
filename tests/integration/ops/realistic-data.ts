import type { SqlExecutor } from '$lib/server/db/migrations/runner.js';

/*
 * A small but complete install at the schema of 0000_init's columns: two users with sessions
 * and a token, providers with models, chats with a threaded conversation (including a failed
 * answer with a JSON error), and usage rows. Only columns 0000 created are named, so the inserts
 * stay valid at any later "previous" schema unless a migration drops or renames one of them.
 */
const statements = [
	`insert into users (id, email, name, password_hash, role, created_at, updated_at) values
	 ('00000000-0000-4000-8000-000000000001', 'ada@example.com', 'Ada', '$argon2id$v=19$m=19456,t=2,p=1$a$b', 'admin', '2026-01-02T03:04:05Z', '2026-01-02T03:04:05Z'),
	 ('00000000-0000-4000-8000-000000000002', 'grace@example.com', null, '$argon2id$v=19$m=19456,t=2,p=1$c$d', 'member', '2026-02-03T04:05:06Z', '2026-02-04T04:05:06Z')`,
	`insert into sessions (id, secret_hash, user_id, created_at, last_verified_at) values
	 ('session-one', 'c2VjcmV0', '00000000-0000-4000-8000-000000000001', '2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z')`,
	`insert into api_tokens (id, user_id, name, token_hash, hint, created_at, last_used_at) values
	 ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000002', 'ci', 'tokenhash', 'ab12', '2026-03-03T00:00:00Z', null)`,
	`insert into provider_configs (id, kind, display_name, enabled, base_url, api_key_encrypted, api_key_hint, is_default, priority, default_model_id, settings) values
	 ('openai', 'openai', 'OpenAI', true, null, 'v1:iv:ciphertext:tag', 'x9Qz', true, 10, 'gpt-4.1-mini', '{"organization":"org-1"}'),
	 ('anthropic', 'anthropic', 'Anthropic', false, 'http://127.0.0.1:9/v1', null, null, false, 20, null, '{}')`,
	`insert into provider_models (provider_id, model_id, display_name, context_window, max_output_tokens, input_price_per_m_tok, output_price_per_m_tok, capabilities, enabled, source, last_seen_at) values
	 ('openai', 'gpt-4.1-mini', 'GPT-4.1 mini', 1047576, 32768, 0.4, 1.6, '{"temperature":true,"vision":true}', true, 'seed', null),
	 ('anthropic', 'claude-sonnet-4-6', 'Claude Sonnet 4.6', 200000, 64000, 3, 15, '{"temperature":true}', true, 'api', '2026-04-01T00:00:00Z')`,
	`insert into chats (id, user_id, title, title_locked, provider_id, model_id, system_prompt, temperature, max_tokens, created_at, updated_at) values
	 ('00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-000000000001', 'Déjà vu — “quotes” 🚀', true, 'openai', 'gpt-4.1-mini', 'Be brief.', 0.7, 512, '2026-05-01T10:00:00Z', '2026-05-01T10:05:00Z'),
	 ('00000000-0000-4000-8000-0000000000c2', '00000000-0000-4000-8000-000000000002', 'New chat', false, null, null, null, null, null, '2026-05-02T10:00:00Z', '2026-05-02T10:00:00Z')`,
	`insert into messages (id, chat_id, role, content, status, parent_id, provider_id, model_id, finish_reason, error, input_tokens, output_tokens, created_at, updated_at) values
	 ('00000000-0000-4000-8000-0000000000e1', '00000000-0000-4000-8000-0000000000c1', 'user', 'What is 2+2?', 'complete', null, null, null, null, null, null, null, '2026-05-01T10:00:00Z', '2026-05-01T10:00:00Z'),
	 ('00000000-0000-4000-8000-0000000000e2', '00000000-0000-4000-8000-0000000000c1', 'assistant', '4', 'complete', '00000000-0000-4000-8000-0000000000e1', 'openai', 'gpt-4.1-mini', 'stop', null, 12, 1, '2026-05-01T10:00:01Z', '2026-05-01T10:00:02Z'),
	 ('00000000-0000-4000-8000-0000000000e3', '00000000-0000-4000-8000-0000000000c1', 'user', E'Line one\\nline two', 'complete', '00000000-0000-4000-8000-0000000000e2', null, null, null, null, null, null, '2026-05-01T10:04:00Z', '2026-05-01T10:04:00Z'),
	 ('00000000-0000-4000-8000-0000000000e4', '00000000-0000-4000-8000-0000000000c1', 'assistant', 'Partial ans', 'error', '00000000-0000-4000-8000-0000000000e3', 'openai', 'gpt-4.1-mini', null, '{"code":"RATE_LIMITED","retryable":true}', 30, 2, '2026-05-01T10:04:01Z', '2026-05-01T10:05:00Z')`,
	`insert into provider_usage (id, user_id, chat_id, message_id, provider_id, model_id, input_tokens, output_tokens, estimated, cost_usd, latency_ms, ttft_ms, status, error_code, created_at) values
	 ('00000000-0000-4000-8000-0000000000f1', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-0000000000e2', 'openai', 'gpt-4.1-mini', 12, 1, false, 0.0000064, 840, 210, 'ok', null, '2026-05-01T10:00:02Z'),
	 ('00000000-0000-4000-8000-0000000000f2', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-0000000000e4', 'openai', 'gpt-4.1-mini', 30, 2, true, null, 1500, null, 'error', 'RATE_LIMITED', '2026-05-01T10:05:00Z'),
	 ('00000000-0000-4000-8000-0000000000f3', '00000000-0000-4000-8000-000000000002', null, null, 'anthropic', 'claude-sonnet-4-6', 100, 200, false, 0.0033, 2000, 400, 'ok', null, '2026-05-03T00:00:00Z')`
];

/**
 * Rows for tables later migrations added, inserted when the "previous" schema has them, so every
 * table of that schema holds data to carry across the upgrade.
 */
const laterTables: Record<string, string> = {
	audit_log: `insert into audit_log (id, actor_id, actor_email, action, target_type, target_id, target_label, changes, created_at) values
	 ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-000000000001', 'ada@example.com', 'provider.key_set', 'provider', 'openai', 'OpenAI', '{"apiKey":{"from":null,"to":{"set":true}}}', '2026-05-04T00:00:00Z')`,
	attachment_blobs: `insert into attachment_blobs (sha256, data, byte_size, created_at) values
	 ('5d41402abc4b2a76b9719d911017c592aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', decode('68656c6c6f', 'hex'), 5, '2026-05-01T10:00:00Z')`,
	attachments: `insert into attachments (id, user_id, message_id, sha256, kind, media_type, name, byte_size, width, height, created_at) values
	 ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000e1', '5d41402abc4b2a76b9719d911017c592aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'text', 'text/plain', 'hello.txt', 5, null, null, '2026-05-01T10:00:00Z')`,
	model_aliases: `insert into model_aliases (name, provider_id, model_id, created_at, updated_at) values
	 ('fast', 'openai', 'gpt-4.1-mini', '2026-05-05T00:00:00Z', '2026-05-05T00:00:00Z')`,
	app_settings: `insert into app_settings (id, member_monthly_budget_usd, allow_unpriced_for_budgeted, updated_at) values
	 ('default', 5, false, '2026-05-06T00:00:00Z')`
};

export async function insertRealisticData(db: SqlExecutor): Promise<void> {
	for (const statement of statements) await db.query(statement);
	const present = await db.query(
		`select table_name from information_schema.tables where table_schema = 'public'`
	);
	const names = new Set(present.map((row) => String(row.table_name)));
	for (const [table, statement] of Object.entries(laterTables)) {
		if (names.has(table)) await db.query(statement);
	}
}

const sorted = (rows: Record<string, unknown>[]) =>
	rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

export type Snapshot = Record<string, Record<string, unknown>[]>;

/** Every row of every table in public, as JSON, in a stable order: what "the data" is. */
export async function snapshot(db: SqlExecutor): Promise<Snapshot> {
	const tables = await db.query(
		`select table_name from information_schema.tables where table_schema = 'public' order by table_name`
	);
	const result: Snapshot = {};
	for (const { table_name: table } of tables) {
		const rows = await db.query(`select to_jsonb(t) as row from "${String(table)}" t`);
		result[String(table)] = sorted(rows.map((r) => r.row as Record<string, unknown>));
	}
	return result;
}

/** `after` restricted to the tables and columns `before` had: what an additive migration must keep. */
export function restrictTo(after: Snapshot, before: Snapshot): Snapshot {
	return Object.fromEntries(
		Object.entries(before).map(([table, rows]) => {
			const columns = Object.keys(rows[0] ?? {});
			const kept = (after[table] ?? []).map((row) => Object.fromEntries(columns.map((c) => [c, row[c]])));
			return [table, sorted(kept)];
		})
	);
}
