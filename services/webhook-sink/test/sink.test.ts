// Risk: the demo sink reports forged webhooks as verified (or real ones as forged).
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@triggers/runtime';
import { generateEndpointSecret, signWebhook } from '@triggers/webhooks';
import { createSink } from '../src/sink.js';

describe('the webhook sink', () => {
  it('verifies signatures with the secrets file, refuses forgeries with 401, and counts what it got', async () => {
    const secret = generateEndpointSecret();
    const file = join(mkdtempSync(join(tmpdir(), 'sink-')), 'secrets');
    writeFileSync(file, `${secret}\n`);
    const sink = createSink(
      { secretsFile: file, answer: { status: 202, delayMs: 0 } },
      createLogger({ service: 't', level: 'silent' }),
    );
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
    const body = JSON.stringify({ id: 'e1', type: 'a.b', payload: {} });
    const send = (secrets: string[]) =>
      fetch(`${url}/hook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signWebhook({ id: 'msg_1', timestampSeconds: Math.floor(Date.now() / 1000), body, secrets }),
        },
        body,
      });
    expect((await send([secret])).status).toBe(202);
    expect((await send([generateEndpointSecret()])).status).toBe(401);
    expect(await (await fetch(`${url}/stats`)).json()).toEqual({
      received: 2,
      distinct: 1,
      verified: 1,
      rejected: 1,
    });
    sink.closeAllConnections();
    await new Promise((r) => sink.close(r));
  });
});
