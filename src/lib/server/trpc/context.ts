import type { AuthUser } from '$lib/schemas/auth';
import type { App } from '../app';
import { authenticateConnectionParams, readCredential, type Authenticated } from '../auth/authenticate';

/** The signed-in user as procedures see it: `{ id, email, name, role }` (the `auth.me` shape). */
export type ContextUser = AuthUser;

export type CreateContextOptions = {
	app: App;
	req: Request;
	resHeaders: Headers;
	/** The address of the client, for throttling. */
	clientAddress: string;
	/** The request's id (x-request-id), put in every error so a person can quote it. */
	requestId: string;
	/** Set by hooks.server.ts when a session cookie or bearer token was already verified. */
	user?: ContextUser | null;
	/** How `user` was authenticated (session or token, which one), when known. */
	auth?: Authenticated | null;
	connectionParams?: Record<string, string> | null;
};

/**
 * Without a user from the request's headers, a subscription may still bring an API token in
 * tRPC's connectionParams (EventSource in Node cannot always set headers). Not when the request
 * sent a bearer header that failed: a refused credential is not replaced by another one.
 */
export async function createContext(options: CreateContextOptions) {
	let auth = options.auth ?? null;
	let user = options.user !== undefined ? options.user : (auth?.user ?? null);
	if (!user && options.connectionParams?.token && readCredential(options.req.headers)?.kind !== 'bearer') {
		auth = await authenticateConnectionParams(options.app, options.connectionParams);
		user = auth?.user ?? null;
	}
	return {
		app: options.app,
		req: options.req,
		resHeaders: options.resHeaders,
		clientAddress: options.clientAddress,
		requestId: options.requestId,
		user,
		// Only when it describes this very user: never another account's session details.
		auth: user && auth?.user.id === user.id ? auth : null,
		connectionParams: options.connectionParams ?? null
	};
}

export type Context = Awaited<ReturnType<typeof createContext>>;
