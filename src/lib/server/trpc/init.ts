import { initTRPC, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import superjson from 'superjson';
import { z } from 'zod';
import { describeInputErrors, issueMessage, type InputErrors } from '$lib/schemas/input-errors';
import { checkProcedureScope } from '../auth/token-access';
import { appErrorOf, toTRPCError } from './to-trpc-error';
import { describeError, log } from '../log';
import { callerFor } from './caller';
import type { Context } from './context';
import { requestIdOfFailure } from './context-failure';

const t = initTRPC.context<Context>().create({
	transformer: superjson,
	// Never send stacks, even in development: a stack names files and sometimes values.
	isDev: false,
	sse: {
		ping: { enabled: true, intervalMs: 10_000 },
		client: { reconnectAfterInactivityMs: 25_000 }
	},
	// A started generation's events in JSON lines (chats.sendAndWatch): a space keeps a quiet answer's
	// response alive through proxies, as the SSE ping does.
	jsonl: { pingMs: 10_000 },
	errorFormatter({ shape, error, ctx }) {
		const mapped = error.code === 'INTERNAL_SERVER_ERROR' ? toTRPCError(error.cause) : error;
		const app = appErrorOf(mapped);
		// Without a context (building it failed), the error itself carries the request's id.
		const requestId = ctx?.requestId ?? requestIdOfFailure(error);
		if (mapped.code === 'INTERNAL_SERVER_ERROR') {
			log.error('internal error', { requestId, error: describeError(error.cause ?? error) });
		}
		// By field name: zod would type the fields from the schema, unknown here, and clients read them by name.
		const zodError: Required<InputErrors> | null =
			error.cause instanceof z.ZodError ? z.flattenError(error.cause, issueMessage) : null;
		// tRPC's own message for a refused input is zod's issues as JSON: said in words for every client.
		const inputMessage = zodError ? describeInputErrors(zodError) : undefined;
		return {
			message:
				mapped.code === 'INTERNAL_SERVER_ERROR'
					? 'Something went wrong on the server.'
					: (inputMessage ?? mapped.message),
			code: TRPC_ERROR_CODES_BY_KEY[mapped.code],
			data: {
				code: mapped.code,
				httpStatus: getHTTPStatusCodeFromError(mapped),
				path: shape.data.path,
				zodError,
				provider: app?.provider ?? null,
				/** The input field a domain error is about (e.g. modelId), for forms and the CLI. */
				field: app?.field ?? null,
				/** Why an API token was refused (`expired`, `scope`, `model`), for the SDK's typed error. */
				tokenRefusal: app?.tokenRefusal ?? null,
				retryAfterMs: app?.retryAfterMs ?? null,
				/** Set when a budget refused the call (spent, limit, reset): the SDK's typed reason. */
				budget: app?.budget ?? null,
				/** The x-request-id of the failed call, so a person can quote it. */
				requestId
			}
		};
	}
});

/**
 * Turns AppErrors into the matching tRPC code, so the HTTP status is right as well as the body,
 * and sends Retry-After with a 429 so plain HTTP clients know how long to wait.
 */
const mapErrors = t.middleware(async ({ ctx, next }) => {
	const result = await next();
	if (!result.ok && result.error.code === 'INTERNAL_SERVER_ERROR') {
		const mapped = toTRPCError(result.error.cause);
		const retryAfterMs = appErrorOf(mapped)?.retryAfterMs;
		if (retryAfterMs) ctx.resHeaders.set('retry-after', String(Math.ceil(retryAfterMs / 1000)));
		if (mapped.code !== 'INTERNAL_SERVER_ERROR') throw mapped;
	}
	return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapErrors);

/**
 * Signed-in users only: `ctx.user` is non-null inside (disabled users never get this far). The one
 * place an API token's scope is checked (token-access.ts has the table by path); its model allow-list
 * travels in the caller (`caller.grant`) to where models are picked.
 */
export const protectedProcedure = publicProcedure.use(({ ctx, path, next }) => {
	const user = ctx.user;
	if (!user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' });
	const grant = ctx.auth?.caller.grant ?? null;
	checkProcedureScope(grant, path);
	return next({ ctx: { ...ctx, user } });
});

/** Admins only; members get FORBIDDEN. The role is read fresh on every request, never cached. */
export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
	if (ctx.user.role !== 'admin')
		throw new TRPCError({ code: 'FORBIDDEN', message: 'Only admins can do this.' });
	return next({ ctx });
});

/** Signed-in users starting generations: `ctx.caller` carries their budgets and caps. */
export const generatingProcedure = protectedProcedure.use(async ({ ctx, next }) =>
	next({ ctx: { ...ctx, caller: await callerFor(ctx) } })
);
