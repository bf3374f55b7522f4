import { TRPCError } from '@trpc/server';
import { changePasswordInput, signInInput, signUpInput, tokenRevokeInput } from '$lib/schemas/auth';
import { tokenCreateInput } from '$lib/schemas/tokens';
import { readCredential } from '../../auth/authenticate';
import { deviceCookieHeader, sessionCookieHeader, type SessionCookieValue } from '../../auth/cookie';
import { DEVICE_COOKIE } from '../../auth/device';
import { readCookie } from '../../auth/session';
import type { SignedIn, SignInContext } from '../../services/auth-service';
import type { Context } from '../context';
import { protectedProcedure, publicProcedure, router } from '../init';

/** signIn/signUp answer with the cookie only: the body never carries a secret. */
function setSessionCookie(ctx: Context, session: SessionCookieValue | null) {
	ctx.resHeaders.append('set-cookie', sessionCookieHeader(ctx.app, ctx.req.url, session));
}

/**
 * The session token the browser already sent, so signing in can end it (no session fixation), and
 * its device cookie, so a browser the account knows is not throttled with strangers.
 */
function signInContext(ctx: Context): SignInContext {
	const credential = readCredential(ctx.req.headers);
	return {
		address: ctx.clientAddress,
		presentedToken: credential?.kind === 'cookie' ? credential.token : null,
		deviceToken: readCookie(ctx.req.headers.get('cookie'), DEVICE_COOKIE)
	};
}

function setSignedInCookies(ctx: Context, { session, deviceToken }: SignedIn) {
	setSessionCookie(ctx, session);
	ctx.resHeaders.append('set-cookie', deviceCookieHeader(ctx.app, ctx.req.url, deviceToken));
}

/**
 * Account management (tokens, password) only from a signed-in session, never with an API token:
 * a leaked token must not mint replacements that outlive its revocation, revoke the owner's
 * other tokens or take over the account.
 */
const sessionProcedure = protectedProcedure.use(({ ctx, next }) => {
	if (ctx.auth?.via !== 'session' || !ctx.auth.sessionId) {
		throw new TRPCError({
			code: 'FORBIDDEN',
			message: 'Manage your account from a signed-in session, not with an API token.'
		});
	}
	return next({ ctx: { ...ctx, sessionId: ctx.auth.sessionId } });
});

const tokensRouter = router({
	create: sessionProcedure
		.input(tokenCreateInput)
		.mutation(({ ctx, input }) => ctx.app.users.createToken(ctx.user.id, input)),
	list: sessionProcedure.query(({ ctx }) => ctx.app.users.listTokens(ctx.user.id)),
	revoke: sessionProcedure.input(tokenRevokeInput).mutation(async ({ ctx, input }) => {
		await ctx.app.users.revokeToken(ctx.user.id, input.id);
		return { ok: true as const };
	})
});

export const authRouter = router({
	signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
		const signedIn = await ctx.app.auth.signUp(input, signInContext(ctx));
		setSignedInCookies(ctx, signedIn);
		return signedIn.user;
	}),

	signIn: publicProcedure.input(signInInput).mutation(async ({ ctx, input }) => {
		const signedIn = await ctx.app.auth.signIn(input, signInContext(ctx));
		setSignedInCookies(ctx, signedIn);
		return signedIn.user;
	}),

	/** Ends the current session on the server and clears the cookie; harmless when signed out. */
	signOut: publicProcedure.mutation(async ({ ctx }) => {
		if (ctx.user && ctx.auth?.via === 'session' && ctx.auth.sessionId) {
			await ctx.app.auth.signOut(ctx.user.id, ctx.auth.sessionId);
		}
		setSessionCookie(ctx, null);
		return { ok: true as const };
	}),

	me: publicProcedure.query(({ ctx }) => ctx.user),

	/** Ends every other session of the user; the one making the change stays signed in. */
	changePassword: sessionProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
		await ctx.app.auth.changePassword(ctx.user.id, input, { sessionId: ctx.sessionId });
		return { ok: true as const };
	}),

	tokens: tokensRouter
});
