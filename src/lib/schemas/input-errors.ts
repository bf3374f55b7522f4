import type { z } from 'zod';

/** Each refused field's reasons, by field name. */
export type FieldErrors = Record<string, string[] | undefined>;
/** A refused input's reasons, as z.flattenError gives them and the API's error data carries them. */
export type InputErrors = { formErrors?: string[]; fieldErrors?: FieldErrors };

/**
 * Input the server refused, said in words: each field with its first reason (`content: Messages are
 * limited to 256 KB`), `; ` between. The API's message for a refused input, and the SDK's.
 */
export function describeInputErrors({ formErrors, fieldErrors }: InputErrors): string | undefined {
	const reasons = [
		...(formErrors ?? []),
		...Object.entries(fieldErrors ?? {}).flatMap(([field, messages]) =>
			messages?.length ? [`${field}: ${messages[0]}`] : []
		)
	];
	return reasons.length ? reasons.join('; ') : undefined;
}

/**
 * An issue's reason as a person should read it. A record's key or a map's element that fails says
 * only "Invalid key in record"; the reason is in its own issues (`This header is set by Switchboard`).
 */
export function issueMessage(issue: z.core.$ZodIssue): string {
	if ((issue.code === 'invalid_key' || issue.code === 'invalid_element') && issue.issues.length > 0) {
		return issue.issues.map(issueMessage).join('; ');
	}
	return issue.message;
}
