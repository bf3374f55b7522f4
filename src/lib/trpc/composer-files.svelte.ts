import { encodeBase64 } from '$lib/schemas/attachments';
import { trpc, type Message } from './client';
import { describeError } from './errors';

export type Attachment = Message['attachments'][number];

/** A file in the composer: uploading, or uploaded and ready to go with the next message. */
export type ComposerFile = { key: string; name: string; attachment: Attachment | null };

let counter = 0;

/**
 * The files attached in a composer. Each is uploaded as soon as it is added, so the server checks it
 * (type from its bytes, size caps) while the message is still being written; a refused file is
 * dropped with the server's reason in `error`.
 */
export class ComposerFiles {
	items = $state<ComposerFile[]>([]);
	error = $state<string | null>(null);

	readonly uploading = $derived(this.items.some((f) => f.attachment === null));
	readonly ready = $derived(this.items.flatMap((f) => (f.attachment ? [f.attachment] : [])));

	add(files: Iterable<File>): void {
		this.error = null;
		for (const file of files) void this.#upload(file);
	}

	async #upload(file: File): Promise<void> {
		const key = `file-${++counter}`;
		// Pasted screenshots have a generic name: give them one that says what they are.
		const name = file.name && file.name !== 'image.png' ? file.name : `pasted-${counter}.png`;
		this.items.push({ key, name, attachment: null });
		try {
			const attachment = await trpc.attachments.upload.mutate({
				name,
				data: encodeBase64(new Uint8Array(await file.arrayBuffer()))
			});
			const item = this.items.find((f) => f.key === key);
			if (item) item.attachment = attachment;
		} catch (error) {
			this.remove(key);
			this.error = describeError(error).message;
		}
	}

	remove(key: string): void {
		this.items = this.items.filter((f) => f.key !== key);
	}

	/** Hands the uploaded files to a send and empties the composer; `restore` puts them back. */
	take(): Attachment[] {
		const taken = this.ready;
		this.items = [];
		this.error = null;
		return taken;
	}

	restore(attachments: Attachment[]): void {
		this.items = attachments.map((attachment) => ({
			key: `file-${++counter}`,
			name: attachment.name,
			attachment
		}));
	}
}
