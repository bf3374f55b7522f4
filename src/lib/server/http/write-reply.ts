import type { ServerResponse } from 'node:http';
import type { CompatReply, SseReply } from '../compat/reply';
import { describeError, log } from '../log';

/**
 * Writes a compatible API's reply straight to Node's response: JSON in one write, SSE frame by
 * frame as the source yields them (the socket batches what queues up while it is busy, and a
 * full socket holds the source back). A client that leaves before the end cancels the source.
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
	let gone = false;
	const onClose = () => {
		if (res.writableFinished) return;
		gone = true;
		// The source ends once stopped (what streamed is saved as stopped); its last frames go nowhere.
		reply.cancel().catch((error: unknown) => {
			log.warn('stopping an abandoned stream failed', { error: describeError(error) });
		});
	};
	res.once('close', onClose);
	try {
		for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
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
export function drained(res: ServerResponse): Promise<void> {
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
