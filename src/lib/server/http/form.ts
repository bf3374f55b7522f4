import { fail, type ActionFailure } from '@sveltejs/kit';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { z } from 'zod';
import { isUnstorableText } from '../db/unavailable';
import { AppError, unstorableText } from '../errors';
import { toTRPCError } from '../trpc/to-trpc-error';

/**
 * What a failed form action returns to its page: the values to put back (never passwords), one
 * message per field, and a message for the whole form.
 */
export type FormFailure = {
	values: Record<string, string>;
	errors: Record<string, string>;
	message: string | null;
	/** Which form on the page failed, when a page has several. */
	scope: string | null;
};

/** The text fields of a form; files and missing fields become ''. */
export function textFields(data: FormData, names: readonly string[]): Record<string, string> {
	return Object.fromEntries(names.map((name) => [name, String(data.get(name) ?? '')]));
}

/** Zod's first message for each field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const issue of error.issues) {
		const field = String(issue.path[0] ?? 'form');
		errors[field] ??= issue.message;
	}
	return errors;
}

export function invalidForm(
	error: z.ZodError,
	values: Record<string, string>,
	scope: string | null = null
): ActionFailure<FormFailure> {
	return fail(400, { values, errors: fieldErrors(error), message: null, scope });
}

/**
 * An AppError as a form failure with the HTTP status the API would give it (the one mapping in
 * errors.ts); anything else is rethrown for SvelteKit's error page and log.
 */
export function failedForm(
	error: unknown,
	values: Record<string, string>,
	scope: string | null = null
): ActionFailure<FormFailure> {
	// A NUL in a field is the form's to fix, not the server's failure.
	const failure = isUnstorableText(error) ? unstorableText(error) : error;
	if (!(failure instanceof AppError)) throw failure;
	const status = getHTTPStatusCodeFromError(toTRPCError(failure));
	const errors = failure.field ? { [failure.field]: failure.message } : {};
	return fail(status, { values, errors, message: failure.field ? null : failure.message, scope });
}

/** A failure on one field that zod could not see (e.g. two fields that must match). */
export function fieldFailure(
	field: string,
	message: string,
	scope: string | null = null
): ActionFailure<FormFailure> {
	return fail(400, { values: {}, errors: { [field]: message }, message: null, scope });
}
