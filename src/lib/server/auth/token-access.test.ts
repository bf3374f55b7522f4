import { describe, expect, it } from 'vitest';
import { appRouter } from '../trpc/router';
import { checkProcedureScope, modelAllowed, procedureAccess, type TokenGrant } from './token-access';

const grant = (scopes: TokenGrant['scopes'], allowedModels: string[] = []): TokenGrant => ({
	id: 't1',
	scopes,
	allowedModels,
	expiresAt: null
});

describe('procedureAccess', () => {
	it('classifies every procedure of the appRouter, and nothing else', () => {
		const procedures = Object.keys(appRouter._def.procedures).sort();
		expect(Object.keys(procedureAccess).sort()).toEqual(procedures);
	});

	it('lets a token do what its scopes name and refuses the rest, saying why', () => {
		const chatOnly = grant(['chat']);
		expect(() => checkProcedureScope(chatOnly, 'chats.send')).not.toThrow();
		expect(() => checkProcedureScope(chatOnly, 'models.list')).not.toThrow();
		expect(() => checkProcedureScope(chatOnly, 'completions.create')).toThrow(
			/scope \(chat\) does not allow completions\.create: it needs the completions scope/
		);
		expect(() => checkProcedureScope(grant(['read']), 'usage.summary')).not.toThrow();
		expect(() => checkProcedureScope(grant(['read']), 'chats.send')).toThrow(/needs the chat scope/);
	});

	it('keeps admin and settings writes for tokens with every scope, and account changes for sessions', () => {
		expect(() => checkProcedureScope(grant(['chat', 'read']), 'aliases.set')).toThrow(/every scope/);
		expect(() => checkProcedureScope(grant(['chat', 'completions', 'read']), 'aliases.set')).not.toThrow();
		expect(() => checkProcedureScope(grant(['chat', 'completions', 'read']), 'auth.tokens.create')).toThrow(
			/signed-in session/
		);
		expect(() => checkProcedureScope(grant(['chat']), 'not.a.procedure')).toThrow(/signed-in session/);
	});

	it('never narrows a session (no grant)', () => {
		for (const path of Object.keys(procedureAccess))
			expect(() => checkProcedureScope(null, path)).not.toThrow();
	});
});

describe('modelAllowed', () => {
	const aliases = new Map([['fast', { providerId: 'openai', modelId: 'gpt-4o-mini' }]]);
	const mini = { providerId: 'openai', modelId: 'gpt-4o-mini' };
	const haiku = { providerId: 'anthropic', modelId: 'claude-haiku-4-5' };

	it('allows any model without a list, and only the listed ones with one', () => {
		expect(modelAllowed(grant(['chat']), haiku, aliases)).toBe(true);
		expect(modelAllowed(grant(['chat'], ['anthropic/claude-haiku-4-5']), haiku, aliases)).toBe(true);
		expect(modelAllowed(grant(['chat'], ['anthropic/claude-haiku-4-5']), mini, aliases)).toBe(false);
	});

	it('reads an alias in the list as the model it points at now, and a requested alias by name', () => {
		expect(modelAllowed(grant(['chat'], ['fast']), mini, aliases)).toBe(true);
		expect(modelAllowed(grant(['chat'], ['fast']), haiku, aliases)).toBe(false);
		expect(modelAllowed(grant(['chat'], ['fast']), { ...haiku, alias: 'fast' }, aliases)).toBe(true);
	});
});
