import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { createSwitchboardClient } from '../lib/sdk/index';
import { parseCommand, type Command } from './args';
import { chat } from './commands/chat';
import { models, providers, usage } from './commands/lists';
import { login } from './commands/login';
import { exportCommand, importCommand, show } from './commands/transfer';
import { createContext, type CommandContext } from './context';
import { EXIT, errorJson, errorMessage, exitCodeFor } from './exit-codes';
import { helpText } from './help';
import type { Io } from './io';
import { writeJson } from './io';
import { shownOn } from './terminal-text';

/** The package's version: package.json is two levels up from src/cli and from packages/sdk/dist/cli. */
async function packageVersion(): Promise<string> {
	try {
		const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
			name?: string;
			version?: string;
		};
		if (pkg.name === 'switchboard' && pkg.version) return pkg.version;
	} catch {
		// No package.json there (an unusual layout): the version is unknown, not an error.
	}
	return 'unknown';
}

async function dispatch(command: Command, context: CommandContext): Promise<number> {
	switch (command.name) {
		case 'help':
			context.io.stdout.write(`${helpText(command.topic)}\n`);
			return EXIT.ok;
		case 'version':
			context.io.stdout.write(`${await packageVersion()}\n`);
			return EXIT.ok;
		case 'login':
			await login(command, context);
			return EXIT.ok;
		case 'providers':
			await providers(command, context);
			return EXIT.ok;
		case 'models':
			await models(command, context);
			return EXIT.ok;
		case 'usage':
			await usage(command, context);
			return EXIT.ok;
		case 'chat':
			return chat(command, context);
		case 'show':
			await show(command, context);
			return EXIT.ok;
		case 'export':
			await exportCommand(command, context);
			return EXIT.ok;
		case 'import':
			await importCommand(command, context);
			return EXIT.ok;
	}
}

/** Runs one CLI invocation and returns its exit code; never throws. */
export async function runCli(argv: string[], io: Io): Promise<number> {
	const context = createContext(io);
	const json = argv.includes('--json');
	try {
		return await dispatch(parseCommand(argv), context);
	} catch (error) {
		const message = errorMessage(error, { url: context.url });
		// The message may quote the server, which may quote what a user or a provider wrote.
		io.stderr.write(shownOn(io.stderr, `switchboard: ${message}\n`));
		if (exitCodeFor(error) === EXIT.usage && !json) io.stderr.write('Run `switchboard --help` for usage.\n');
		if (json) writeJson(io.stdout, { error: errorJson(error, { url: context.url }) });
		return exitCodeFor(error);
	}
}

/** A terminal question; `secret` answers are not echoed (tokens). */
async function terminalPrompt(question: string, options: { secret?: boolean } = {}): Promise<string> {
	let muted = false;
	const output = new Writable({
		write(chunk: Buffer, _encoding, done) {
			if (!muted) process.stderr.write(chunk);
			done();
		}
	});
	const rl = createInterface({ input: process.stdin, output, terminal: true });
	try {
		const answer = rl.question(question);
		muted = !!options.secret;
		return await answer;
	} finally {
		if (options.secret) process.stderr.write('\n');
		rl.close();
	}
}

/** The real process: stdio, environment, signals. */
export function processIo(): Io {
	return {
		stdout: process.stdout,
		stderr: process.stderr,
		stdin: process.stdin,
		env: process.env,
		createClient: createSwitchboardClient,
		prompt: terminalPrompt,
		onInterrupt(handler) {
			let count = 0;
			const listener = () => {
				count += 1;
				if (count > 1) process.exit(EXIT.interrupted);
				handler();
			};
			process.on('SIGINT', listener);
			return () => process.off('SIGINT', listener);
		}
	};
}

/** Entry point for bin/switchboard.mjs: exits once output is flushed (open sockets must not hold it). */
export async function main(argv: string[] = process.argv.slice(2)): Promise<never> {
	const code = await runCli(argv, processIo());
	await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
	process.exit(code);
}
