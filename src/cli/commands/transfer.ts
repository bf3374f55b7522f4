import { readFile, writeFile } from 'node:fs/promises';
import { countOf } from '../../lib/count-of';
import { visibleBranch } from '../../lib/sdk/conversations';
import { typedErrors } from '../../lib/sdk/helpers';
import type { Command } from '../args';
import type { CommandContext } from '../context';
import { UsageError } from '../exit-codes';
import { readAll, writeJson } from '../io';
import { shownOn } from '../terminal-text';

const speaker = { user: 'You', assistant: 'Assistant', system: 'System' } as const;

/** The chat's branch on screen, as `chats.get` and the web UI agree on it. */
export async function show(command: Extract<Command, { name: 'show' }>, context: CommandContext) {
	const { client } = await context.connect();
	const chat = await typedErrors(() => client.chats.get.query({ chatId: command.chatId }));
	if (command.json) return writeJson(context.io.stdout, chat);
	const out = context.io.stdout;
	out.write(shownOn(out, `# ${chat.title}\n`));
	for (const step of visibleBranch(chat)) {
		const { message } = step;
		const place = step.count > 1 ? ` [${step.index + 1}/${step.count}]` : '';
		const model =
			message.role === 'assistant' && message.modelId ? ` (${message.providerId}/${message.modelId})` : '';
		out.write(shownOn(out, `\n${speaker[message.role]}${model}${place}:\n${message.content}\n`));
	}
}

export async function exportCommand(command: Extract<Command, { name: 'export' }>, context: CommandContext) {
	const { client } = await context.connect();
	const file = await client.exportChats({ chatId: command.chatId, format: command.format });
	const { stdout, stderr } = context.io;
	if (command.out) {
		await writeFile(command.out, file.content, { mode: 0o600 });
		stderr.write(`Wrote ${command.out}\n`);
	} else stdout.write(shownOn(stdout, file.content.endsWith('\n') ? file.content : `${file.content}\n`));
	// On stderr, so a piped file stays exactly the export.
	if (file.importNote) stderr.write(`switchboard: ${file.importNote}\n`);
}

export async function importCommand(command: Extract<Command, { name: 'import' }>, context: CommandContext) {
	let data: string;
	if (command.file) {
		data = await readFile(command.file, 'utf8').catch((cause: NodeJS.ErrnoException) => {
			throw new UsageError(`import: cannot read ${command.file} (${cause.code ?? cause.message})`);
		});
	} else {
		if (context.io.stdin.isTTY) throw new UsageError('import: give a file, or pipe one in');
		data = await readAll(context.io.stdin);
	}
	const { client } = await context.connect();
	const result = await client.importChats(data);
	if (command.json) return writeJson(context.io.stdout, result);
	const { stdout } = context.io;
	for (const chat of result.chats) stdout.write(shownOn(stdout, `${chat.id}  ${chat.title}\n`));
	context.io.stderr.write(
		`Imported ${countOf(result.chats.length, 'chat')}, ${countOf(result.messages, 'message')}.\n`
	);
}
