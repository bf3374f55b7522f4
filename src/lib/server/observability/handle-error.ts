import type { HandleServerError } from '@sveltejs/kit';
import { describeError, log } from '../log';

/**
 * An unexpected error on a page or endpoint: logged with its request id and cause chain (never the
 * request), and shown to the person as a plain sentence with the id they can quote.
 */
export const handleServerError: HandleServerError = ({ error, event, status }) => {
	const requestId = event.locals.requestId;
	if (status >= 500) log.error('unexpected error', { requestId, status, error: describeError(error) });
	return {
		message:
			status === 404
				? 'There is nothing at this address.'
				: 'Something went wrong on our side. Try again in a moment.',
		requestId
	};
};
