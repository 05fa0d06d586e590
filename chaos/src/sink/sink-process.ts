import type { ChildProcess } from 'node:child_process';
import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { join } from 'node:path';
import { startNodeProcess } from '@triggers/service-launcher';
import { ReceiptIndex, type Receipt } from './receipts.js';
import type { SinkMode } from './sink-server.js';
import type { SinkReply, SinkRequest, SinkRequestBody } from './sink-messages.js';

/** The suite's handle on the sink process. */
export interface Sink {
  url: string;
  setMode: (mode: SinkMode) => Promise<void>;
  /** Every receipt the sink has logged so far (flushed first), read from its log. */
  receipts: () => Promise<ReceiptIndex>;
  close: () => Promise<void>;
}

/**
 * Starts the webhook receiver as a process of its own (`src/sink/sink.main.ts`), logging to
 * `logFile`. The checks read that log: the sink's record of what reached it, not the suite's.
 */
export async function startSinkProcess(chaosDir: string, logFile: string): Promise<Sink> {
  const sink = startNodeProcess({
    name: 'the sink process',
    script: join(chaosDir, 'src', 'sink', 'sink.main.ts'),
    cwd: chaosDir,
    env: { SINK_LOG_FILE: logFile },
    ipc: true,
  });
  const { child } = sink;
  const { url } = await sink.firstMessage<Extract<SinkReply, { type: 'ready' }>>(60_000);
  const ask = requester(child);
  const log = new LogReader(logFile);
  return {
    url,
    setMode: async (mode) => ask({ type: 'mode', mode }),
    receipts: async () => {
      await ask({ type: 'flush' });
      return log.readNew();
    },
    // Closing the channel lets the sink flush its log and exit by itself.
    close: async () => {
      if (!sink.isAlive()) return;
      child.disconnect();
      await sink.exited;
    },
  };
}

function requester(child: ChildProcess): (request: SinkRequestBody) => Promise<void> {
  let next = 0;
  const waiting = new Map<number, () => void>();
  child.on('message', (message: SinkReply) => {
    if (message.type === 'ack') {
      waiting.get(message.id)?.();
      waiting.delete(message.id);
    }
  });
  return (request) =>
    new Promise<void>((resolve, reject) => {
      if (!child.connected) {
        reject(new Error('the sink process is gone'));
        return;
      }
      const id = (next += 1);
      waiting.set(id, resolve);
      const message: SinkRequest = { ...request, id };
      child.send(message);
    });
}

/** Reads the sink's log incrementally into one index: each call adds the lines written since the last. */
class LogReader {
  private offset = 0;
  private partial = '';
  private readonly index = new ReceiptIndex();

  constructor(private readonly file: string) {}

  readNew(): ReceiptIndex {
    const fd = openSync(this.file, 'r');
    try {
      const size = fstatSync(fd).size;
      const buffer = Buffer.alloc(size - this.offset);
      const read = readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset += read;
      const lines = (this.partial + buffer.subarray(0, read).toString('utf8')).split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) if (line) this.index.add(JSON.parse(line) as Receipt);
    } finally {
      closeSync(fd);
    }
    return this.index;
  }
}
