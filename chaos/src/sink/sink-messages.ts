import type { SinkAnswer } from './receipts.js';

/** What the suite asks of the sink process over IPC. */
export type SinkRequestBody = { type: 'mode'; mode: SinkAnswer } | { type: 'flush' };

/** A request as sent: numbered, and answered by an `ack` with the same id. */
export type SinkRequest = SinkRequestBody & { id: number };

export type SinkReply = { type: 'ready'; url: string } | { type: 'ack'; id: number };
