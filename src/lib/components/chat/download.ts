/** Saves text as a file through the browser's download (nothing is kept in storage). */
export function downloadText(file: { filename: string; mimeType: string; content: string }): void {
	const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
	const link = document.createElement('a');
	link.href = url;
	link.download = file.filename;
	link.click();
	// The click has started the download; the URL is no longer needed.
	setTimeout(() => URL.revokeObjectURL(url), 0);
}
