import { tokenScopes, type TokenScope } from '$lib/schemas/tokens';
import type { ApiTokenRow } from '../db/repositories/token-repository';
import { AppError } from '../errors';

/** What an API token may do, as authentication found it (a session has no grant: it may do all). */
export type TokenGrant = Pick<ApiTokenRow, 'id' | 'scopes' | 'allowedModels' | 'expiresAt'>;

/**
 * Who may call a procedure with an API token. `public`: anyone (tokens included); `session`: only a
 * signed-in browser session, never a token; `full`: a token holding every scope (admin and account
 * settings, which no narrower scope describes); a list: a token holding any one of those scopes.
 * The owner's role is checked apart (adminProcedure): a scope never adds a permission, it only narrows.
 */
export type ProcedureAccess = 'public' | 'session' | 'full' | readonly TokenScope[];

const anyScope = tokenScopes;

/**
 * Every procedure of the appRouter, by path. A test fails when one is missing, and an unlisted
 * procedure refuses every token, so a new procedure cannot slip through unclassified.
 */
export const procedureAccess: Record<string, ProcedureAccess> = {
	'health.check': 'public',
	'auth.signUp': 'public',
	'auth.signIn': 'public',
	'auth.signOut': 'public',
	'auth.me': 'public',
	'auth.changePassword': 'session',
	'auth.tokens.create': 'session',
	'auth.tokens.list': 'session',
	'auth.tokens.revoke': 'session',
	'preferences.theme': 'full',
	'preferences.setTheme': 'full',
	'users.list': ['read'],
	'users.update': 'full',
	'users.setLimits': 'full',
	'settings.get': ['read'],
	'settings.update': 'full',
	'audit.list': ['read'],
	// A client of any scope needs to see what it may pick.
	'providers.list': anyScope,
	'providers.get': anyScope,
	'providers.kinds': anyScope,
	'providers.create': 'full',
	'providers.update': 'full',
	'providers.delete': 'full',
	'providers.test': 'full',
	'models.list': anyScope,
	'models.refresh': 'full',
	'models.create': 'full',
	'models.update': 'full',
	'models.delete': 'full',
	'aliases.list': anyScope,
	'aliases.set': 'full',
	'aliases.delete': 'full',
	'chats.list': ['chat', 'read'],
	'chats.get': ['chat', 'read'],
	'chats.export': ['chat', 'read'],
	'chats.create': ['chat'],
	'chats.update': ['chat'],
	'chats.delete': ['chat'],
	'chats.import': ['chat'],
	'chats.send': ['chat'],
	'chats.sendAndWatch': ['chat'],
	'chats.edit': ['chat'],
	'chats.compare': ['chat'],
	'chats.selectBranch': ['chat'],
	'chats.stream': ['chat'],
	'chats.stop': ['chat'],
	'chats.regenerate': ['chat'],
	'attachments.upload': ['chat'],
	'completions.create': ['completions'],
	'completions.start': ['completions'],
	'completions.startAndWatch': ['completions'],
	'completions.stream': ['completions'],
	'usage.summary': ['read'],
	'usage.byChat': ['read'],
	// A script of any scope may ask how much of its budget is left.
	'usage.budget': anyScope,
	'usage.budgets': ['read']
};

function describeAccess(access: ProcedureAccess): string {
	if (access === 'full') return `every scope (${tokenScopes.join(', ')})`;
	if (typeof access === 'string') return 'a signed-in session';
	return access.length === 1 ? `the ${access[0]} scope` : `one of the scopes ${access.join(', ')}`;
}

function allows(grant: TokenGrant, access: ProcedureAccess | undefined): boolean {
	if (access === undefined || access === 'session') return false;
	if (access === 'public') return true;
	if (access === 'full') return tokenScopes.every((s) => grant.scopes.includes(s));
	return access.some((s) => grant.scopes.includes(s));
}

/** Refuses a token whose scopes do not cover the procedure (a session is never refused here). */
export function checkProcedureScope(grant: TokenGrant | null, path: string): void {
	if (!grant) return;
	const access = Object.hasOwn(procedureAccess, path) ? procedureAccess[path] : undefined;
	if (allows(grant, access)) return;
	const needs = access ? describeAccess(access) : 'a signed-in session';
	throw new AppError(
		'forbidden',
		`This API token's scope (${grant.scopes.join(', ')}) does not allow ${path}: it needs ${needs}.`,
		{ tokenRefusal: 'scope' }
	);
}

/** The same rule for the compatible APIs' doors, which are not tRPC procedures. */
export function checkDoorScope(grant: TokenGrant | null, door: string, scopes: readonly TokenScope[]): void {
	if (!grant || allows(grant, scopes)) return;
	throw new AppError(
		'forbidden',
		`This API token's scope (${grant.scopes.join(', ')}) does not allow ${door}: it needs ${describeAccess(scopes)}.`,
		{ tokenRefusal: 'scope' }
	);
}

export function isExpired(grant: Pick<TokenGrant, 'expiresAt'>, now: Date): boolean {
	return !!grant.expiresAt && grant.expiresAt.getTime() <= now.getTime();
}

export function expiredTokenError(expiresAt: Date): AppError {
	return new AppError(
		'unauthorized',
		`This API token expired at ${expiresAt.toISOString()}. Create a new one on the Account page.`,
		{ tokenRefusal: 'expired' }
	);
}

/** A model the grant's allow-list names: as `provider/model`, or by an alias the request used or that points at it. */
export function modelAllowed(
	grant: TokenGrant | null,
	model: { providerId: string; modelId: string; alias?: string },
	aliases: ReadonlyMap<string, { providerId: string; modelId: string }>
): boolean {
	if (!grant || grant.allowedModels.length === 0) return true;
	const name = `${model.providerId}/${model.modelId}`;
	return grant.allowedModels.some((entry) => {
		if (entry === name || entry === model.alias) return true;
		const alias = aliases.get(entry);
		return !!alias && alias.providerId === model.providerId && alias.modelId === model.modelId;
	});
}

export function modelRefused(grant: TokenGrant, model: { providerId: string; modelId: string }): AppError {
	return new AppError(
		'forbidden',
		`This API token may not use ${model.providerId}/${model.modelId}; it may use ${grant.allowedModels.join(', ')}.`,
		{ field: 'modelId', tokenRefusal: 'model' }
	);
}
