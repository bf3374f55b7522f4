import type { App as SwitchboardApp } from '$lib/server/app';
import type { ContextUser } from '$lib/server/trpc/context';

declare global {
	namespace App {
		interface Locals {
			app: SwitchboardApp;
			user: ContextUser | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
