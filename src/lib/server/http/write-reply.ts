import type { ServerResponse } from 'node:http';
import type { CompatReply, SseReply } from '../compat/reply';
import { describeError, log } from '../log';

/**
 * Writes a compatible API's reply straight to Node's response: JSON in one write, SSE frame by
 * frame as the source yields them (pipeToSocket). A client that leaves before the end cancels it.
 * `onHead` is told the status once the head is written, as SvelteKit's hooks see the Response.
 */
export async function writeReply(
	reply: CompatReply,
	res: ServerResponse,
	onHead: (status: number) => void
): Promise<void> {
	if (reply.kind === 'json') {
		const text = JSON.stringify(reply.body);
		res.writeHead(reply.status, {
			...reply.headers,
			'content-type': 'application/json',
			'content-length': Buffer.byteLength(text)
		});
		onHead(reply.status);
		res.end(text);
		return;
	}
	res.writeHead(200, reply.headers);
	onHead(200);
	await writeFrames(reply, res);
}

async function writeFrames(reply: SseReply, res: ServerResponse): Promise<void> {
	const iterator = reply.frames[Symbol.asyncIterator]();
	// The source ends once stopped (what streamed is saved as stopped); its last frames go nowhere.
	await pipeToSocket({ next: () => iterator.next(), cancel: reply.cancel }, res);
}

/** A source of chunks to write, and the way to stop it. */
export type SocketSource = {
	next(): Promise<IteratorResult<string | Uint8Array>>;
	cancel(): Promise<unknown>;
};

/**
 * Writes what a source yields to the socket as it comes (the socket batches what queues up while
 * it is busy, and a full socket holds the source back), then ends the response. A client that
 * leaves before the end cancels the source; what it still yields is read and dropped.
 */
export async function pipeToSocket(source: SocketSource, res: ServerResponse): Promise<void> {
	let gone = false;
	const onClose = () => {
		if (res.writableFinished) return;
		gone = true;
		source.cancel().catch((error: unknown) => {
			log.warn('stopping an abandoned stream failed', { error: describeError(error) });
		});
	};
	res.once('close', onClose);
	try {
		for (let next = await source.next(); !next.done; next = await source.next()) {
			if (gone) continue;
			if (!res.write(next.value)) await drained(res);
		}
		if (!gone) res.end();
	} catch (error) {
		log.error('a stream failed while it was written', { error: describeError(error) });
		res.destroy();
	} finally {
		res.off('close', onClose);
	}
}

/** Resolves when the socket takes writes again, or is gone. */
function drained(res: ServerResponse): Promise<void> {
	return new Promise((resolve) => {
		const done = () => {
			res.off('drain', done);
			res.off('close', done);
			resolve();
		};
		res.on('drain', done);
		res.on('close', done);
	});
}
