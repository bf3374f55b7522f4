/**
 * A calendar date in UTC (YYYY-MM-DD): the same on the server and in the browser, so hydration
 * never disagrees about which day it is.
 */
export function formatDay(date: Date | null): string {
	return date ? date.toISOString().slice(0, 10) : 'never';
}

/** To the minute in UTC (YYYY-MM-DD HH:MM UTC), for times a day is too coarse for (a token's last use). */
export function formatMinute(date: Date | null): string {
	return date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'never';
}
