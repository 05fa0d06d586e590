import { Redis } from 'ioredis';
import type { Logger } from '@triggers/runtime';
import type { EventTypeValidators } from './event-type-validators.js';

interface ChangeMessage {
  organizationId: string;
  name: string;
}

/**
 * Tells every ingest instance that an event type changed, over Redis pub/sub, so that each drops
 * its cached rule at once instead of waiting for the TTL. Subscribing needs a connection of its
 * own (a subscribed connection can run no other command). Whenever that connection (re)connects,
 * messages may have been missed meanwhile, so every cached rule is dropped.
 */
export class EventTypeChanges {
  private readonly subscriber: Redis;
  private readonly channel: string;

  constructor(
    redisUrl: string,
    keyPrefix: string,
    private readonly publisher: Redis,
    private readonly validators: EventTypeValidators,
    private readonly log: Logger,
  ) {
    this.channel = `${keyPrefix}event-types:changed`;
    this.subscriber = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: null });
    this.subscriber.on('error', (err: Error) =>
      log.warn({ err: err.message }, 'event-type subscriber error'),
    );
    this.subscriber.on('ready', () => validators.clear());
    this.subscriber.on('message', (_channel: string, message: string) => this.receive(message));
  }

  /** Connects and subscribes; resolves at once if Redis is down (the connection keeps retrying). */
  start(): void {
    // ioredis re-subscribes by itself after a reconnect.
    this.subscriber.subscribe(this.channel).catch((err: unknown) => {
      this.log.warn({ err }, 'event-type subscription failed; cached rules expire by TTL only');
    });
  }

  /** Drops the type here and tells the other instances; they fall back on the TTL if Redis is down. */
  async publish(organizationId: string, name: string): Promise<void> {
    this.validators.invalidate(organizationId, name);
    const message: ChangeMessage = { organizationId, name };
    await this.publisher.publish(this.channel, JSON.stringify(message)).catch((err: unknown) => {
      this.log.warn(
        { err, organizationId, name },
        'event-type change not broadcast; other instances wait for the TTL',
      );
    });
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
  }

  private receive(message: string): void {
    try {
      const change = JSON.parse(message) as Partial<ChangeMessage>;
      if (typeof change.organizationId === 'string' && typeof change.name === 'string') {
        this.validators.invalidate(change.organizationId, change.name);
        return;
      }
    } catch {
      // not JSON: handled below
    }
    // A message we cannot read may have named anything: forget everything.
    this.validators.clear();
  }
}
