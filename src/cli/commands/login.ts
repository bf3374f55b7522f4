import { isAbsoluteHttpUrl } from '../../lib/sdk/endpoint';
import { SwitchboardError } from '../../lib/sdk/errors';
import { typedErrors } from '../../lib/sdk/helpers';
import type { Command } from '../args';
import { configPath, readConfig, writeConfig } from '../config';
import type { CommandContext } from '../context';
import { UsageError } from '../exit-codes';
import { readAll, writeJson } from '../io';

type Login = Extract<Command, { name: 'login' }>;

async function askUrl(context: CommandContext, command: Login, saved: string | undefined): Promise<string> {
	const given = command.url ?? context.io.env.SWITCHBOARD_URL;
	if (given) return given;
	if (!context.io.stdin.isTTY && !saved) throw new UsageError('login: pass --url (no terminal to ask on)');
	if (!context.io.stdin.isTTY) return saved ?? '';
	const answer = await context.io.prompt(`Switchboard URL${saved ? ` [${saved}]` : ''}: `);
	return answer.trim() || saved || '';
}

/** --token, else SWITCHBOARD_TOKEN, else piped stdin, else a prompt without echo. */
async function askToken(context: CommandContext, command: Login): Promise<string> {
	const given = command.token ?? context.io.env.SWITCHBOARD_TOKEN;
	if (given) return given;
	if (!context.io.stdin.isTTY) return (await readAll(context.io.stdin)).trim();
	return (await context.io.prompt('API token: ', { secret: true })).trim();
}

export async function login(command: Login, context: CommandContext): Promise<void> {
	const { io } = context;
	const path = configPath(io.env);
	// A damaged file should not stop anyone from logging in again: it is about to be replaced.
	const saved = await readConfig(path).catch(() => null);
	const url = (await askUrl(context, command, saved?.url)).trim().replace(/\/+$/, '');
	if (!isAbsoluteHttpUrl(url)) throw new UsageError(`login: "${url}" is not an http(s) URL`);
	const token = await askToken(context, command);
	if (!token) throw new UsageError('login: no token given');
	context.url = url;

	const client = io.createClient({ url, token });
	const me = await typedErrors(() => client.auth.me.query());
	if (!me) throw new SwitchboardError('UNAUTHORIZED', 'The token was not accepted.');
	await writeConfig(path, { url, token });

	if (command.json) return writeJson(io.stdout, { url, user: me, configPath: path });
	io.stdout.write(`Logged in to ${url} as ${me.email} (${me.role}). Saved in ${path}\n`);
}
