import { Webhook } from 'standardwebhooks';
import { generateEndpointSecret } from './endpoint-secret.js';
import { signWebhook } from './signature.js';

describe('signWebhook', () => {
  const body = JSON.stringify({
    id: 'evt_1',
    type: 'order.created',
    payload: { total: 4200, note: 'héllo' },
  });
  const now = Math.floor(Date.now() / 1000);

  it('produces headers an independent Standard Webhooks verifier accepts', () => {
    const secret = generateEndpointSecret();
    const headers = signWebhook({ id: 'msg_1', timestampSeconds: now, body, secrets: [secret] });
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('signs with both secrets during a rotation, so either verifies', () => {
    const [next, previous] = [generateEndpointSecret(), generateEndpointSecret()];
    const headers = signWebhook({ id: 'msg_2', timestampSeconds: now, body, secrets: [next, previous] });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(next).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(previous).verify(body, headers)).not.toThrow();
  });

  it('fails verification when the body or another secret is used', () => {
    const secret = generateEndpointSecret();
    const headers = signWebhook({ id: 'msg_3', timestampSeconds: now, body, secrets: [secret] });
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    expect(() => new Webhook(generateEndpointSecret()).verify(body, headers)).toThrow();
  });
});
