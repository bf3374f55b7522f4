import type { SwitchboardClient } from '../lib/sdk/index';
import { configPath, readConfig, resolveConnection } from './config';
import type { Io } from './io';

export type Connected = { client: SwitchboardClient; url: string };

/** What a command gets: its IO, and a client for the saved login created only when it asks. */
export type CommandContext = {
	io: Io;
	connect(): Promise<Connected>;
	/** The server the command talks to, for error messages ("cannot reach …"). */
	url?: string;
};

export function createContext(io: Io): CommandContext {
	const context: CommandContext = {
		io,
		async connect() {
			const stored = await readConfig(configPath(io.env));
			const { url, token } = resolveConnection(io.env, stored);
			context.url = url;
			return { client: io.createClient({ url, token }), url };
		}
	};
	return context;
}
