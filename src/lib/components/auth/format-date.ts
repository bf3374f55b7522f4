/**
 * A calendar date in UTC (YYYY-MM-DD): the same on the server and in the browser, so hydration
 * never disagrees about which day it is.
 */
export function formatDay(date: Date | null): string {
	return date ? date.toISOString().slice(0, 10) : 'never';
}
