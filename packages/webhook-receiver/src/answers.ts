import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * How the receiver answers one webhook:
 * - a status (with headers, a body, after a delay). A `Uint8Array` body is sent byte for byte.
 * - 'hang': never answers (until `dropHanging()` or `close()`).
 * - 'destroy': drops the connection without a word.
 * - 'cut': starts a 200 and drops the connection mid-body, after the receiver processed the
 *   webhook: the sender cannot know, so it must send again.
 */
export type ReceiverAnswer =
  | { status: number; headers?: Record<string, string>; body?: string | Uint8Array; delayMs?: number }
  | 'hang'
  | 'destroy'
  | 'cut';

export function sendAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  answer: ReceiverAnswer,
  hanging: Set<ServerResponse>,
): void {
  switch (answer) {
    case 'hang':
      hanging.add(res);
      res.once('close', () => hanging.delete(res));
      return;
    case 'destroy':
      req.socket.destroy();
      return;
    case 'cut':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '64' });
      res.write('{"received":', () => res.socket?.destroy());
      return;
    default: {
      const send = () =>
        res
          .writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers })
          .end(answer.body ?? '');
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    }
  }
}
