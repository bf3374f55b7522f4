import { TRPCError } from '@trpc/server';
import {
	changePasswordInput,
	signInInput,
	signUpInput,
	tokenCreateInput,
	tokenRevokeInput
} from '$lib/schemas/auth';
import { readCredential } from '../../auth/authenticate';
import { sessionCookieHeader, type SessionCookieValue } from '../../auth/cookie';
import { authService } from '../../services/auth-service';
import { userService } from '../../services/user-service';
import type { Context } from '../context';
import { protectedProcedure, publicProcedure, router } from '../init';

/** signIn/signUp answer with the cookie only: the body never carries a secret. */
function setSessionCookie(ctx: Context, session: SessionCookieValue | null) {
	ctx.resHeaders.append('set-cookie', sessionCookieHeader(ctx.app, ctx.req.url, session));
}

/** The session token the browser already sent, so signing in can end it (no session fixation). */
function presentedToken(ctx: Context): string | null {
	const credential = readCredential(ctx.req.headers);
	return credential?.kind === 'cookie' ? credential.token : null;
}

const tokensRouter = router({
	/**
	 * Only from a signed-in session, never with another API token: a leaked token must not be able
	 * to mint replacements that outlive its revocation.
	 */
	create: protectedProcedure.input(tokenCreateInput).mutation(({ ctx, input }) => {
		if (ctx.auth?.via !== 'session') {
			throw new TRPCError({ code: 'FORBIDDEN', message: 'Create API tokens from a signed-in session.' });
		}
		return userService(ctx.app).createToken(ctx.user.id, input);
	}),
	list: protectedProcedure.query(({ ctx }) => userService(ctx.app).listTokens(ctx.user.id)),
	revoke: protectedProcedure.input(tokenRevokeInput).mutation(async ({ ctx, input }) => {
		await userService(ctx.app).revokeToken(ctx.user.id, input.id);
		return { ok: true as const };
	})
});

export const authRouter = router({
	signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
		const { user, session } = await authService(ctx.app).signUp(input, {
			address: ctx.clientAddress,
			presentedToken: presentedToken(ctx)
		});
		setSessionCookie(ctx, session);
		return user;
	}),

	signIn: publicProcedure.input(signInInput).mutation(async ({ ctx, input }) => {
		const { user, session } = await authService(ctx.app).signIn(input, {
			address: ctx.clientAddress,
			presentedToken: presentedToken(ctx)
		});
		setSessionCookie(ctx, session);
		return user;
	}),

	/** Ends the current session on the server and clears the cookie; harmless when signed out. */
	signOut: publicProcedure.mutation(async ({ ctx }) => {
		if (ctx.user && ctx.auth?.via === 'session' && ctx.auth.sessionId) {
			await authService(ctx.app).signOut(ctx.user.id, ctx.auth.sessionId);
		}
		setSessionCookie(ctx, null);
		return { ok: true as const };
	}),

	me: publicProcedure.query(({ ctx }) => ctx.user),

	/** Ends every other session of the user; the one making the change stays signed in. */
	changePassword: protectedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
		await authService(ctx.app).changePassword(ctx.user.id, input, {
			address: ctx.clientAddress,
			keepSessionId: ctx.auth?.via === 'session' ? ctx.auth.sessionId : null
		});
		return { ok: true as const };
	}),

	tokens: tokensRouter
});
