/** A refused input's reasons, as z.flattenError gives them. */
export type InputErrors = { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> };

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
