import type { z } from 'zod';
import { MAX_CONTENT_BYTES } from '$lib/schemas/common';
import { CompatError } from './compat-error';
import type { CompatRequest } from './compat-request';

/** The whole request: 500 messages of the largest size would be far beyond any model's context. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * The JSON body, refused with 413 past MAX_BODY_BYTES or the server's own body limit, and 400 when
 * it is not JSON.
 */
export async function readJsonBody(request: CompatRequest): Promise<unknown> {
	const declared = Number(request.headers.get('content-length'));
	if (declared > MAX_BODY_BYTES) throw tooLarge();
	const bytes = await request.body();
	if (bytes.byteLength > MAX_BODY_BYTES) throw tooLarge();
	try {
		return JSON.parse(decoder.decode(bytes));
	} catch (cause) {
		throw new CompatError('invalid_request', 'The request body is not valid JSON.', { cause });
	}
}

const decoder = new TextDecoder();

function tooLarge(): CompatError {
	return new CompatError('too_large', `The request is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB.`);
}

/** Wire path -> `messages[1].content`, the way both APIs name fields in their errors. */
export function fieldPath(path: readonly PropertyKey[]): string {
	return path
		.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
		.join('');
}

/** Parses with a wire schema; the first problem becomes a 400 naming its field. */
export function parseWire<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
	const parsed = schema.safeParse(body);
	if (parsed.success) return parsed.data;
	const issue = parsed.error.issues[0];
	const param = fieldPath(issue.path);
	throw new CompatError('invalid_request', param ? `${param}: ${issue.message}` : issue.message, {
		param: param || null,
		cause: parsed.error
	});
}

/** A message larger than the engine takes is refused as too large (413), naming it. */
export function checkContentSize(texts: readonly { param: string; text: string }[]): void {
	for (const { param, text } of texts) {
		if (new TextEncoder().encode(text).byteLength > MAX_CONTENT_BYTES) {
			throw new CompatError('too_large', `${param} is larger than ${MAX_CONTENT_BYTES / 1024} KB.`, {
				param
			});
		}
	}
}
