import { checkWebhookUrl, type Resolver } from './webhook-url.js';

const resolveTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses;

describe('checkWebhookUrl', () => {
  it.each([
    ['ftp://example.com/hook', 'invalid_url'],
    ['javascript:alert(1)', 'invalid_url'],
    ['not a url', 'invalid_url'],
    ['https://user:pass@example.com/hook', 'invalid_url'],
    ['http://127.0.0.1/hook', 'private_address'],
    ['http://2130706433/hook', 'private_address'], // decimal 127.0.0.1
    ['http://0177.0.0.1/hook', 'private_address'], // octal
    ['http://0x7f.1/hook', 'private_address'], // hex, short form
    ['http://[::1]/hook', 'private_address'],
    ['http://[::ffff:7f00:1]/hook', 'private_address'],
    ['http://169.254.169.254/latest/meta-data', 'private_address'],
  ])('refuses %s (%s)', async (url, reason) => {
    expect(
      await checkWebhookUrl(url, { allowPrivate: false, resolve: resolveTo('93.184.216.34') }),
    ).toMatchObject({ reason });
  });

  it('refuses a host that resolves to any private address among public ones', async () => {
    expect(
      await checkWebhookUrl('https://hooks.example.com/x', {
        allowPrivate: false,
        resolve: resolveTo('93.184.216.34', '10.0.0.7'),
      }),
    ).toMatchObject({
      reason: 'private_address',
    });
  });

  it('refuses a host that does not resolve', async () => {
    const failing: Resolver = async () => {
      throw new Error('ENOTFOUND');
    };
    expect(
      await checkWebhookUrl('https://nowhere.invalid/x', { allowPrivate: false, resolve: failing }),
    ).toMatchObject({ reason: 'unresolvable_host' });
  });

  it('accepts a public https URL, and private targets when allowed', async () => {
    expect(
      await checkWebhookUrl('https://hooks.example.com/x?a=1', {
        allowPrivate: false,
        resolve: resolveTo('93.184.216.34'),
      }),
    ).toBeUndefined();
    expect(await checkWebhookUrl('http://127.0.0.1:4100/hook', { allowPrivate: true })).toBeUndefined();
  });
});
