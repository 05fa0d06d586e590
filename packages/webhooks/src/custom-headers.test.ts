import { isReservedHeader } from './custom-headers.js';

describe('isReservedHeader', () => {
  it.each([
    'Expect',
    'expect',
    'Connection',
    'Keep-Alive',
    'TE',
    'Trailer',
    'Transfer-Encoding',
    'Upgrade',
    'HTTP2-Settings',
    'Proxy-Connection',
    'Proxy-Authorization',
    'Host',
    'Content-Length',
    'Content-Type',
    'Content-Encoding',
    'User-Agent',
    'Webhook-Signature',
  ])('reserves %s', (name) => {
    expect(isReservedHeader(name)).toBe(true);
  });

  it.each(['Authorization', 'X-Team', 'Accept', 'X-Expect', 'Expectation'])(
    'lets an endpoint set %s',
    (name) => {
      expect(isReservedHeader(name)).toBe(false);
    },
  );
});
