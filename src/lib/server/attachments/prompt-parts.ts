import type { ChatImage, ChatMessage } from '../providers/types';
import type { AttachmentWithData } from '../db/repositories/attachment-repository';

/** What a prompt needs of an attachment: the adapters read nothing else. */
export type PromptAttachment = Pick<AttachmentWithData, 'kind' | 'mediaType' | 'name' | 'data'>;

/** A file name inside the `name="…"` of a file block: quotes and angle brackets cannot close it. */
function quoteName(name: string): string {
	return name.replace(/["<>]/g, '_');
}

/**
 * A user message as the model sees it: each text file rendered before the message, wrapped with its
 * name so the model can refer to it, and each image as an image part in the provider's own format.
 * Pure.
 */
export function withAttachments(
	content: string,
	attached: readonly PromptAttachment[]
): Omit<ChatMessage, 'role'> {
	const files = attached
		.filter((a) => a.kind === 'text')
		.map((a) => `<file name="${quoteName(a.name)}">\n${a.data.toString('utf8')}\n</file>`);
	const images: ChatImage[] = attached
		.filter((a) => a.kind === 'image')
		.map((a) => ({
			mediaType: a.mediaType as ChatImage['mediaType'],
			data: a.data.toString('base64'),
			name: a.name
		}));
	return {
		content: files.length ? `${files.join('\n\n')}\n\n${content}` : content,
		...(images.length ? { images } : {})
	};
}

/**
 * For a model that cannot read images (a fallback, or a later turn on another model): earlier
 * images become a note naming them, so the conversation still makes sense. Pure.
 */
export function withoutImages(messages: readonly ChatMessage[]): ChatMessage[] {
	return messages.map(({ images, ...message }) => {
		if (!images?.length) return message;
		const names = images.map((i) => i.name).join(', ');
		return {
			...message,
			content: `[${images.length === 1 ? 'An image' : 'Images'} not shown to this model: ${names}]\n\n${message.content}`
		};
	});
}

export function hasImages(messages: readonly { images?: readonly unknown[] }[]): boolean {
	return messages.some((m) => (m.images?.length ?? 0) > 0);
}
