import { activePath, siblingsOf } from '$lib/schemas/conversation-tree';
import type { ExportedChat } from './chat-transfer-service';

/** A fence longer than any backtick run in the text, so code in a message cannot close it. */
function who(message: ExportedChat['messages'][number]): string {
	if (message.role === 'user') return 'You';
	if (message.role === 'system') return 'System';
	const model = message.providerId && message.modelId ? ` · ${message.providerId}/${message.modelId}` : '';
	const usage =
		message.inputTokens !== null && message.outputTokens !== null
			? ` · ${message.inputTokens} in / ${message.outputTokens} out${message.usageEstimated ? ' (estimated)' : ''}`
			: '';
	const cost = message.costUsd !== null ? ` · $${message.costUsd.toFixed(6)}` : '';
	return `Assistant${model}${usage}${cost}`;
}

/** A file name as literal text: its `*`, `_`, backticks and brackets do not format anything. */
function escapeMarkdown(text: string): string {
	return text.replace(/[\\`*_[\]<>#|~]/g, '\\$&');
}

/**
 * A chat as Markdown for reading: the branch on screen, each message under a heading naming who
 * wrote it (model, tokens and cost for answers), and where other versions exist, how many. The JSON
 * export is the lossless one; this one is for people.
 */
export function chatToMarkdown(chat: ExportedChat): string {
	const lines = [`# ${chat.title}`, ''];
	const settings = [chat.providerId && chat.modelId ? `${chat.providerId}/${chat.modelId}` : null];
	lines.push(`_${[...settings.filter(Boolean), `created ${chat.createdAt.toISOString()}`].join(' · ')}_`, '');
	if (chat.systemPrompt)
		lines.push('> System prompt:', ...chat.systemPrompt.split('\n').map((l) => `> ${l}`), '');
	for (const message of activePath(chat.messages, chat.activeLeafId)) {
		const siblings = siblingsOf(chat.messages, message);
		const version =
			siblings.length > 1 ? ` · version ${siblings.indexOf(message) + 1} of ${siblings.length}` : '';
		lines.push(`## ${who(message)}${version}`, '');
		lines.push(message.content || '_(no text)_', '');
		if (message.attachments.length > 0) {
			lines.push('Attachments:', ...message.attachments.map((a) => `- ${escapeMarkdown(a.name)}`), '');
		}
		if (message.error) lines.push(`> Error (${message.error.code}): ${message.error.message}`, '');
	}
	return lines.join('\n');
}
