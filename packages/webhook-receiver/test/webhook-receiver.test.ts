// Risk: a tool's receiver that answers otherwise than told (a fault never played, a forgery
// accepted), or that loses count of what reached it.
import { request } from 'node:http';
import { generateEndpointSecret, signWebhook } from '@triggers/webhooks';
import {
  startWebhookReceiver,
  type ReceivedWebhook,
  type ReceiverAnswer,
  type WebhookReceiver,
} from '../src/index.js';

const post = (url: string, body = '{"id":"e1"}', headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

/** What a raw client sees: the status and body, or the error that ended the exchange. */
function rawPost(url: string): Promise<{ status?: number; body?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', (err) => resolve({ status: res.statusCode, error: err.message }));
    });
    req.on('error', (err) => resolve({ error: err.message }));
    req.end('{"id":"e1"}');
  });
}

describe('startWebhookReceiver', () => {
  let receiver: WebhookReceiver;
  afterEach(() => receiver.close());

  it('records every webhook and answers by rule, numbering them from 1', async () => {
    receiver = await startWebhookReceiver((_request, n) => ({
      status: n === 1 ? 500 : 200,
      headers: { 'x-n': String(n) },
      body: `answer ${n}`,
    }));
    const first = await post(`${receiver.url}/a`);
    expect([first.status, first.headers.get('x-n'), await first.text()]).toEqual([500, '1', 'answer 1']);
    const second = await post(`${receiver.url}/b`, '{"id":"e2"}', { 'webhook-id': 'msg_2' });
    expect([second.status, await second.text()]).toEqual([200, 'answer 2']);
    expect(receiver.received.map((r) => [r.path, r.body, r.verification])).toEqual([
      ['/a', '{"id":"e1"}', 'unchecked'],
      ['/b', '{"id":"e2"}', 'unchecked'],
    ]);
    expect(receiver.received[1]!.headers['webhook-id']).toBe('msg_2');
    expect(Math.abs(receiver.received[1]!.at - Date.now())).toBeLessThan(1000);
  });

  it('answers after the delay asked for', async () => {
    receiver = await startWebhookReceiver(() => ({ status: 202, delayMs: 300 }));
    const started = Date.now();
    expect((await post(receiver.url)).status).toBe(202);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('leaves a hung request unanswered until its connection is dropped', async () => {
    receiver = await startWebhookReceiver(() => 'hang');
    let settled = false;
    const answer = rawPost(receiver.url).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect([settled, receiver.received.length]).toEqual([false, 1]);
    receiver.dropHanging();
    expect(await answer).toEqual({ error: 'socket hang up' });
  });

  it('drops the connection without an answer, or in the middle of a 200', async () => {
    receiver = await startWebhookReceiver((_request, n) => (n === 1 ? 'destroy' : 'cut'));
    expect(await rawPost(receiver.url)).toEqual({ error: 'socket hang up' });
    expect(await rawPost(receiver.url)).toEqual({ status: 200, error: 'aborted' });
    expect(receiver.received).toHaveLength(2);
  });

  it('answers 401 to a forgery when it has secrets, whatever the rule says', async () => {
    const secret = generateEndpointSecret();
    let secrets: string[] | undefined = [secret];
    receiver = await startWebhookReceiver({ answer: () => ({ status: 204 }), secrets: () => secrets });
    const body = '{"id":"e1"}';
    const signed = (key: string) => ({
      ...signWebhook({ id: 'msg_1', timestampSeconds: Math.floor(Date.now() / 1000), body, secrets: [key] }),
    });
    expect((await post(receiver.url, body, signed(secret))).status).toBe(204);
    expect((await post(receiver.url, body, signed(generateEndpointSecret()))).status).toBe(401);
    secrets = undefined;
    expect((await post(receiver.url, body, signed(generateEndpointSecret()))).status).toBe(204);
    expect(receiver.received.map((r) => r.verification)).toEqual(['verified', 'rejected', 'unchecked']);
  });

  it('counts by its own clock without keeping bodies when told, and serves control requests apart', async () => {
    const seen: [string, ReceiverAnswer][] = [];
    receiver = await startWebhookReceiver({
      keepReceived: false,
      clock: () => 1234.5,
      onReceived: (request: ReceivedWebhook, answer) => seen.push([`${request.at} ${request.body}`, answer]),
      control: (method, url) =>
        method === 'GET' && url === '/stats' ? { status: 200, json: { received: seen.length } } : undefined,
    });
    await post(receiver.url);
    expect(await (await fetch(`${receiver.url}/stats`)).json()).toEqual({ received: 1 });
    expect(receiver.received).toEqual([]);
    expect(seen).toEqual([['1234.5 {"id":"e1"}', { status: 200 }]]);
  });

  it('changes its answers on request', async () => {
    receiver = await startWebhookReceiver();
    expect((await post(receiver.url)).status).toBe(200);
    receiver.answerWith(() => ({ status: 429, headers: { 'retry-after': '1' } }));
    const throttled = await post(receiver.url);
    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '1']);
  });
});
