import type { App as SwitchboardApp } from '$lib/server/app';
import type { ContextUser } from '$lib/server/trpc/context';

declare global {
	namespace App {
		interface Locals {
			app: SwitchboardApp;
			user: ContextUser | null;
			/** Accepted from x-request-id or generated; on every response and every error shown. */
			requestId: string;
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
