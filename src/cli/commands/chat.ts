import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AttachmentSource } from '../../lib/sdk/index';
import type { Command } from '../args';
import type { CommandContext } from '../context';
import { EXIT, UsageError } from '../exit-codes';
import { firstTokenWait } from '../first-token-wait';
import { dim, formatUsageLine, wantsColor } from '../format';
import { readAll, writeJson } from '../io';
import { shownOn, streamedTo } from '../terminal-text';

type Chat = Extract<Command, { name: 'chat' }>;

async function promptText(command: Chat, context: CommandContext): Promise<string> {
	if (command.prompt !== undefined) return command.prompt;
	if (context.io.stdin.isTTY)
		throw new UsageError('chat: give a prompt, e.g. switchboard chat "hello", or pipe one in');
	const piped = await readAll(context.io.stdin);
	if (!piped.trim()) throw new UsageError('chat: the prompt on stdin is empty');
	return piped;
}

/** The --file paths, read before anything is sent: a missing file is the caller's mistake. */
async function readFiles(paths: readonly string[]): Promise<AttachmentSource[]> {
	return Promise.all(
		paths.map(async (file) => {
			try {
				return { name: path.basename(file), data: new Uint8Array(await readFile(file)) };
			} catch (error) {
				const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read';
				throw new UsageError(`chat: --file ${file}: ${reason}`, { cause: error });
			}
		})
	);
}

/**
 * Streams the answer's text to stdout as it arrives (nothing else goes there, so it pipes cleanly),
 * then who answered and what it cost to stderr. Ctrl+C stops the generation on the server (what
 * streamed is kept) and exits 130 once it has ended.
 */
export async function chat(command: Chat, context: CommandContext): Promise<number> {
	const { io } = context;
	const content = await promptText(command, context);
	const attachments = await readFiles(command.files);
	const { client } = await context.connect();
	const run = client.ask({
		chatId: command.chatId,
		content,
		...(attachments.length ? { attachments } : {}),
		providerId: command.provider,
		modelId: command.model,
		temperature: command.temperature,
		maxTokens: command.maxTokens,
		system: command.system
	});

	let interrupted = false;
	const removeInterrupt = io.onInterrupt(() => {
		interrupted = true;
		void run.stop().catch(() => {});
	});
	let printed = '';
	const answer = streamedTo(io.stdout);
	const wait = command.json ? null : firstTokenWait(io.stderr);
	try {
		if (wait) {
			for await (const event of run) {
				if (event.type === 'start') wait.answering(event.providerId, event.modelId);
				else if (event.type === 'fallback') wait.answering(event.to.providerId, event.to.modelId);
				if (event.type !== 'delta') continue;
				wait.done();
				answer.write(event.text);
				printed += event.text;
			}
		}
		// Before the usage line, when the answer ended without text.
		wait?.done();
		const result = await run.result;
		if (command.json) writeJson(io.stdout, result);
		else {
			answer.end();
			if (!printed.endsWith('\n')) io.stdout.write('\n');
			io.stderr.write(`${dim(shownOn(io.stderr, formatUsageLine(result)), wantsColor(io.stderr, io.env))}\n`);
		}
		return interrupted ? EXIT.interrupted : EXIT.ok;
	} catch (error) {
		// End the partial answer's line so the error message starts on its own.
		answer.end();
		if (printed && !printed.endsWith('\n')) io.stdout.write('\n');
		if (interrupted) return EXIT.interrupted;
		throw error;
	} finally {
		wait?.done();
		removeInterrupt();
	}
}
