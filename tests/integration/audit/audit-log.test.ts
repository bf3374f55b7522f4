import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { AuditAction } from '$lib/schemas/audit';
import { auditLog, providerConfigs } from '$lib/server/db/schema';
import { useApiServer } from '../../helpers/api-fixture';
import { createApiClient, createUser, errorOf, type TestUser } from '../../helpers/auth-client';

const KEY = 'sk-proj-audit-secret-key-9f8e7d6c5b4a';

type Trpc = ReturnType<typeof createApiClient>['trpc'];

describe('audit log', () => {
	const server = useApiServer({
		config: { SECRET_KEY: 'audit-test-secret-key-0123456789', OPENAI_API_KEY: undefined }
	});
	let admin: TestUser;
	let asAdmin: Trpc;

	beforeEach(async () => {
		admin = await createUser(server.app, { role: 'admin', email: 'root@example.test' });
		asAdmin = server.as(admin).trpc;
	});

	/** Every row the API lists, newest first, paging through small pages to the end. */
	async function listAll(filter: Parameters<Trpc['audit']['list']['query']>[0] = {}) {
		const rows = [];
		let cursor: string | null = null;
		do {
			const page = await asAdmin.audit.list.query({ ...filter, cursor, limit: 3 });
			rows.push(...page.items);
			cursor = page.nextCursor;
		} while (cursor);
		return rows;
	}

	/** The rows of one action, as `who / target / changes`. */
	async function rowsOf(action: AuditAction) {
		return (await listAll({ action })).map((r) => ({
			actor: r.actor.email,
			target: `${r.target.type}:${r.target.id}`,
			changes: r.changes
		}));
	}

	it('records every listed admin action with who, what and old → new, and never a secret', async () => {
		const member = await createUser(server.app, { email: 'ann@example.test' });
		const asMember = server.as(member).trpc;
		const root = admin.email;

		await asAdmin.providers.update.mutate({ providerId: 'openai', apiKey: KEY });
		const [sealed] = await server.app.database.db
			.select({ ciphertext: providerConfigs.apiKeyEncrypted, hint: providerConfigs.apiKeyHint })
			.from(providerConfigs)
			.where(eq(providerConfigs.id, 'openai'));
		await asAdmin.providers.update.mutate({ providerId: 'openai', apiKey: null });
		await asAdmin.providers.update.mutate({
			providerId: 'openai',
			baseUrl: 'https://llm.example.com/v1',
			priority: 7
		});
		await asAdmin.providers.update.mutate({ providerId: 'ollama', enabled: false });
		await asAdmin.providers.update.mutate({ providerId: 'ollama', enabled: true });
		await asAdmin.providers.update.mutate({ providerId: 'openai', isDefault: true });
		await asAdmin.providers.update.mutate({ providerId: 'anthropic', isDefault: true });
		await asAdmin.models.update.mutate({
			providerId: 'openai',
			modelId: 'gpt-4.1-mini',
			prices: { inputPerMTok: 0.5, outputPerMTok: 2 }
		});
		await asAdmin.models.update.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini', enabled: false });
		const ci = await asMember.auth.tokens.create.mutate({ name: 'ci' });
		await asMember.auth.tokens.revoke.mutate({ id: ci.id });
		const laptop = await asMember.auth.tokens.create.mutate({ name: 'laptop' });
		await asAdmin.users.update.mutate({ userId: member.user.id, role: 'admin' });
		await asAdmin.users.update.mutate({ userId: member.user.id, disabled: true });
		await asAdmin.users.update.mutate({ userId: member.user.id, disabled: false });

		const openai = 'provider:openai';
		expect(await rowsOf('provider.key_set')).toEqual([
			{ actor: root, target: openai, changes: { apiKey: { from: null, to: { set: true } } } }
		]);
		expect(await rowsOf('provider.key_cleared')).toEqual([
			{ actor: root, target: openai, changes: { apiKey: { from: { set: true }, to: { cleared: true } } } }
		]);
		expect(await rowsOf('provider.base_url_changed')).toEqual([
			{ actor: root, target: openai, changes: { baseUrl: { from: null, to: 'https://llm.example.com/v1' } } }
		]);
		expect(await rowsOf('provider.priority_changed')).toEqual([
			{ actor: root, target: openai, changes: { priority: { from: expect.any(Number), to: 7 } } }
		]);
		expect(await rowsOf('provider.disabled')).toEqual([
			{ actor: root, target: 'provider:ollama', changes: { enabled: { from: true, to: false } } }
		]);
		expect(await rowsOf('provider.enabled')).toEqual([
			{ actor: root, target: 'provider:ollama', changes: { enabled: { from: false, to: true } } }
		]);
		// The default is the provider marked so; a fresh install has none marked.
		expect(await rowsOf('provider.default_changed')).toEqual([
			{
				actor: root,
				target: 'provider:anthropic',
				changes: { defaultProvider: { from: 'openai', to: 'anthropic' } }
			},
			{ actor: root, target: openai, changes: { defaultProvider: { from: null, to: 'openai' } } }
		]);
		const model = 'model:openai/gpt-4.1-mini';
		expect(await rowsOf('model.prices_changed')).toEqual([
			{
				actor: root,
				target: model,
				changes: {
					inputPricePerMTok: { from: expect.any(Number), to: 0.5 },
					outputPricePerMTok: { from: expect.any(Number), to: 2 }
				}
			}
		]);
		expect(await rowsOf('model.disabled')).toEqual([
			{ actor: root, target: model, changes: { enabled: { from: true, to: false } } }
		]);
		// Members' own tokens are recorded with the member as the actor; disabling an account
		// revokes its tokens, and each of those is recorded with the admin as the actor.
		expect(await rowsOf('token.created')).toEqual([
			{
				actor: member.email,
				target: `api_token:${laptop.id}`,
				changes: { name: { from: null, to: 'laptop' } }
			},
			{ actor: member.email, target: `api_token:${ci.id}`, changes: { name: { from: null, to: 'ci' } } }
		]);
		expect(await rowsOf('token.revoked')).toEqual([
			{ actor: root, target: `api_token:${laptop.id}`, changes: { name: { from: 'laptop', to: null } } },
			{ actor: member.email, target: `api_token:${ci.id}`, changes: { name: { from: 'ci', to: null } } }
		]);
		const user = `user:${member.user.id}`;
		expect(await rowsOf('user.role_changed')).toEqual([
			{ actor: root, target: user, changes: { role: { from: 'member', to: 'admin' } } }
		]);
		expect(await rowsOf('user.disabled')).toEqual([
			{ actor: root, target: user, changes: { disabled: { from: false, to: true } } }
		]);
		expect(await rowsOf('user.enabled')).toEqual([
			{ actor: root, target: user, changes: { disabled: { from: true, to: false } } }
		]);

		// Nothing secret anywhere: not in the API's answer, not in the stored rows.
		const listed = JSON.stringify(await listAll());
		const stored = JSON.stringify(await server.app.database.db.select().from(auditLog));
		for (const text of [listed, stored]) {
			expect(text).not.toContain(KEY);
			expect(text).not.toContain(sealed.ciphertext!);
			expect(text).not.toContain(sealed.hint!);
			expect(text).not.toContain(ci.token);
			expect(text).not.toContain(laptop.token);
		}
		expect(await listAll()).toHaveLength(17);
	});

	it("records budgets and caps, the settings' and a user's, old value to new", async () => {
		const member = await createUser(server.app, { email: 'cal@example.test' });
		const settings = {
			memberMonthlyBudgetUsd: 5,
			allowUnpricedForBudgeted: false,
			memberMaxConcurrent: 2,
			memberRequestsPerMinute: null,
			adminMaxConcurrent: null,
			adminRequestsPerMinute: null
		};
		await asAdmin.settings.update.mutate(settings);
		// Saved again unchanged: nothing to record.
		await asAdmin.settings.update.mutate(settings);
		await asAdmin.settings.update.mutate({ ...settings, memberMonthlyBudgetUsd: null });
		await asAdmin.users.setLimits.mutate({
			userId: member.user.id,
			monthlyBudgetUsd: 0.5,
			maxConcurrent: null,
			requestsPerMinute: 10
		});

		const settingsTarget = 'settings:limits';
		expect(await rowsOf('settings.limits_changed')).toEqual([
			{
				actor: admin.email,
				target: settingsTarget,
				changes: { memberMonthlyBudgetUsd: { from: 5, to: null } }
			},
			{
				actor: admin.email,
				target: settingsTarget,
				changes: {
					memberMonthlyBudgetUsd: { from: null, to: 5 },
					memberMaxConcurrent: { from: null, to: 2 }
				}
			}
		]);
		expect(await rowsOf('user.limits_changed')).toEqual([
			{
				actor: admin.email,
				target: `user:${member.user.id}`,
				changes: { monthlyBudgetUsd: { from: null, to: 0.5 }, requestsPerMinute: { from: null, to: 10 } }
			}
		]);
	});

	it('records the key a base URL move clears, in the same entry set as the move', async () => {
		await asAdmin.providers.update.mutate({ providerId: 'openai', apiKey: KEY });
		await asAdmin.providers.update.mutate({ providerId: 'openai', baseUrl: 'https://other.example/v1' });
		const [newest, second] = await listAll();
		expect([newest.action, second.action].sort()).toEqual([
			'provider.base_url_changed',
			'provider.key_cleared'
		]);
		expect(newest.createdAt).toEqual(second.createdAt);
	});

	it('records nothing for a refused change or a value sent unchanged', async () => {
		const invalid = asAdmin.providers.update.mutate({
			providerId: 'openai',
			baseUrl: 'http://127.0.0.1:1/v1'
		});
		expect((await errorOf(invalid)).code).toBe('BAD_REQUEST');
		const demoteSelf = asAdmin.users.update.mutate({ userId: admin.user.id, role: 'member' });
		expect((await errorOf(demoteSelf)).code).toBe('CONFLICT');
		await asAdmin.providers.update.mutate({ providerId: 'anthropic', enabled: true });
		expect(await listAll()).toEqual([]);
	});

	it('filters by action, actor, target type and date range', async () => {
		const other = await createUser(server.app, { role: 'admin', email: 'bea@example.test' });
		const asOther = server.as(other).trpc;
		const start = new Date();
		await asAdmin.providers.update.mutate({ providerId: 'openai', priority: 3 });
		await asOther.providers.update.mutate({ providerId: 'ollama', enabled: false });
		await asOther.models.update.mutate({ providerId: 'openai', modelId: 'gpt-4.1-mini', enabled: false });

		const actions = (rows: { action: string }[]) => rows.map((r) => r.action).sort();
		expect(actions(await listAll({ actorId: other.user.id }))).toEqual([
			'model.disabled',
			'provider.disabled'
		]);
		expect(actions(await listAll({ actorId: admin.user.id }))).toEqual(['provider.priority_changed']);
		expect(actions(await listAll({ targetType: 'model' }))).toEqual(['model.disabled']);
		expect(actions(await listAll({ action: 'provider.disabled' }))).toEqual(['provider.disabled']);
		expect(await listAll({ action: 'user.role_changed' })).toEqual([]);

		const hour = 3_600_000;
		const earlier = new Date(start.getTime() - 2 * hour);
		expect(await listAll({ from: earlier, to: new Date(start.getTime() - hour) })).toEqual([]);
		expect(await listAll({ from: earlier, to: new Date(Date.now() + hour) })).toHaveLength(3);
	});

	it('refuses members, anonymous callers and bad filters with typed errors', async () => {
		const member = await createUser(server.app);
		const asMember = server.as(member).trpc;
		expect(await errorOf(asMember.audit.list.query({}))).toMatchObject({ code: 'FORBIDDEN', status: 403 });
		expect((await errorOf(server.client().trpc.audit.list.query({}))).code).toBe('UNAUTHORIZED');

		const now = new Date();
		expect((await errorOf(asAdmin.audit.list.query({ from: now, to: now }))).code).toBe('BAD_REQUEST');
		expect((await errorOf(asAdmin.audit.list.query({ cursor: 'nonsense' }))).code).toBe('BAD_REQUEST');
		const unknownAction = asAdmin.audit.list.query({ action: 'provider.exploded' as AuditAction });
		expect((await errorOf(unknownAction)).code).toBe('BAD_REQUEST');
	});
});
