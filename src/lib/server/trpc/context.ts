import type { App } from '../app';

export type ContextUser = { id: string; email: string; name: string | null; role: 'admin' | 'member' };

export type CreateContextOptions = {
	app: App;
	req: Request;
	resHeaders: Headers;
	/** The address of the client, for throttling. */
	clientAddress: string;
	/** Set by hooks.server.ts when a session cookie or bearer token was already verified. */
	user?: ContextUser | null;
	connectionParams?: Record<string, string> | null;
};

export function createContext(options: CreateContextOptions) {
	return {
		app: options.app,
		req: options.req,
		resHeaders: options.resHeaders,
		clientAddress: options.clientAddress,
		user: options.user ?? null,
		connectionParams: options.connectionParams ?? null
	};
}

export type Context = ReturnType<typeof createContext>;
