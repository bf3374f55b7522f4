import type { AuthUser } from '$lib/schemas/auth';
import { uuidSchema } from '$lib/schemas/common';
import type { App } from '../app';
import { AppError } from '../errors';

export const attachmentPath = /^\/api\/attachments\/([^/]+)$/;

/** RFC 6266 `filename*`: any name, safely quoted. */
function disposition(kind: 'inline' | 'attachment', name: string): string {
	return `${kind}; filename*=UTF-8''${encodeURIComponent(name)}`;
}

const notFound = () =>
	new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/**
 * An attachment's bytes for its owner or an admin; everyone else gets 404, as for an id that does not
 * exist. Only validated images are shown inline, under their checked type; text is always a download
 * as text/plain. nosniff and a sandboxing CSP keep the browser from reading the bytes as anything else.
 */
export async function serveAttachment(app: App, user: AuthUser | null, id: string): Promise<Response> {
	if (!user) return new Response('Sign in first', { status: 401 });
	if (!uuidSchema.safeParse(id).success) return notFound();
	try {
		const file = await app.attachments.read(user, id);
		const image = file.kind === 'image';
		return new Response(new Uint8Array(file.data), {
			headers: {
				'content-type': image ? file.mediaType : 'text/plain; charset=utf-8',
				'content-length': String(file.byteSize),
				'content-disposition': disposition(image ? 'inline' : 'attachment', file.name),
				'x-content-type-options': 'nosniff',
				'content-security-policy': "default-src 'none'; sandbox",
				'cross-origin-resource-policy': 'same-origin',
				// Bytes under an id never change; private: only this user may see them.
				'cache-control': 'private, max-age=86400, immutable'
			}
		});
	} catch (caught) {
		if (caught instanceof AppError && caught.code === 'not_found') return notFound();
		throw caught;
	}
}
