/** A size as limits and refusals write it: `64 MB`, `83.4 MB`, `512 KB`. */
export function formatBytes(bytes: number): string {
	if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
	return `${Math.round(bytes / 1024)} KB`;
}
