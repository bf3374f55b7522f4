import { z } from 'zod';
import { authInvalidationSchema } from '../auth/auth-cache';
import { describeError, log } from '../log';
import type { Redis } from './redis-connection';

/**
 * What one process tells every process (itself included): stop an answer wherever it runs, forget
 * cached provider settings or budgets' and limits' settings, forget a changed session, token or user (and re-check the open
 * subscriptions it concerns), a provider's cooldown, a turn with client-chosen ids started or failed.
 */
export const busMessageSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('stop'), generationId: z.string(), userId: z.string() }),
	z.object({ type: z.literal('providers') }),
	/** Budgets' and limits' settings changed: read them again. */
	z.object({ type: z.literal('settings') }),
	z.object({ type: z.literal('auth'), change: authInvalidationSchema }),
	z.object({ type: z.literal('cooldown'), providerId: z.string(), forMs: z.number() }),
	/** A send with client-chosen ids started its answer, or failed (watchers may be waiting for it). */
	z.object({
		type: z.literal('turn'),
		messageId: z.string(),
		userId: z.string(),
		failure: z
			.object({ code: z.string(), message: z.string(), retryAfterMs: z.number().optional() })
			.nullable()
	})
]);

export type BusMessage = z.infer<typeof busMessageSchema>;
export type BusHandler = (message: BusMessage) => void;

export interface Bus {
	publish(message: BusMessage): Promise<void>;
	subscribe(handler: BusHandler): void;
}

/** One process: messages reach this process's handlers at once, in order. */
export class MemoryBus implements Bus {
	private readonly handlers: BusHandler[] = [];

	async publish(message: BusMessage): Promise<void> {
		for (const handler of this.handlers) handler(message);
	}

	subscribe(handler: BusHandler): void {
		this.handlers.push(handler);
	}
}

/**
 * Redis pub/sub on one channel, on the process's subscriber connection. `ready` resolves once the
 * subscription is in place (messages published before it are not seen).
 */
export class RedisBus implements Bus {
	private readonly handlers: BusHandler[] = [];
	readonly ready: Promise<void>;

	constructor(
		private readonly publisher: Redis,
		private readonly subscriber: Redis,
		private readonly channel: string
	) {
		this.subscriber.on('message', (channel: string, text: string) => {
			if (channel === this.channel) this.deliver(text);
		});
		this.ready = this.subscriber.subscribe(this.channel).then(() => undefined);
	}

	async publish(message: BusMessage): Promise<void> {
		await this.publisher.publish(this.channel, JSON.stringify(message));
	}

	subscribe(handler: BusHandler): void {
		this.handlers.push(handler);
	}

	private deliver(text: string): void {
		let parsed: BusMessage;
		try {
			parsed = busMessageSchema.parse(JSON.parse(text));
		} catch (error) {
			// Another version of the app, or something else on the channel: not ours to act on.
			log.warn('ignored an unreadable cluster message', { error: describeError(error) });
			return;
		}
		for (const handler of this.handlers) handler(parsed);
	}
}
