import type { App as SwitchboardApp } from '$lib/server/app';
import type { Theme } from '$lib/schemas/preferences';
import type { ContextUser } from '$lib/server/trpc/context';

declare global {
	namespace App {
		interface Locals {
			app: SwitchboardApp;
			user: ContextUser | null;
			/** Accepted from x-request-id or generated; on every response and every error shown. */
			requestId: string;
			/** Set by the (app) layout's load; written into <html data-theme> so the first paint has it. */
			theme?: Theme;
		}
		interface PageData {
			/** The signed-in user's theme, from the (app) layout; absent on the sign-in pages. */
			theme?: Theme;
		}
		interface Platform {
			/** adapter-node's Node request: its socket tells when a client hangs up. Absent under `vite dev`. */
			req?: import('node:http').IncomingMessage;
		}
		interface Error {
			message: string;
			/** So a person can quote it when reporting a problem. */
			requestId?: string;
		}
	}
}

export {};
