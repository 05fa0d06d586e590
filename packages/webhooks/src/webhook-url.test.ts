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
    ['http://[::127.0.0.1]/hook', 'private_address'], // IPv4-compatible (::/96)
    ['http://169.254.169.254/latest/meta-data', 'private_address'],
  ])('refuses %s (%s)', async (url, reason) => {
    expect(
      await checkWebhookUrl(url, { allowPrivate: false, resolve: resolveTo('93.184.216.34') }),
    ).toMatchObject({ accepted: false, refusal: { reason } });
  });

  it('refuses a host that resolves to any private address among public ones, without naming it', async () => {
    const check = await checkWebhookUrl('https://hooks.example.com/x', {
      allowPrivate: false,
      resolve: resolveTo('93.184.216.34', '10.0.0.7'),
    });
    expect(check).toEqual({
      accepted: false,
      refusal: {
        reason: 'private_address',
        message: 'resolves to a non-public address; private targets are not allowed',
      },
    });
    expect(JSON.stringify(check)).not.toMatch(/10\.0\.0\.7|93\.184/);
  });

  it('refuses a host that does not resolve', async () => {
    const failing: Resolver = async () => {
      throw new Error('ENOTFOUND');
    };
    expect(
      await checkWebhookUrl('https://nowhere.invalid/x', { allowPrivate: false, resolve: failing }),
    ).toMatchObject({ accepted: false, refusal: { reason: 'unresolvable_host' } });
  });

  it('accepts a public https URL, and private targets when allowed', async () => {
    expect(
      await checkWebhookUrl('https://hooks.example.com/x?a=1', {
        allowPrivate: false,
        resolve: resolveTo('93.184.216.34'),
      }),
    ).toEqual({ accepted: true, url: 'https://hooks.example.com/x?a=1' });
    expect(await checkWebhookUrl('http://127.0.0.1:4100/hook', { allowPrivate: true })).toEqual({
      accepted: true,
      url: 'http://127.0.0.1:4100/hook',
    });
  });

  it.each([
    ['HTTPS://Hooks.Example.COM:443/a/../b', 'https://hooks.example.com/b'],
    ['http://hooks.example.com:80', 'http://hooks.example.com/'],
    [' https://hooks.example.com/x\r\n', 'https://hooks.example.com/x'],
    ['https://hooks.exa\tmple.com/p\na\rth', 'https://hooks.example.com/path'],
    ['https://hooks.example.com/a b?c d#e', 'https://hooks.example.com/a%20b?c%20d#e'],
  ])('returns %j in its normalized form', async (url, normalized) => {
    expect(await checkWebhookUrl(url, { allowPrivate: false, resolve: resolveTo('93.184.216.34') })).toEqual({
      accepted: true,
      url: normalized,
    });
  });

  it('refuses a URL that grows past 2048 characters once normalized', async () => {
    const url = `https://hooks.example.com/${' '.repeat(700)}x`;
    expect(url.length).toBeLessThan(2048);
    expect(await checkWebhookUrl(url, { allowPrivate: true })).toMatchObject({
      accepted: false,
      refusal: { reason: 'invalid_url' },
    });
  });
});
