import { z } from 'zod';

export const finishReasons = ['stop', 'length', 'content_filter', 'error', 'aborted'] as const;
export const finishReasonSchema = z.enum(finishReasons);
export type FinishReason = z.infer<typeof finishReasonSchema>;

/** Enum columns, typed once here for Drizzle (`text({ enum })`), zod and the UI. */
export const messageRoles = ['user', 'assistant', 'system'] as const;
export type MessageRole = (typeof messageRoles)[number];
export const messageStatuses = ['streaming', 'complete', 'stopped', 'error'] as const;
export type MessageStatus = (typeof messageStatuses)[number];
export const usageStatuses = ['ok', 'error', 'stopped'] as const;
export type UsageStatus = (typeof usageStatuses)[number];
export const modelSources = ['seed', 'discovered', 'manual'] as const;
export type ModelSource = (typeof modelSources)[number];

export const providerIdSchema = z
	.string()
	.trim()
	.min(1, 'Choose a provider')
	.max(64)
	.regex(/^[a-z][a-z0-9-]*$/, 'Provider ids are lowercase letters, digits and dashes');

export const modelIdSchema = z.string().trim().min(1, 'Choose a model').max(200);

export const temperatureSchema = z.number().min(0, 'At least 0').max(2, 'At most 2');
export const topPSchema = z.number().min(0, 'At least 0').max(1, 'At most 1');
/** Up to 16 sequences (Anthropic's limit is higher, OpenAI's lower: the adapters pass them as given). */
export const stopSequencesSchema = z
	.array(z.string().min(1, 'A stop sequence cannot be empty').max(500))
	.max(16, 'At most 16 stop sequences');
/** A seed asks for repeatable sampling where the provider supports it. */
export const seedSchema = z.number().int('A whole number').min(0, 'At least 0').max(2_147_483_647);
export const maxTokensSchema = z.number().int('A whole number').min(1, 'At least 1').max(1_000_000);

/** 256 KB of text: larger content is refused before any provider is called. */
export const MAX_CONTENT_BYTES = 256 * 1024;

export const contentSchema = z
	.string()
	.refine((s) => s.trim().length > 0, 'Write a message first')
	.refine(
		(s) => new TextEncoder().encode(s).length <= MAX_CONTENT_BYTES,
		`Messages are limited to ${MAX_CONTENT_BYTES / 1024} KB`
	);

export const systemPromptSchema = z.string().max(MAX_CONTENT_BYTES, 'The system prompt is too long');

export const uuidSchema = z.uuid('Not a valid id');

/** Where a page of a list ends: the last row's timestamp and id, the order the list sorts by. */
export type TimeCursor = { at: Date; id: string };

/** A list's `nextCursor`: `<timestamp as ISO 8601>_<row id>`. */
export function encodeTimeCursor(at: Date, id: string): string {
	return `${at.toISOString()}_${id}`;
}

const isoDateTime = z.iso.datetime();

/** A cursor as `encodeTimeCursor` writes it, parsed; anything else is refused with the field named. */
export const timeCursorSchema = z
	.string()
	.max(100)
	.transform((value, ctx): TimeCursor => {
		const [iso = '', id = '', ...rest] = value.split('_');
		if (rest.length > 0 || !isoDateTime.safeParse(iso).success || !uuidSchema.safeParse(id).success) {
			ctx.addIssue({ code: 'custom', message: 'Not a valid cursor: pass back a nextCursor unchanged' });
			return z.NEVER;
		}
		return { at: new Date(iso), id };
	});
